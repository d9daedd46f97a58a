using System.Globalization;
using Workflows.Programmes.Azure;

namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// The Azure Table service's limits and the checks <see cref="InMemoryTableStore"/> makes with them, so that code tested
/// in memory is refused here exactly where the service would refuse it. Each failed check throws
/// <see cref="TableInvalidInputException"/> with the service's error code.
/// </summary>
public static class TableRules
{
    /// <summary>Longest key, in UTF-16 characters (1 KiB; the same limit as <see cref="TableKeys.MaxLength"/>).</summary>
    public const int MaxKeyLength = TableKeys.MaxLength;

    /// <summary>Most custom properties per row (255 minus PartitionKey, RowKey and Timestamp).</summary>
    public const int MaxCustomProperties = 252;

    /// <summary>Longest property name, in characters.</summary>
    public const int MaxPropertyNameLength = 255;

    /// <summary>Longest string value, in UTF-16 characters (64 KiB).</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>Longest binary value, in bytes (64 KiB).</summary>
    public const int MaxBinaryLength = 64 * 1024;

    /// <summary>Largest row, in bytes as the service counts them (see <see cref="EntitySize"/>): 1 MiB.</summary>
    public const int MaxEntitySize = 1024 * 1024;

    /// <summary>Most operations in one transaction.</summary>
    public const int MaxTransactionOperations = 100;

    /// <summary>Largest request body, 4 MiB; for a transaction, checked against the sum of the rows' <see cref="PayloadSize"/>.</summary>
    public const int MaxTransactionSize = 4 * 1024 * 1024;

    /// <summary>The earliest <c>Edm.DateTime</c> the service stores.</summary>
    public static readonly DateTimeOffset MinDateTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp" };

