using System.Globalization;

namespace Workflows.Service.Schedules;

/// <summary>
/// A six-field cron expression in the Azure Functions TimerTrigger (NCRONTAB) dialect:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, e.g. <c>0 0 2 * * *</c> (02:00:00 every day).
/// </summary>
/// <remarks>
/// <para>Each field takes <c>*</c>, a value, a range <c>a-b</c>, a step <c>*/n</c> or <c>a-b/n</c> or <c>a/n</c>
/// (from a to the field's maximum), and comma-separated lists of these. Months take <c>Jan</c>…<c>Dec</c>,
/// days of the week <c>Sun</c>…<c>Sat</c> (0 and 7 both mean Sunday), case-insensitive.</para>
/// <para>As in NCRONTAB (and unlike Vixie cron), a date matches only when both the day and the day-of-week
/// fields match: <c>0 0 9 1-7 * Mon</c> is the first Monday of each month.</para>
/// <para>Occurrences are evaluated in a time zone's wall clock. For a zone with daylight saving, a wall time
/// that does not exist is skipped and an ambiguous one fires once, at its first instant; China Standard Time has
/// neither.</para>
/// </remarks>
public sealed class CronSchedule
{
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day", "month", "day-of-week"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Bit i set = value i allowed.
    private readonly ulong _seconds;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _days;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;

    private CronSchedule(string expression, ulong[] fields)
    {
        Expression = expression;
        _seconds = fields[0];
        _minutes = fields[1];
        _hours = fields[2];
        _days = fields[3];
        _months = fields[4];
        _daysOfWeek = fields[5];
    }

    /// <summary>The expression as given, trimmed.</summary>
    public string Expression { get; }

    /// <inheritdoc/>
    public override string ToString() => Expression;

