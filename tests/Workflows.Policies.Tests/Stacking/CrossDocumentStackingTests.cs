namespace Workflows.Policies.Tests.Stacking;

/// <summary>
/// 000 第十条 and 001 八(二): the same project under two E-Town documents is supported once, at the higher amount
/// (从高不重复 / 从优不重复). Both documents' programmes share the stacking group <c>etown-same-project</c>.
/// </summary>
public class CrossDocumentStackingTests
{
    private static readonly DateOnly On = new(2025, 6, 30);

    private static readonly Lazy<QuoteEngine> Engine = new(() =>
    {
        var options = new CatalogueOptions();
        options.EffectivePeriods["000"] = new DateRange(new DateOnly(2020, 1, 1), new DateOnly(2030, 12, 31));
        return new QuoteEngine(ProgrammeCatalogue.Load(options), WorkingDayCalendar.Default);
    });

    private static Quote Science(string tier, string project, AwardHistory history) =>
        Engine.Value.Quote(new QuoteRequest("000-yc-science-award", On,
            FactProfile.FromJson($$"""{ "ycTargetIndustry": true, "ycScienceAward": "{{tier}}" }""").WithProjectKey(project), history));

    private static AwardHistory PaidUnder001(decimal amount, string tier, string project) =>
        new([new AwardRecord("001-science-award", 2025, amount, new DateOnly(2025, 5, 20), tier, project)]);

    [Fact]
    public void ScienceAward_SameProjectPaidLowerUnder001_000PaysOnlyTheDifference()
    {
        // 001 三(五): 北京市特等奖 50万; 000 第三条: 北京市特等奖 100万 → the higher, less what 001 paid.
        var quote = Science("beijing-special", "prize-2024-17", PaidUnder001(500_000m, "beijing-special", "prize-2024-17"));

        Assert.Equal(QuoteOutcome.Eligible, quote.Outcome);
        Assert.Equal(500_000m, quote.Amount);
        Assert.Contains(quote.Steps, s => s.Citation.ToString().Contains("第十条", StringComparison.Ordinal));
    }

    [Fact]
    public void ScienceAward_SameProjectPaidEqualUnder001_000PaysNothing()
    {
        var quote = Science("national-first", "prize-2024-17", PaidUnder001(1_000_000m, "national-first", "prize-2024-17"));

        Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
        Assert.Contains(quote.FailedRules, r => r.RuleId.Contains("etown-same-project", StringComparison.Ordinal));
    }

    [Fact]
    public void ScienceAward_OtherProjectPaidUnder001_000PaysInFull()
    {
        var quote = Science("beijing-special", "prize-2024-17", PaidUnder001(500_000m, "beijing-special", "another-prize"));

        Assert.Equal(QuoteOutcome.Eligible, quote.Outcome);
        Assert.Equal(1_000_000m, quote.Amount);
    }
}
