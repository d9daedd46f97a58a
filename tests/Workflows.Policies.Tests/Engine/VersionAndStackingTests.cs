using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Engine;

/// <summary>Policy versions (001 abolishes 004), carry-over, effective periods and stacking across the award history.</summary>
public class VersionAndStackingTests
{
    [Fact]
    public void PeriodOf_004_EndsTheDayBefore001TakesEffect()
    {
        var period004 = Own.PeriodOf(Own.Get("004-zjtx-award"));
        var period001 = Own.PeriodOf(Own.Get("001-zjtx-award"));

        Assert.Equal(new DateRange(D("2023-11-29"), D("2025-04-10")), period004);
        Assert.Equal(new DateRange(D("2025-04-11"), D("2027-12-31")), period001);
    }

    [Theory]
    [InlineData("2023-11-28", false, false)]
    [InlineData("2023-11-29", true, false)]
    [InlineData("2025-04-10", true, false)]
    [InlineData("2025-04-11", false, true)]
    [InlineData("2027-12-31", false, true)]
    [InlineData("2028-01-01", false, false)]
    public void InForce_AroundTheVersionChange(string date, bool in004, bool in001)
    {
        var inForce = Own.InForce(D(date)).Select(p => p.Id).ToList();

        Assert.Equal(in004, inForce.Contains("004-zjtx-award"));
        Assert.Equal(in001, inForce.Contains("001-zjtx-award"));
    }

    [Fact]
    public void Quote_SameFactsAcrossTheVersionChange_AmountsFollowTheVersionInForce()
    {
        var facts = Good004(("zjtxLevel", "national-little-giant"), ("newlyRelocated", false)).With("operatesInArea", FactValue.Of(true));

        var before = Quote("004-zjtx-award", "2025-04-10", facts);
        var after = Quote("001-zjtx-award", "2025-04-11", facts);

        AssertAmount(500000m, before);
        AssertAmount(800000m, after);
        Assert.Contains(before.Steps, s => s.Citation.ToString() == "004 第一条");
        Assert.Contains(after.Steps, s => s.Citation.ToString() == "001 三(六)");
    }

    [Fact]
    public void Quote_RdGrowthAcrossTheVersionChange_004ExcessOverTargetVs001Bands()
    {
        // Last year 10,000,000, this year 11,800,000; the 004 target is 10% growth (11,000,000).
        var facts = Good004(("holdsLittleGiant", true), ("rdExpense", 11800000m), ("rdTargetExpense", 11000000m), ("rdExpensePreviousYear", 10000000m))
            .With("operatesInArea", FactValue.Of(true));

        AssertAmount(160000m, Quote("004-rd-growth", "2025-03-31", facts)); // 20% × 800,000
        AssertAmount(80000m, Quote("001-rd-growth", "2025-06-30", facts));  // 10% × 800,000
    }