    /// <summary>Parses a six-field expression.</summary>
    /// <param name="expression">E.g. <c>0 */5 8-18 * * Mon-Fri</c>.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="FormatException">The expression is malformed; the message names the field and the bad part.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parts = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new FormatException(
                $"Cron expression '{expression}' has {parts.Length} field(s); six are required: {{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}, e.g. '0 0 2 * * *'.");
        }

        var fields = new ulong[6];
        fields[0] = ParseField(expression, 0, parts[0], 0, 59, null);
        fields[1] = ParseField(expression, 1, parts[1], 0, 59, null);
        fields[2] = ParseField(expression, 2, parts[2], 0, 23, null);
        fields[3] = ParseField(expression, 3, parts[3], 1, 31, null);
        fields[4] = ParseField(expression, 4, parts[4], 1, 12, MonthNames);
        fields[5] = ParseField(expression, 5, parts[5], 0, 7, DayNames);
        if ((fields[5] & (1UL << 7)) != 0)
        {
            fields[5] = (fields[5] | 1UL) & ~(1UL << 7);
        }

        var schedule = new CronSchedule(string.Join(' ', parts), fields);
        if (!schedule.AnyDayPossible())
        {
            throw new FormatException($"Cron expression '{expression}': field 'day' ({parts[3]}) never occurs in the months of field 'month' ({parts[4]}).");
        }

        return schedule;
    }

    /// <summary>Parses an expression, returning false and an error message instead of throwing.</summary>
    /// <param name="expression">The expression.</param>
    /// <param name="schedule">The schedule when valid.</param>
    /// <param name="error">The error message when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string expression, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        try
        {
            schedule = Parse(expression);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            schedule = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, evaluated on the wall clock of
    /// <paramref name="zone"/>, returned with that zone's offset at the occurrence.
    /// </summary>
    /// <param name="after">The instant to search from (exclusive).</param>
    /// <param name="zone">The zone whose wall clock the fields describe.</param>
    /// <returns>The next occurrence, or null when none exists before year 9999.</returns>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(after, zone);
        // Whole seconds: the first candidate is the next full second after 'after'.
        var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, DateTimeKind.Unspecified).AddSeconds(1);
        var candidate = start;
        while (true)
        {
            var wall = NextWallTime(candidate);
            if (wall is not { } w)
            {
                return null;
            }

            if (zone.IsInvalidTime(w))
            {
                // Skipped by a daylight-saving jump: not an occurrence.
                candidate = w.AddSeconds(1);
                continue;
            }

            var offset = zone.IsAmbiguousTime(w) ? zone.GetAmbiguousTimeOffsets(w).Max() : zone.GetUtcOffset(w);
            var occurrence = new DateTimeOffset(w, offset);
            if (occurrence > after)
            {
                return occurrence;
            }

            candidate = w.AddSeconds(1);
        }
    }

    /// <summary>All occurrences in (<paramref name="after"/>, <paramref name="until"/>], in order.</summary>
    /// <param name="after">Exclusive start.</param>
    /// <param name="until">Inclusive end.</param>
    /// <param name="zone">The zone of the wall clock.</param>
    /// <returns>The occurrences.</returns>
    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until, TimeZoneInfo zone)
    {
        var current = after;
        while (GetNextOccurrence(current, zone) is { } next && next <= until)
        {
            yield return next;
            current = next;
        }
    }

    private DateTime? NextWallTime(DateTime from)
    {
        var year = from.Year;
        var month = from.Month;
        var day = from.Day;
        var hour = from.Hour;
        var minute = from.Minute;
        var second = from.Second;

        while (year < 9999)
        {
            if (!Has(_months, month))
            {
                if (!NextMonth(ref year, ref month))
                {
                    return null;
                }

                day = 1;
                hour = minute = second = 0;
                continue;
            }

            var daysInMonth = DateTime.DaysInMonth(year, month);
            var dayFound = false;
            for (; day <= daysInMonth; day++)
            {
                if (DayMatches(year, month, day))
                {
                    dayFound = true;
                    break;
                }

                hour = minute = second = 0;
            }

            if (!dayFound)
            {
                if (!NextMonth(ref year, ref month))
                {
                    return null;
                }

                day = 1;
                hour = minute = second = 0;
                continue;
            }

            if (NextTimeOfDay(ref hour, ref minute, ref second))
            {
                return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
            }

            // No time left today: start of the next day.
            day++;
            hour = minute = second = 0;
            if (day > daysInMonth)
            {
                if (!NextMonth(ref year, ref month))
                {
                    return null;
                }

                day = 1;
            }
        }

        return null;
    }

    private bool NextTimeOfDay(ref int hour, ref int minute, ref int second)
    {
        for (; hour < 24; hour++, minute = 0, second = 0)
        {
            if (!Has(_hours, hour))
            {
                continue;
            }

            for (; minute < 60; minute++, second = 0)
            {
                if (!Has(_minutes, minute))
                {
                    continue;
                }

                for (; second < 60; second++)
                {
                    if (Has(_seconds, second))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool NextMonth(ref int year, ref int month)
    {
        month++;
        if (month > 12)
        {
            month = 1;
            year++;
        }

        return year < 9999;
    }

    private bool DayMatches(int year, int month, int day)
    {
        var dayOk = Has(_days, day);
        var dowOk = Has(_daysOfWeek, (int)new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).DayOfWeek);
        return dayOk && dowOk;
    }

    private bool AnyDayPossible()
    {
        // Day 29 of February exists in leap years, so February offers 29 days.
        int[] longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (var m = 1; m <= 12; m++)
        {
            if (!Has(_months, m))
            {
                continue;
            }

            for (var d = 1; d <= longest[m - 1]; d++)
            {
                if (Has(_days, d))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    private static ulong ParseField(string expression, int index, string text, int min, int max, string[]? names)
    {
        ulong bits = 0;
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                throw Error(expression, index, text, "has an empty list item");
            }

            var rangeText = item;
            var step = 1;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                rangeText = item[..slash];
                var stepText = item[(slash + 1)..];
                if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    throw Error(expression, index, text, $"has step '{stepText}'; a step is a whole number of at least 1");
                }
            }

            int from;
            int to;
            if (rangeText == "*")
            {
                from = min;
                to = index == 5 ? 6 : max;
            }
            else
            {
                var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
                if (dash >= 0)
                {
                    from = Value(expression, index, text, rangeText[..dash], min, max, names);
                    to = Value(expression, index, text, rangeText[(dash + 1)..], min, max, names);
                    if (to < from)
                    {
                        throw Error(expression, index, text, $"has range '{rangeText}' whose end comes before its start");
                    }
                }
                else
                {
                    from = Value(expression, index, text, rangeText, min, max, names);
                    // 'a/n' means from a to the field's end, stepping n.
                    to = slash >= 0 ? max : from;
                }
            }

            for (var v = from; v <= to; v += step)
            {
                bits |= 1UL << v;
            }
        }

        return bits;
    }

    private static int Value(string expression, int index, string text, string token, int min, int max, string[]? names)
    {
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number < min || number > max)
            {
                throw Error(expression, index, text, $"has value {number} outside {min}-{max}");
            }

            return number;
        }

        if (names is not null)
        {
            var position = Array.FindIndex(names, n => string.Equals(n, token, StringComparison.OrdinalIgnoreCase));
            if (position >= 0)
            {
                return names == MonthNames ? position + 1 : position;
            }
        }

        var allowed = names is null ? $"a number {min}-{max}" : $"a number {min}-{max} or a name ({string.Join(", ", names)})";
        throw Error(expression, index, text, $"has '{token}', which is not {allowed}");
    }

    private static FormatException Error(string expression, int index, string text, string problem) =>
        new($"Cron expression '{expression}': field '{FieldNames[index]}' ('{text}') {problem}.");
}
