using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Calendar;

public class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Cal = WorkingDayCalendar.Default;

    [Theory]
    [InlineData("2024-09-28", false)] // Saturday before the break: ordinary weekend
    [InlineData("2024-09-29", true)]  // Sunday, adjusted working day
    [InlineData("2024-09-30", true)]
    [InlineData("2024-10-01", false)]
    [InlineData("2024-10-04", false)]
    [InlineData("2024-10-07", false)] // Monday, still the holiday
    [InlineData("2024-10-08", true)]
    [InlineData("2024-10-12", true)]  // Saturday, adjusted working day
    [InlineData("2024-10-13", false)]
    [InlineData("2025-01-26", true)]  // Sunday, adjusted working day
    [InlineData("2025-01-27", true)]
    [InlineData("2025-01-28", false)] // 除夕
    [InlineData("2025-02-04", false)]
    [InlineData("2025-02-05", true)]
    [InlineData("2025-02-08", true)]  // Saturday, adjusted working day
    [InlineData("2025-02-09", false)]
    public void IsWorkingDay_AroundNationalDay2024AndSpringFestival2025_FollowsTheNotices(string date, bool expected)
    {
        Assert.Equal(expected, Cal.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2024-09-30", 1, "2024-10-08")]
    [InlineData("2024-09-27", 1, "2024-09-29")]
    [InlineData("2024-09-28", 2, "2024-09-30")]
    [InlineData("2024-09-27", 7, "2024-10-12")] // 29, 30, 8, 9, 10, 11, 12
    [InlineData("2025-01-24", 1, "2025-01-26")]
    [InlineData("2025-01-27", 1, "2025-02-05")]
    [InlineData("2025-01-27", 4, "2025-02-08")]
    [InlineData("2025-01-27", 5, "2025-02-10")]
    [InlineData("2025-03-03", 0, "2025-03-03")]
    public void AddWorkingDays_AcrossHolidays_SkipsRestDaysAndCountsAdjustedWorkdays(string from, int days, string expected)
    {
        Assert.Equal(D(expected), Cal.AddWorkingDays(D(from), days));
    }

    [Fact]
    public void WorkingDaysBetween_SpringFestival2025_CountsAdjustedDaysOnly()
    {
        // (Jan 25, Feb 9]: Jan 26, Jan 27, Feb 5, Feb 6, Feb 7, Feb 8.
        Assert.Equal(6, Cal.WorkingDaysBetween(D("2025-01-25"), D("2025-02-09")));
        Assert.Equal(0, Cal.WorkingDaysBetween(D("2024-10-01"), D("2024-10-07")));
        Assert.Equal(0, Cal.WorkingDaysBetween(D("2024-10-08"), D("2024-10-08")));
    }

    [Fact]
    public void WorkingDaysBetween_IsInverseOfAddWorkingDays()
    {
        var from = D("2024-09-20");
        for (var n = 0; n < 40; n++)
        {
            var to = Cal.AddWorkingDays(from, n);
            Assert.Equal(n, Cal.WorkingDaysBetween(from, to));
        }
    }

    [Fact]
    public void AddWorkingDays_SixtyWorkingDaysFromListing_IsTheClaimDeadline()
    {
        // Listed 2024-09-20: 60 working days cross National Day 2024.
        var deadline = Cal.AddWorkingDays(D("2024-09-20"), 60);
        Assert.Equal(60, Cal.WorkingDaysBetween(D("2024-09-20"), deadline));
        Assert.True(Cal.IsWorkingDay(deadline));
        Assert.Equal(D("2024-12-18"), deadline); // counted independently from the notices
    }

    [Fact]
    public void Add_StageDuration_NaturalOrWorkingDays()
    {
        Assert.Equal(D("2024-10-07"), Cal.Add(D("2024-09-30"), new StageDuration(7, DayKind.Natural)));
        Assert.Equal(D("2024-10-10"), Cal.Add(D("2024-09-30"), new StageDuration(3, DayKind.Working)));
    }

    [Fact]
    public void IsWorkingDay_2027_ThrowsNamingTheYear()
    {
        var e = Assert.Throws<CalendarDataMissingException>(() => Cal.IsWorkingDay(D("2027-01-04")));
        Assert.Equal(2027, e.Year);
        Assert.Contains("2027", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWorkingDays_RunningInto2027_Throws()
    {
        Assert.Equal(D("2026-12-31"), Cal.AddWorkingDays(D("2026-12-30"), 1));
        var e = Assert.Throws<CalendarDataMissingException>(() => Cal.AddWorkingDays(D("2026-12-30"), 2));
        Assert.Equal(2027, e.Year);
    }

    [Fact]
    public void WorkingDaysBetween_RangeTouching2027_Throws()
    {
        var e = Assert.Throws<CalendarDataMissingException>(() => Cal.WorkingDaysBetween(D("2026-12-01"), D("2027-01-01")));
        Assert.Equal(2027, e.Year);
    }

    [Fact]
    public void IsWorkingDay_YearWithNoFile_Throws()
    {
        var e = Assert.Throws<CalendarDataMissingException>(() => Cal.IsWorkingDay(D("2014-06-03")));
        Assert.Equal(2014, e.Year);
    }

    [Fact]
    public void PublishedYears_Are2015To2026()
    {
        Assert.Equal(Enumerable.Range(2015, 12), Cal.PublishedYears.Order());
    }

    [Fact]
    public void AddWorkingDays_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cal.AddWorkingDays(D("2025-03-03"), -1));
    }

    [Fact]
    public void WorkingDaysBetween_ToBeforeFrom_Throws()
    {
        Assert.Throws<ArgumentException>(() => Cal.WorkingDaysBetween(D("2025-03-03"), D("2025-03-02")));
    }

    [Fact]
    public void FromJson_NewYearFile_IsADataChange()
    {
        var year2027 = """{ "year": 2027, "papers": ["https://www.gov.cn/example"], "days": [ { "name": "元旦", "date": "2027-01-01", "isOffDay": true } ] }""";
        var cal = WorkingDayCalendar.FromJson([year2027]);

        Assert.False(cal.IsWorkingDay(D("2027-01-01")));
        Assert.True(cal.IsWorkingDay(D("2027-01-04")));
    }
}
