using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Workflows.Policies;

/// <summary>
/// PRC working days: Monday–Friday unless listed as a holiday rest day, plus weekend days listed as adjusted
/// working days (调休). Data: the State Council's yearly notices as published in NateScarlet/holiday-cn
/// (Calendar/holidays-cn, MIT). A year whose file is missing or has no notice (<c>papers: []</c>) is not
/// published: any computation touching it throws <see cref="CalendarDataMissingException"/>. Immutable; thread-safe.
/// </summary>
public sealed class WorkingDayCalendar
{
    private static readonly Lazy<WorkingDayCalendar> Embedded = new(LoadEmbedded);
    private readonly FrozenDictionary<DateOnly, bool> listed;
    private readonly FrozenSet<int> published;

    private WorkingDayCalendar(Dictionary<DateOnly, bool> listed, HashSet<int> published)
    {
        this.listed = listed.ToFrozenDictionary();
        this.published = published.ToFrozenSet();
    }

    /// <summary>Gets the calendar built from the embedded holiday files.</summary>
    public static WorkingDayCalendar Default => Embedded.Value;

    /// <summary>Gets the years whose schedule is published.</summary>
    public IReadOnlyCollection<int> PublishedYears => published;

    /// <summary>Builds a calendar from holiday-cn year files (JSON text).</summary>
    /// <param name="yearFiles">The files' contents.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="FormatException">A file is not in the holiday-cn format.</exception>
    public static WorkingDayCalendar FromJson(IEnumerable<string> yearFiles)
    {
        var listed = new Dictionary<DateOnly, bool>();
        var published = new HashSet<int>();
        foreach (var text in yearFiles)
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var year = root.GetProperty("year").GetInt32();
            if (root.GetProperty("papers").GetArrayLength() == 0)
            {
                continue;
            }

            published.Add(year);
            foreach (var day in root.GetProperty("days").EnumerateArray())
            {
                var date = DateOnly.ParseExact(day.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                listed[date] = !day.GetProperty("isOffDay").GetBoolean();
            }
        }

        return new WorkingDayCalendar(listed, published);
    }

    /// <summary>Returns whether a date is a working day.</summary>
    /// <param name="date">The date.</param>
    /// <returns>True for a working day.</returns>
    /// <exception cref="CalendarDataMissingException">The date's year is not published.</exception>
    public bool IsWorkingDay(DateOnly date)
    {
        RequireYear(date.Year);
        if (listed.TryGetValue(date, out var isWork))
        {
            return isWork;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>Returns the date that is <paramref name="days"/> working days after <paramref name="from"/>, not counting <paramref name="from"/> itself (0 returns <paramref name="from"/>).</summary>
    /// <param name="from">The start date (not counted).</param>
    /// <param name="days">Working days to add, ≥ 0.</param>
    /// <returns>The date.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative.</exception>
    /// <exception cref="CalendarDataMissingException">The count reaches a year that is not published.</exception>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = from;
        var left = days;
        while (left > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                left--;
            }
        }

        return date;
    }

    /// <summary>Returns the last day of a stage that starts after <paramref name="from"/>: natural days are added as
    /// calendar days, working days with <see cref="AddWorkingDays"/>.</summary>
    /// <param name="from">The day the stage starts from (not counted).</param>
    /// <param name="duration">The stage's length.</param>
    /// <returns>The last day.</returns>
    /// <exception cref="CalendarDataMissingException">Working days reach a year that is not published.</exception>
    public DateOnly Add(DateOnly from, StageDuration duration) =>
        duration.Days == DayKind.Working ? AddWorkingDays(from, duration.Value) : from.AddDays(duration.Value);

    /// <summary>Counts the working days d with <paramref name="from"/> &lt; d ≤ <paramref name="to"/> (so that
    /// <c>AddWorkingDays(from, WorkingDaysBetween(from, to))</c> ≤ <paramref name="to"/>).</summary>
    /// <param name="from">Start (not counted).</param>
    /// <param name="to">End (counted), ≥ <paramref name="from"/>.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="CalendarDataMissingException">The range touches a year that is not published.</exception>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd}).", nameof(to));
        }

        for (var y = from.Year; y <= to.Year; y++)
        {
            RequireYear(y);
        }

        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                count++;
            }
        }

        return count;
    }

    private void RequireYear(int year)
    {
        if (!published.Contains(year))
        {
            throw new CalendarDataMissingException(year);
        }
    }

    private static WorkingDayCalendar LoadEmbedded()
    {
        var assembly = typeof(WorkingDayCalendar).Assembly;
        var texts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Calendar/holidays-cn/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            })
            .ToList();
        return FromJson(texts);
    }
}