    [Fact]
    public void Quote_004AfterAbolition_ThrowsNamingPeriodAndSuccessor()
    {
        var e = Assert.Throws<NotInForceException>(() => Quote("004-zjtx-award", "2025-06-01", Good004()));

        Assert.Equal("001-zjtx-award", e.SuccessorId);
        Assert.Contains("2025-04-10", e.Message, StringComparison.Ordinal);
        Assert.Contains("001-zjtx-award", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("004-zjtx-award", "2024-06-30", "004-zjtx-award")]
    [InlineData("004-zjtx-award", "2025-06-30", "001-zjtx-award")]
    [InlineData("001-zjtx-award", "2024-06-30", "004-zjtx-award")]
    [InlineData("004-rd-growth", "2026-01-15", "001-rd-growth")]
    public void ResolveVersion_FollowsReplacementsBothWays(string id, string on, string expected)
    {
        Assert.Equal(expected, Own.ResolveVersion(id, D(on)).Id);
    }

    [Fact]
    public void ResolveVersion_NoVersionInForce_Throws()
    {
        Assert.Throws<NotInForceException>(() => Own.ResolveVersion("004-growth-plan-rent", D("2025-06-30")));
        Assert.Throws<NotInForceException>(() => Own.ResolveVersion("001-zjtx-award", D("2028-01-01")));
    }

    [Fact]
    public void Quote_001After2027_Throws()
    {
        Assert.Throws<NotInForceException>(() => Quote("001-zjtx-award", "2028-01-01", Good001()));
    }

    [Fact]
    public void Quote_001For2024Cycle_IsACarryOverCitingTheClause()
    {
        var quote = Quote("001-zjtx-award", "2025-06-30", Good001(("zjtxLevel", "beijing-zjtx")), cycle: 2024);

        AssertAmount(300000m, quote);
        Assert.Equal(2024, quote.CycleYear);
        Assert.Contains(quote.Steps, s => s.Citation.ToString() == "001 八(三)" && s.TextEn.Contains("carry-over", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_001For2023Cycle_IsNotCovered()
    {
        var e = Assert.Throws<CycleNotCoveredException>(() => Quote("001-zjtx-award", "2025-06-30", Good001(("zjtxLevel", "beijing-zjtx")), cycle: 2023));

        Assert.Contains("2024, 2025, 2026, 2027", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_UnknownProgramme_Throws()
    {
        var e = Assert.Throws<UnknownProgrammeException>(() => Quote("004-nope", "2024-06-30", Good004()));
        Assert.Contains("004-nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_MistypedFact_ThrowsNamingTheFact()
    {
        var e = Assert.Throws<FactException>(() => Quote("004-zjtx-award", "2024-06-30", Good004(("zjtxLevel", "national-little-giant"), ("newlyRelocated", "yes"))));
        Assert.Equal("newlyRelocated", e.Fact);
    }

    [Fact]
    public void Quote_EnumValueNotAllowed_ThrowsListingTheValues()
    {
        var e = Assert.Throws<FactException>(() => Quote("004-zjtx-award", "2024-06-30", Good004(("zjtxLevel", "gold"), ("newlyRelocated", false))));
        Assert.Contains("national-little-giant", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_FactOutOfRange_Throws()
    {
        var facts = Good001(("springBambooRecognised", true), ("headcount", -1), ("rentRate", 1m), ("leasedArea", 10m), ("leasedDays", 365));
        var e = Assert.Throws<FactException>(() => Quote("001-spring-bamboo-rent", "2025-06-30", facts));
        Assert.Equal("headcount", e.Fact);
        Assert.Throws<FactException>(() => Quote("001-spring-bamboo-rent", "2025-06-30", facts.With("headcount", FactValue.Of(10L)).With("leasedDays", FactValue.Of(367L))));
    }

    // ---------------------------------------------------------------- promotion across versions
    [Fact]
    public void Promotion_BeijingUnder004_LittleGiantUnder001_PaysTheDifferenceOf001Amounts()
    {
        var history = History(Award("004-zjtx-award", 2024, 200000m, "beijing-zjtx"));

        var quote = Quote("001-zjtx-award", "2025-06-30", Good001(("zjtxLevel", "national-little-giant")), history);

        AssertAmount(600000m, quote);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("004-zjtx-award", StringComparison.Ordinal));
    }

    [Fact]
    public void Promotion_LittleGiantUnder004_SingleChampionUnder001()
    {
        var history = History(Award("004-zjtx-award", 2024, 500000m, "national-little-giant"));

        AssertAmount(1500000m, Quote("001-zjtx-award", "2026-06-30", Good001(("zjtxLevel", "national-single-champion")), history));
    }

    [Fact]
    public void Promotion_LowerLevelAfterHigher_PaysNothing()
    {
        var history = History(Award("001-zjtx-award", 2025, 800000m, "national-little-giant"));

        AssertFails("already-paid", Quote("001-zjtx-award", "2026-06-30", Good001(("zjtxLevel", "beijing-zjtx")), history));
    }

    // ---------------------------------------------------------------- 001 八(二)
    [Fact]
    public void Exclusive_RdGrowthAfterBaicaixinInTheSameCycle_Fails()
    {
        var history = History(Award("001-baicaixin", 2025, 5000000m));
        var facts = Good001(("rdExpensePreviousYear", 10000000m), ("rdExpense", 11800000m));

        var quote = Quote("001-rd-growth", "2025-09-30", facts, history);

        AssertFails("stacking:001-exclusive-1-2-3-4-7", quote);
        Assert.Equal("001 八(二)", quote.FailedRules.Single().Citation.ToString());
        Assert.Contains("001-baicaixin", quote.FailedRules.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exclusive_BaicaixinInAnotherCycle_DoesNotBlock()
    {
        var history = History(Award("001-baicaixin", 2025, 5000000m));

        AssertAmount(80000m, Quote("001-rd-growth", "2026-09-30", Good001(("rdExpensePreviousYear", 10000000m), ("rdExpense", 11800000m)), history));
    }

    [Fact]
    public void Exclusive_SameClauseTwice_IsNotAConflict()
    {
        var history = History(Award("001-major-project-matching", 2025, 5000000m, projectKey: "P1"));
        var facts = Good001(("undertakesMajorProject", true), ("superiorFunding", 2000000m)).WithProjectKey("P2");

        AssertAmount(2000000m, Quote("001-major-project-matching", "2025-09-30", facts, history));
    }

    [Fact]
    public void HigherOnly_SameProjectEarlierLowerAward_TopsUpToTheHigher()
    {
        var history = History(Award("001-science-award", 2025, 200000m, "beijing-second", "LAB-1"));
        var facts = Good001(("platformLevel", "beijing-key-laboratory")).WithProjectKey("LAB-1");

        var quote = Quote("001-innovation-platform", "2025-09-30", facts, history);

        AssertAmount(800000m, quote);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("从优不重复", StringComparison.Ordinal) && s.Amount == 800000m);
    }

    [Fact]
    public void HigherOnly_SameProjectEarlierHigherAward_Fails()
    {
        var history = History(Award("001-innovation-platform", 2025, 1000000m, "beijing-key-laboratory", "LAB-1"));
        var facts = Good001(("capitalSciTechPlatformApproved", true)).WithProjectKey("LAB-1");

        AssertFails("stacking:etown-same-project", Quote("001-capital-sci-tech-platform", "2025-09-30", facts, history));
    }

    [Fact]
    public void HigherOnly_DifferentProject_DoesNotApply()
    {
        var history = History(Award("001-innovation-platform", 2025, 1000000m, "beijing-key-laboratory", "LAB-1"));
        var facts = Good001(("capitalSciTechPlatformApproved", true)).WithProjectKey("LAB-2");

        AssertAmount(500000m, Quote("001-capital-sci-tech-platform", "2025-09-30", facts, history));
    }
}
