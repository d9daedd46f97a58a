using static Workflows.Policies.Tests.Catalogue.Seed003Part2;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>The policy calculator over 003 policies 12–23 and 000: a profile lists what it may qualify for.</summary>
public partial class Seed003Part2Tests
{
    [Fact]
    public void Match_ATalentProfile_ListsAwardsWithEstimatesAndMissingFacts()
    {
        var profile = FactProfile.FromJson("""{ "pgTalentCategory": "a", "pgTalentCertified": true, "pgTalentAssessed": true, "pgFullTimeInPinggu": true }""");

        var matches = new Matcher(Seed003Part2.Engine).Match(profile, On);

        var award = Assert.Single(matches, m => m.Programme.Id == "003-pg-talent-award");
        Assert.Equal(QuoteOutcome.Eligible, award.Outcome);
        Assert.Equal(500000m, award.Estimate);
        var settling = Assert.Single(matches, m => m.Programme.Id == "003-pg-talent-settling-subsidy");
        Assert.Equal(QuoteOutcome.Incomplete, settling.Outcome);
        Assert.Contains(settling.MissingFacts, f => f.Name == "pgYearsFullTimeInPinggu");
        Assert.DoesNotContain(matches, m => m.Programme.Id == "003-pg-talent-outstanding-house");
        Assert.Equal(QuoteOutcome.Eligible, matches[0].Outcome);
    }

    [Fact]
    public void Match_EtownDistinguishedTalent_ShowsTheChoiceAndInstalments()
    {
        var matches = new Matcher(Seed000.Engine).Match(FactProfile.FromJson("""{ "ycTargetIndustry": true, "ycTalentTier": "distinguished", "ycFullTimeInEtown": true }"""), Seed000.On);

        var award = Assert.Single(matches, m => m.Programme.Id == "000-yc-distinguished-talent-award");
        Assert.Equal(1000000m, award.Estimate);
        Assert.Equal(3, award.Quote.Instalments.Count);
        Assert.Contains(matches, m => m.Programme.Id == "000-yc-personal-contribution-award" && m.Outcome == QuoteOutcome.Incomplete);
        Assert.DoesNotContain(matches, m => m.Programme.Id == "000-yc-leading-talent-award");
    }
}
