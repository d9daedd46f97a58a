using System.Globalization;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>
/// Validates an Azure Functions timer schedule in NCRONTAB form: six fields {second} {minute} {hour} {day} {month}
/// {day-of-week}, each a comma list of <c>*</c>, a value or a range, optionally with a <c>/step</c>; months JAN-DEC and
/// days SUN-SAT may be written by name.
/// </summary>
internal static class SixFieldCron
{
    private static readonly (string Name, int Min, int Max, string[] Names)[] Fields =
    [
        ("second", 0, 59, []),
        ("minute", 0, 59, []),
        ("hour", 0, 23, []),
        ("day", 1, 31, []),
        ("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day-of-week", 0, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ];

    /// <summary>Returns null when <paramref name="expression"/> is a valid six-field cron, else what is wrong.</summary>
    public static string? Problem(string? expression)
    {
        var parts = (expression ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            return $"'{expression}' has {parts.Length} fields; a timer schedule needs six ({string.Join(" ", Fields.Select(f => "{" + f.Name + "}"))}).";
        }

        for (int i = 0; i < 6; i++)
        {
            var field = Fields[i];
            foreach (string item in parts[i].Split(','))
            {
                if (!ItemIsValid(item, field.Min, field.Max, field.Names))
                {
                    return $"'{expression}': {field.Name} field '{parts[i]}' is not valid (values {field.Min}-{field.Max}).";
                }
            }
        }

        return null;
    }

    private static bool ItemIsValid(string item, int min, int max, string[] names)
    {
        string range = item;
        int slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            range = item[..slash];
            if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int step) || step < 1 || step > max - min + 1)
            {
                return false;
            }
        }

        if (range == "*")
        {
            return true;
        }

        int dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return Value(range, min, max, names) is not null;
        }

        int? from = Value(range[..dash], min, max, names);
        int? to = Value(range[(dash + 1)..], min, max, names);
        return from is not null && to is not null && from <= to;
    }

    private static int? Value(string text, int min, int max, string[] names)
    {
        int named = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (named >= 0)
        {
            return named + min;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max ? value : null;
    }
}