    /// <summary>Checks a partition or row key: at most <see cref="MaxKeyLength"/> characters, none of / \ # ? or a control character.</summary>
    /// <param name="key">The key.</param>
    /// <param name="which"><c>PartitionKey</c> or <c>RowKey</c>, for the message.</param>
    /// <param name="operationIndex">The operation of a transaction, or null.</param>
    /// <exception cref="TableInvalidInputException"><c>InvalidInput</c>, naming the character or the length.</exception>
    public static void CheckKey(string key, string which, int? operationIndex = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            throw new TableInvalidInputException(
                "InvalidInput",
                string.Create(CultureInfo.InvariantCulture, $"The {which} is {key.Length} characters long; keys may have at most {MaxKeyLength} (1 KiB)."),
                operationIndex);
        }

        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || (c >= '\u007F' && c <= '\u009F'))
            {
                throw new TableInvalidInputException(
                    "InvalidInput",
                    string.Create(CultureInfo.InvariantCulture, $"The {which} '{Printable(key)}' holds U+{(int)c:X4} at position {i}; keys may not contain / \\ # ? or control characters (encode them with TableKeys.Encode)."),
                    operationIndex);
            }
        }
    }

    /// <summary>Checks a row about to be written: keys, property names, value sizes and types, property count and entity size.</summary>
    /// <param name="row">The row.</param>
    /// <param name="operationIndex">The operation of a transaction, or null.</param>
    /// <exception cref="TableInvalidInputException">A rule is broken; the message names it.</exception>
    public static void CheckRow(TableRow row, int? operationIndex = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        CheckKey(row.PartitionKey, "PartitionKey", operationIndex);
        CheckKey(row.RowKey, "RowKey", operationIndex);
        if (row.Properties.Count > MaxCustomProperties)
        {
            throw new TableInvalidInputException(
                "TooManyProperties",
                string.Create(CultureInfo.InvariantCulture, $"The row {row} has {row.Properties.Count} properties; at most {MaxCustomProperties} are allowed besides PartitionKey, RowKey and Timestamp."),
                operationIndex);
        }

        foreach (var (name, value) in row.Properties)
        {
            CheckPropertyName(name, operationIndex);
            CheckValue(row, name, value, operationIndex);
        }

        long size = EntitySize(row);
        if (size > MaxEntitySize)
        {
            throw new TableInvalidInputException(
                "EntityTooLarge",
                string.Create(CultureInfo.InvariantCulture, $"The row {row} is {size} bytes as the service counts them; a row may have at most {MaxEntitySize} (1 MiB)."),
                operationIndex);
        }
    }

    /// <summary>
    /// The row's size as the service counts it: 4 bytes, plus 2 per key character, plus per property 8 bytes, 2 per
    /// name character and the value (string 4 + 2 per character, binary 4 + its length, bool 1, Int32 4, Int64, double
    /// and DateTime 8, Guid 16).
    /// </summary>
    /// <param name="row">The row.</param>
    /// <returns>Bytes.</returns>
    public static long EntitySize(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long size = 4 + (2L * (row.PartitionKey.Length + row.RowKey.Length));
        foreach (var (name, value) in row.Properties)
        {
            size += 8 + (2L * name.Length) + value.Raw switch
            {
                string s => 4 + (2L * s.Length),
                byte[] b => 4 + b.Length,
                bool => 1,
                int => 4,
                Guid => 16,
                _ => 8,
            };
        }

        return size;
    }

    /// <summary>
    /// A lower bound of the row's size in a JSON request body: the UTF-8 bytes of its keys, property names and string
    /// values, and the Base64 length of its binary values, without the JSON syntax, type annotations or numbers.
    /// Being a lower bound, a transaction refused for it would be refused by the service too.
    /// </summary>
    /// <param name="row">The row.</param>
    /// <returns>Bytes.</returns>
    public static long PayloadSize(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long size = System.Text.Encoding.UTF8.GetByteCount(row.PartitionKey) + System.Text.Encoding.UTF8.GetByteCount(row.RowKey);
        foreach (var (name, value) in row.Properties)
        {
            size += System.Text.Encoding.UTF8.GetByteCount(name) + value.Raw switch
            {
                string s => System.Text.Encoding.UTF8.GetByteCount(s),
                byte[] b => (b.Length + 2) / 3 * 4,
                _ => 0,
            };
        }

        return size;
    }

    private static void CheckPropertyName(string name, int? operationIndex)
    {
        if (name.Length > MaxPropertyNameLength)
        {
            throw new TableInvalidInputException(
                "PropertyNameTooLong",
                string.Create(CultureInfo.InvariantCulture, $"The property name '{name[..40]}…' is {name.Length} characters long; at most {MaxPropertyNameLength} are allowed."),
                operationIndex);
        }

        bool identifier = name.Length > 0
            && (char.IsLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsLetterOrDigit(c) || c == '_');
        if (!identifier || ReservedNames.Contains(name))
        {
            throw new TableInvalidInputException(
                "PropertyNameInvalid",
                $"The property name '{Printable(name)}' is not allowed: names must be C# identifiers (a letter or '_', then letters, digits or '_') other than PartitionKey, RowKey and Timestamp.",
                operationIndex);
        }
    }

    private static void CheckValue(TableRow row, string name, TableValue value, int? operationIndex)
    {
        switch (value.Raw)
        {
            case null:
                throw new TableInvalidInputException("PropertiesNeedValue", $"The property '{name}' of {row} holds no value (default(TableValue)); leave it out instead.", operationIndex);
            case string s when s.Length > MaxStringLength:
                throw new TableInvalidInputException(
                    "PropertyValueTooLarge",
                    string.Create(CultureInfo.InvariantCulture, $"The string property '{name}' of {row} has {s.Length} characters; at most {MaxStringLength} (64 KiB) are allowed."),
                    operationIndex);
            case byte[] b when b.Length > MaxBinaryLength:
                throw new TableInvalidInputException(
                    "PropertyValueTooLarge",
                    string.Create(CultureInfo.InvariantCulture, $"The binary property '{name}' of {row} has {b.Length} bytes; at most {MaxBinaryLength} (64 KiB) are allowed."),
                    operationIndex);
            case DateTimeOffset at when at < MinDateTime:
                throw new TableInvalidInputException(
                    "OutOfRangeInput",
                    $"The DateTime property '{name}' of {row} is {at:O}; the service stores instants from 1601-01-01T00:00:00Z on.",
                    operationIndex);
            default:
                break;
        }
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString()));
}
