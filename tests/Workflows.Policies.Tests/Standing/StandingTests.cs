using Workflows.Policies.Tests.Catalogue;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Standing;

/// <summary>Standing records (disqualification, penalty …) block quotes and matches while in force.</summary>
public class StandingTests
{
    private static readonly Citation Clause4 = new("003", "四", "平谷区扩大对外开放提高外资外贸发展水平扶持办法");

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static FactProfile Zjtx() => Good004(("zjtxLevel", "beijing-zjtx"), ("newlyRelocated", false));

    private static StandingRecord Disqualified(DateOnly from, DateOnly? to, IReadOnlyList<string>? programmes = null) =>
        new("standing/7", StandingKind.Disqualification, Clause4, from, to, "虚报材料 / false statements", programmes);

    [Fact]
    public void Quote_DisqualificationInForce_NotEligibleNamingRecordClauseAndEnd()
    {
        var quote = TestFacts.Engine.Quote(new QuoteRequest("004-zjtx-award", D("2024-06-30"), Zjtx(), Standing: [Disqualified(D("2021-07-01"), D("2024-06-30"))]));

        Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
        Assert.Null(quote.Amount);
        var failed = Assert.Single(quote.FailedRules);
        Assert.Equal("standing:standing/7", failed.RuleId);
        Assert.Equal(Clause4, failed.Citation);
        Assert.Contains("2024-06-30", failed.Message, StringComparison.Ordinal);
        Assert.Contains("至 2024-06-30", failed.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_DayAfterPeriodEnds_Eligible()
    {
        var quote = TestFacts.Engine.Quote(new QuoteRequest("004-zjtx-award", D("2024-07-01"), Zjtx(), Standing: [Disqualified(D("2021-07-01"), D("2024-06-30"))]));

        Assert.Equal(QuoteOutcome.Eligible, quote.Outcome);
        Assert.Equal(200000m, quote.Amount);
    }

    [Fact]
    public void Quote_DayBeforePeriodStarts_Eligible()
    {
        var quote = TestFacts.Engine.Quote(new QuoteRequest("004-zjtx-award", D("2024-06-30"), Zjtx(), Standing: [Disqualified(D("2024-07-01"), null)]));

        Assert.True(quote.Eligible);
    }

    [Fact]
    public void Quote_RecordForAnotherProgramme_DoesNotBlock()
    {
        var quote = TestFacts.Engine.Quote(new QuoteRequest("004-zjtx-award", D("2024-06-30"), Zjtx(), Standing: [Disqualified(D("2024-01-01"), null, ["003-pg-trade-fair"])]));

        Assert.True(quote.Eligible);
    }

    [Fact]
    public void Quote_WithoutStanding_Unchanged()
    {
        Assert.Equal(200000m, TestFacts.Engine.Quote(new QuoteRequest("004-zjtx-award", D("2024-06-30"), Zjtx())).Amount);
    }

    [Fact]
    public void Match_DisqualificationInForce_LeavesProgrammeOutUntilDayAfter()
    {
        var matcher = new Matcher(TestFacts.Engine);
        StandingRecord[] standing = [Disqualified(D("2021-07-01"), D("2024-06-30"))];

        var during = matcher.Match(Zjtx(), D("2024-06-30"), null, standing);
        var after = matcher.Match(Zjtx(), D("2024-07-01"), null, standing);

        Assert.DoesNotContain(during, m => m.Programme.Id == "004-zjtx-award");
        Assert.Contains(after, m => m.Programme.Id == "004-zjtx-award" && m.Outcome == QuoteOutcome.Eligible);
    }

    [Fact]
    public void ExportRule_SupportedTwoYearsWithoutExports_SuspendsThirdYearNamingYears()
    {
        var history = Seed003Part1.History(("003-pg-trade-fair", 2024, 43000m), ("003-pg-trade-fair", 2025, 15000m));

        var block = ExportSuspensionRule.Evaluate(history, new Dictionary<int, decimal> { [2024] = 0m }, 2026);

        Assert.NotNull(block);
        Assert.Equal(StandingKind.Suspension, block.Kind);
        Assert.Equal(ExportSuspensionRule.Basis, block.Basis);
        Assert.Equal(D("2026-01-01"), block.From);
        Assert.Equal(D("2026-12-31"), block.To);
        Assert.Contains("2024", block.Reason, StringComparison.Ordinal);
        Assert.Contains("2025", block.Reason, StringComparison.Ordinal);
        var quote = Seed003Part1.Engine.Quote(new QuoteRequest(
            "003-pg-trade-fair", D("2026-06-30"), FactProfile.FromJson(Seed003Part1.Facts("trade", """{ "pgTradeFairSpend": 86000 }""")), history, Standing: [block]));
        Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
        Assert.Contains(quote.FailedRules, r => r.Citation == ExportSuspensionRule.Basis);
    }

    [Fact]
    public void ExportRule_FourthYear_Lifted()
    {
        var history = Seed003Part1.History(("003-pg-trade-fair", 2024, 43000m), ("003-pg-trade-fair", 2025, 15000m));

        Assert.Null(ExportSuspensionRule.Evaluate(history, new Dictionary<int, decimal>(), 2027));
    }

    [Fact]
    public void ExportRule_ExportsReported_NoSuspension()
    {
        var history = Seed003Part1.History(("003-pg-trade-fair", 2024, 43000m), ("003-pg-trade-fair", 2025, 15000m));

        Assert.Null(ExportSuspensionRule.Evaluate(history, new Dictionary<int, decimal> { [2025] = 0.01m }, 2026));
    }

    [Fact]
    public void ExportRule_SupportedOneYearOnly_NoSuspension()
    {
        var history = Seed003Part1.History(("003-pg-trade-fair", 2025, 15000m));

        Assert.Null(ExportSuspensionRule.Evaluate(history, new Dictionary<int, decimal>(), 2026));
    }
}
