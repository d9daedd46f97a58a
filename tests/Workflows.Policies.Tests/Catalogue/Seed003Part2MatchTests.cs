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

    /// <summary>Every clause of 003 policies 12–23 that grants money or a quantifiable benefit (the ones left out, and why: docs/interpretations.md).</summary>
    public static readonly string[] Required =
    [
        "003-pg-exit-guidance-fund", "003-pg-cluster-zone-designation", "003-pg-cluster-zone-intake",
        "003-pg-school-other-district-renters", "003-pg-school-non-beijing-children", "003-pg-school-foreign-children",
        "003-pg-school-key-enterprise-talent", "003-pg-school-talent-children", "003-pg-medical-nearby-care",
        "003-pg-medical-green-channel", "003-pg-medical-checkup-channel", "003-pg-project-entry-consultation",
        "003-pg-talent-award", "003-pg-talent-programme-matching", "003-pg-talent-hukou", "003-pg-talent-outstanding-house",
        "003-pg-talent-rent-subsidy", "003-pg-talent-settling-subsidy", "003-pg-talent-graduate-apartment",
        "003-pg-talent-enterprise-apartments", "003-pg-talent-family-services", "003-pg-talent-car-and-driver",
        "003-pg-talent-transport-allowance", "003-pg-talent-ride-booking", "003-pg-talent-bus", "003-pg-talent-vip-travel",
        "003-pg-talent-health-care", "003-pg-talent-negotiated-pay", "003-pg-talent-academician-station",
        "003-pg-talent-academician-award", "003-pg-talent-startup-premises", "003-pg-talent-guarantee-loan",
        "003-pg-talent-phd-farm-rent", "003-pg-talent-phd-farm-award", "003-pg-talent-local-services",
        "003-pg-talent-leisure-subsidy", "003-pg-talent-postdoc-research", "003-pg-talent-studio-grant",
        "003-pg-talent-study-abroad", "003-pg-talent-honours", "003-pg-housing-fast-whole", "003-pg-housing-graduate-shared",
        "003-pg-housing-graduate-couple-both", "003-pg-housing-graduate-couple-one", "003-pg-housing-waiting-list",
        "003-pg-housing-enterprise-special", "003-pg-housing-key-project", "003-pg-housing-expert-courtyard",
        "003-pg-housing-hotel", "003-pg-work-residence-permit", "003-pg-work-permit-renewal", "003-pg-work-permit-transfer",
        "003-pg-flexible-chief-expert-funding", "003-pg-flexible-special-adviser-funding",
        "003-pg-flexible-commissioner-funding", "003-pg-flexible-weekend-expert-grant", "003-pg-flexible-case-by-case-support",
        "003-pg-flexible-talent-card", "003-pg-studio-funding", "003-pg-studio-special-support",
        "003-pg-postdoc-recruitment-grant", "003-pg-postdoc-international", "003-pg-postdoc-key-project",
        "003-pg-postdoc-studio", "003-pg-postdoc-joint-funding", "003-pg-postdoc-joint-benefits", "003-pg-postdoc-bole-award",
        "003-pg-postdoc-services", "003-pg-postdoc-settling", "003-pg-postdoc-housing", "003-pg-graduate-public-posts",
        "003-pg-graduate-hiring-insurance-subsidy", "003-pg-graduate-internship-subsidy", "003-pg-graduate-hardship-employment",
        "003-pg-graduate-flexible-insurance-subsidy", "003-pg-graduate-flexible-employment-bonus",
        "003-pg-graduate-startup-loan-interest", "003-pg-graduate-incubation-space", "003-pg-graduate-contest-award",
        "003-pg-graduate-startup-subsidy", "003-pg-graduate-hiring-bonus", "003-pg-graduate-public-welfare-post",
        "003-pg-graduate-skills-subsidy", "003-pg-graduate-services"
    ];

    [Fact]
    public void Default_HoldsEveryRequiredProgramme_AndNoOther()
    {
        var ids = ProgrammeCatalogue.Default.All.Select(p => p.Id)
            .Where(id => Loaded.Documents.Any(d => ProgrammeCatalogue.Default.Get(id).Document.Id == d.Id))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Required.Order(StringComparer.Ordinal), ids);
        Assert.Equal(Required.Length, Required.Distinct(StringComparer.Ordinal).Count());
    }
}

/// <summary>Benefits carry the eligibility their clause states, so the calculator does not offer them to everyone.</summary>
public partial class Seed003Part2Tests
{
    [Fact]
    public void Match_AnUnrelatedEnterpriseProfile_IsOfferedNoTalentOrPostdocBenefit()
    {
        var profile = FactProfile.FromJson("""
            { "pgTalentCertified": false, "pgTalentAssessed": false, "pgPostdocInStation": false, "pgFullTimeGraduate": false,
              "pgNativeOfPinggu": false, "pgFreshGraduate": false, "pgEmployerOperatesInDistrict": false }
            """);

        var offered = new Matcher(Seed003Part2.Engine).Match(profile, On).Select(m => m.Programme.Id).ToList();

        Assert.DoesNotContain("003-pg-talent-honours", offered);
        Assert.DoesNotContain("003-pg-postdoc-services", offered);
        Assert.DoesNotContain("003-pg-graduate-services", offered);
        Assert.DoesNotContain("003-pg-talent-enterprise-apartments", offered);
        Assert.Contains("003-pg-exit-guidance-fund", offered);
    }
}
