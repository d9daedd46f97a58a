using static Workflows.Policies.Tests.Catalogue.Seed003Part1;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>The policy calculator over seed 003 policies 1–11: a profile lists what it may qualify for, with estimates,
/// missing facts and deadlines.</summary>
public class Seed003Part1MatchTests
{
    private static readonly Matcher Matcher = new(Seed003Part1.Engine);

    [Fact]
    public void Match_NewlyListedCompany_ListsTheListingAwardsWithTheirClaimDeadline()
    {
        var profile = FactProfile.FromJson(Facts("listing", """{ "listingDate": "2025-05-20" }"""));

        var results = Matcher.Match(profile, On);

        var eligible = results.Where(r => r.Outcome == QuoteOutcome.Eligible).ToDictionary(r => r.Programme.Id, r => r);
        Assert.Equal(["003-pg-listing-coaching", "003-pg-listing-growth-board", "003-pg-listing-main-board", "003-pg-listing-neeq-innovation"], eligible.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(10_000_000m, eligible["003-pg-listing-main-board"].Estimate);
        Assert.Equal(new DateOnly(2025, 8, 13), eligible["003-pg-listing-main-board"].Deadlines.Single(d => d.Stage == StageKind.ClaimWindow).Date);
        Assert.Null(eligible["003-pg-listing-coaching"].Estimate);
    }

    [Fact]
    public void Match_SmeProfileWithoutDecision_ShowsCeilingsAsUpperBoundsAndMissingFacts()
    {
        var profile = FactProfile.FromJson(Facts("sme", """{ "pgMaintainedOnReview": false, "pgSmeCentreLevel": "national", "pgFixedAssetInvestment": 5000000, "pgEquipmentShare": 0.8, "pgConstructionShare": 0.2 }"""));

        var results = Matcher.Match(profile, On).ToDictionary(r => r.Programme.Id, r => r);

        Assert.Equal(QuoteOutcome.Eligible, results["003-pg-sme-tech-upgrade"].Outcome);
        Assert.Equal(500_000m, results["003-pg-sme-tech-upgrade"].Estimate);
        Assert.Equal(QuoteOutcome.Incomplete, results["003-pg-sme-rnd-centre"].Outcome);
        Assert.Equal(600_000m, results["003-pg-sme-rnd-centre"].Estimate);
        Assert.True(results["003-pg-sme-rnd-centre"].EstimateIsUpperBound);
        Assert.Contains(results["003-pg-sme-rnd-centre"].MissingFacts, f => f.Name == "decidedAmount");
    }

    [Fact]
    public void Match_ProfileThatFailsAKnownRule_LeavesTheProgrammeOut()
    {
        var profile = FactProfile.FromJson(Facts("sme", """{ "pgYearsInOperation": 1, "pgInformatisationInvestment": 2000000 }"""));

        var ids = Matcher.Match(profile, On).Select(r => r.Programme.Id).ToList();

        Assert.DoesNotContain("003-pg-sme-informatisation", ids); // 生产经营满两年 fails
        Assert.Contains("003-pg-sme-new-enterprise", ids);        // the two-year rule is skipped there
    }
}
