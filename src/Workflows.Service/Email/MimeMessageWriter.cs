using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>
/// Writes an outbox mail as an RFC 5322 / MIME message that is pure 7-bit ASCII: non-ASCII header text as RFC 2047
/// encoded words (<c>=?utf-8?B?…?=</c>), bodies in UTF-8 with base64 transfer encoding. Any relay accepts it,
/// with or without 8BITMIME or SMTPUTF8.
/// </summary>
public static class MimeMessageWriter
{
    // An encoded word is at most 75 characters: "=?utf-8?B?" + base64 + "?=" leaves 63, i.e. 45 bytes of text.
    private const int MaxEncodedWordBytes = 45;
    private const int Base64LineLength = 76;

    /// <summary>Builds the message text (CRLF line ends, no terminating dot).</summary>
    /// <param name="mail">The mail.</param>
    /// <param name="from">The sender.</param>
    /// <param name="date">The Date header.</param>
    /// <returns>The message.</returns>
    public static string Write(OutboxMail mail, OutboxAddress from, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(from);
        var token = Token(mail);
        var domain = from.Address[(from.Address.LastIndexOf('@') + 1)..];
        var sb = new StringBuilder();
        Header(sb, "From", FormatAddress(from));
        Header(sb, "To", FormatAddress(mail.To));
        Header(sb, "Subject", EncodeText(mail.Subject));
        Header(sb, "Date", FormatDate(date));
        // The same id on every attempt, so a receiver can drop a duplicate from an at-least-once retry.
        Header(sb, "Message-ID", $"<outbox-{mail.Id.ToString(CultureInfo.InvariantCulture)}-{token}@{domain}>");
        Header(sb, "X-Workflows-Outbox-Id", mail.Id.ToString(CultureInfo.InvariantCulture));
        Header(sb, "MIME-Version", "1.0");
        if (string.IsNullOrEmpty(mail.HtmlBody))
        {
            Part(sb, "text/plain", mail.TextBody);
        }
        else
        {
            var boundary = $"=_workflows_{token}";
            Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
            sb.Append("\r\n");
            sb.Append("--").Append(boundary).Append("\r\n");
            Part(sb, "text/plain", mail.TextBody);
            sb.Append("--").Append(boundary).Append("\r\n");
            Part(sb, "text/html", mail.HtmlBody);
            sb.Append("--").Append(boundary).Append("--\r\n");
        }

        return sb.ToString();
    }

    /// <summary>Header text as-is when it is printable ASCII, else as folded RFC 2047 encoded words.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The header value.</returns>
    public static string EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsPlainAscii(text) && !text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var bytes = rune.Utf8SequenceLength;
            if (chunkBytes + bytes > MaxEncodedWordBytes)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(rune.ToString());
            chunkBytes += bytes;
        }

        if (chunk.Length > 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        // Folding whitespace between adjacent encoded words is ignored by decoders (RFC 2047 §6.2).
        return string.Join("\r\n ", words);

        static string Word(string part) => $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(part))}?=";
    }

    /// <summary>An address with its display name, quoted or encoded as needed.</summary>
    /// <param name="address">The address.</param>
    /// <returns>E.g. <c>"Zhang San" &lt;z@example.cn&gt;</c> or <c>=?utf-8?B?…?= &lt;z@example.cn&gt;</c>.</returns>
    public static string FormatAddress(OutboxAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (string.IsNullOrWhiteSpace(address.DisplayName))
        {
            return $"<{address.Address}>";
        }

        var name = address.DisplayName;
        var shown = IsPlainAscii(name) && !name.Contains("=?", StringComparison.Ordinal)
            ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodeText(name);
        return $"{shown} <{address.Address}>";
    }

    /// <summary>An RFC 5322 date, e.g. <c>Mon, 02 Mar 2026 09:00:00 +0800</c>.</summary>
    /// <param name="date">The instant.</param>
    /// <returns>The header value.</returns>
    public static string FormatDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    private static void Part(StringBuilder sb, string mediaType, string body)
    {
        Header(sb, "Content-Type", $"{mediaType}; charset=utf-8");
        Header(sb, "Content-Transfer-Encoding", "base64");
        sb.Append("\r\n");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        for (var i = 0; i < encoded.Length; i += Base64LineLength)
        {
            sb.Append(encoded, i, Math.Min(Base64LineLength, encoded.Length - i)).Append("\r\n");
        }
    }

    private static void Header(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(": ").Append(value).Append("\r\n");

    private static bool IsPlainAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static string Token(OutboxMail mail)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(mail.IdempotencyKey));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
