using Workflows.Service.Schedules;

namespace Workflows.Host.Tests.Schedules;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Cst = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeSpan Plus8 = TimeSpan.FromHours(8);

    private static DateTimeOffset Local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, Plus8);

    private static DateTimeOffset Next(string cron, DateTimeOffset after) =>
        CronSchedule.Parse(cron).GetNextOccurrence(after, Cst) ?? throw new InvalidOperationException("no occurrence");

    [Fact]
    public void GetNextOccurrence_DailyAtTwo_NextDayWhenPastTwo()
    {
        Assert.Equal(Local(2026, 3, 2, 2), Next("0 0 2 * * *", Local(2026, 3, 1, 2, 0, 0)));
        Assert.Equal(Local(2026, 3, 1, 2), Next("0 0 2 * * *", Local(2026, 3, 1, 1, 59, 59)));
        Assert.Equal(Plus8, Next("0 0 2 * * *", Local(2026, 3, 1)).Offset);
    }

    [Fact]
    public void GetNextOccurrence_AfterIsInUtc_EvaluatesInChinaStandardTime()
    {
        // 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Beijing: 02:00 local comes 30 minutes later.
        var next = Next("0 0 2 * * *", new DateTimeOffset(2026, 3, 1, 17, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero), next.ToUniversalTime());
    }

    [Fact]
    public void GetNextOccurrence_AfterHasFractionalSeconds_NextWholeSecondStrictlyAfter()
    {
        Assert.Equal(Local(2026, 1, 1, 0, 0, 1), Next("* * * * * *", Local(2026, 1, 1).AddMilliseconds(300)));
        Assert.Equal(Local(2026, 1, 1, 0, 0, 1), Next("* * * * * *", Local(2026, 1, 1)));
    }

    [Theory]
    [InlineData("*/15 * * * * *", "2026-01-01T00:00:07+08:00", "2026-01-01T00:00:15+08:00")]
    [InlineData("59 * * * * *", "2026-01-01T00:00:59+08:00", "2026-01-01T00:01:59+08:00")]
    [InlineData("0 5-10/5 * * * *", "2026-01-01T00:05:00+08:00", "2026-01-01T00:10:00+08:00")]
    [InlineData("0 5-10/5 * * * *", "2026-01-01T00:10:00+08:00", "2026-01-01T01:05:00+08:00")]
    [InlineData("0 0 23 * * *", "2026-12-31T23:00:00+08:00", "2027-01-01T23:00:00+08:00")]
    [InlineData("0 0 0,12 * * *", "2026-01-01T00:00:00+08:00", "2026-01-01T12:00:00+08:00")]
    [InlineData("0 30 9 * * Mon-Fri", "2026-11-20T09:30:00+08:00", "2026-11-23T09:30:00+08:00")]
    [InlineData("0 0 9 * * 0", "2026-11-20T00:00:00+08:00", "2026-11-22T09:00:00+08:00")]
    [InlineData("0 0 9 * * 7", "2026-11-20T00:00:00+08:00", "2026-11-22T09:00:00+08:00")]
    [InlineData("0 0 9 * * sat,SUN", "2026-11-20T00:00:00+08:00", "2026-11-21T09:00:00+08:00")]
    [InlineData("0 0 9 1-7 * Mon", "2026-11-03T00:00:00+08:00", "2026-12-07T09:00:00+08:00")]
    [InlineData("0 0 2 1 1 *", "2026-01-01T02:00:00+08:00", "2027-01-01T02:00:00+08:00")]
    [InlineData("0 0 0 1 Jan,Jul *", "2026-01-01T00:00:00+08:00", "2026-07-01T00:00:00+08:00")]
    [InlineData("0 0 0 1 */3 *", "2026-02-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00")]
    [InlineData("0 0 0 1 6/3 *", "2026-10-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")]
    [InlineData("0 0 0 1 6/3 *", "2026-12-01T00:00:00+08:00", "2027-06-01T00:00:00+08:00")]
    [InlineData("0 0 0 31 * *", "2026-01-31T00:00:00+08:00", "2026-03-31T00:00:00+08:00")]
    [InlineData("0 0 0 30 * *", "2026-01-30T00:00:00+08:00", "2026-03-30T00:00:00+08:00")]
    [InlineData("0 0 0 29 2 *", "2025-01-01T00:00:00+08:00", "2028-02-29T00:00:00+08:00")]
    [InlineData("0 0 0 29 2 *", "2028-02-29T00:00:00+08:00", "2032-02-29T00:00:00+08:00")]
    [InlineData("0 0 0 29 2 *", "2099-03-01T00:00:00+08:00", "2104-02-29T00:00:00+08:00")]
    [InlineData("0 0 0 28-31 * *", "2027-02-28T00:00:00+08:00", "2027-03-28T00:00:00+08:00")]
    public void GetNextOccurrence_FieldBoundaries_Expected(string cron, string after, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Next(cron, DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetOccurrences_EveryTenMinutesInAnHour_SixInOrder()
    {
        var all = CronSchedule.Parse("0 */10 * * * *").GetOccurrences(Local(2026, 5, 1, 8), Local(2026, 5, 1, 9), Cst).ToList();
        Assert.Equal([10, 20, 30, 40, 50, 0], all.Select(o => o.Minute));
        Assert.Equal(Local(2026, 5, 1, 9), all[^1]);
    }

    [Fact]
    public void GetNextOccurrence_ZoneWithDaylightSaving_SkipsMissingWallTime()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 2026-03-08 02:30 does not exist in New York (clocks jump 02:00 → 03:00).
        var next = CronSchedule.Parse("0 30 2 * * *").GetNextOccurrence(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.FromHours(-5)), newYork);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 2, 30, 0, TimeSpan.FromHours(-4)), next);
    }

    [Fact]
    public void Parse_NormalisesWhitespaceAndKeepsExpression()
    {
        Assert.Equal("0 0 2 * * *", CronSchedule.Parse("  0  0 2 * *\t* ").Expression);
    }

    [Theory]
    [InlineData("0 0 2 * *", "has 5 field(s); six are required")]
    [InlineData("0 0 2 * * * *", "has 7 field(s)")]
    [InlineData("60 0 2 * * *", "field 'second' ('60') has value 60 outside 0-59")]
    [InlineData("0 60 2 * * *", "field 'minute' ('60') has value 60 outside 0-59")]
    [InlineData("0 0 24 * * *", "field 'hour' ('24') has value 24 outside 0-23")]
    [InlineData("0 0 0 0 * *", "field 'day' ('0') has value 0 outside 1-31")]
    [InlineData("0 0 0 32 * *", "field 'day' ('32') has value 32 outside 1-31")]
    [InlineData("0 0 0 * 13 *", "field 'month' ('13') has value 13 outside 1-12")]
    [InlineData("0 0 0 * Foo *", "field 'month' ('Foo') has 'Foo', which is not a number 1-12 or a name")]
    [InlineData("0 0 0 * * 8", "field 'day-of-week' ('8') has value 8 outside 0-7")]
    [InlineData("0 0 0 * * Mo", "field 'day-of-week' ('Mo') has 'Mo'")]
    [InlineData("*/0 * * * * *", "field 'second' ('*/0') has step '0'")]
    [InlineData("0 10-5 * * * *", "field 'minute' ('10-5') has range '10-5' whose end comes before its start")]
    [InlineData("0 1,,2 * * * *", "field 'minute' ('1,,2') has an empty list item")]
    [InlineData("0 0 0 30 2 *", "field 'day' (30) never occurs in the months of field 'month' (2)")]
    [InlineData("0 0 0 31 4,6 *", "never occurs")]
    [InlineData("0 0 -1 * * *", "field 'hour' ('-1')")]
    public void Parse_BadExpression_ErrorNamesTheField(string cron, string expectedFragment)
    {
        var ex = Assert.Throws<FormatException>(() => CronSchedule.Parse(cron));
        Assert.Contains(expectedFragment, ex.Message, StringComparison.Ordinal);
        Assert.False(CronSchedule.TryParse(cron, out _, out var error));
        Assert.Equal(ex.Message, error);
    }
}
