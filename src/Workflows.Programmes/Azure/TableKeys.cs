using System.Globalization;
using System.Text;

namespace Workflows.Programmes.Azure;

/// <summary>
/// Reversible encoding of values used as Azure Table Storage partition and row keys. The service rejects
/// '/', '\', '#', '?' and control characters (U+0000–U+001F, U+007F–U+009F) in keys; each of those, and the
/// escape character '%' itself, becomes '%' followed by two upper-case hex digits. Every other character
/// is kept, so encoded keys sort like the values they encode as long as the values avoid escaped characters.
/// </summary>
public static class TableKeys
{
    /// <summary>Largest encoded key length in characters (the service allows 1 KiB of UTF-16 text).</summary>
    public const int MaxLength = 512;

    /// <summary>Encodes <paramref name="value"/> as a table key.</summary>
    /// <param name="value">The value; any text.</param>
    /// <returns>The key text, free of forbidden characters.</returns>
    /// <exception cref="ArgumentException">The encoded key would exceed <see cref="MaxLength"/>.</exception>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (MustEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (builder.Length > MaxLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The table key would be {builder.Length} characters long after encoding; Azure Tables allow at most {MaxLength}."),
                nameof(value));
        }

        return builder.ToString();
    }

    /// <summary>Decodes a key produced by <see cref="Encode"/>.</summary>
    /// <param name="key">The stored key.</param>
    /// <returns>The original value.</returns>
    /// <exception cref="FormatException">The key holds a '%' not followed by two hex digits, or a forbidden character.</exception>
    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new StringBuilder(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c == '%')
            {
                if (i + 2 >= key.Length
                    || !int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                {
                    throw new FormatException($"The table key '{key}' has an incomplete escape at position {i}: '%' must be followed by two hex digits.");
                }

                builder.Append((char)code);
                i += 2;
            }
            else if (MustEscape(c))
            {
                throw new FormatException($"The table key '{key}' holds the character U+{(int)c:X4} at position {i}, which Encode never leaves unescaped.");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A row key that sorts newest first: the number of ticks from <paramref name="at"/> to
    /// <see cref="DateTimeOffset.MaxValue"/>, as 19 digits, so an ascending table scan returns the latest entries first.
    /// </summary>
    /// <param name="at">The instant.</param>
    /// <returns>A 19-digit key.</returns>
    public static string NewestFirst(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="c"/> is escaped by <see cref="Encode"/>.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for '/', '\', '#', '?', '%' and control characters.</returns>
    public static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' || c <= '\u001F' || (c >= '\u007F' && c <= '\u009F');
}
