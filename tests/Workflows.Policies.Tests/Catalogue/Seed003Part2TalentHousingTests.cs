using static Workflows.Policies.Tests.Catalogue.Seed003Part2;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 17–18: Pinggu talent ten articles and the talent housing rules.</summary>
public partial class Seed003Part2Tests
{
    [Theory]
    [InlineData("outstanding", 1000000)]
    [InlineData("a", 500000)]
    [InlineData("b", 300000)]
    [InlineData("c", 100000)]
    public void TalentAward_ByCategory_PaysNetAmount(string category, int expected)
    {
        var quote = Quote("003-pg-talent-award", $$"""{ "pgTalentAssessed": true, "pgFullTimeInPinggu": true, "pgTalentCategory": "{{category}}" }""");

        AssertAmount(quote, expected);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("税后", StringComparison.Ordinal));
    }

    [Fact]
    public void TalentAward_NotFullTimeOrNoCategory_NotEligible()
    {
        AssertFails(Quote("003-pg-talent-award", """{ "pgTalentAssessed": true, "pgFullTimeInPinggu": false, "pgTalentCategory": "a" }"""), "full-time");
        AssertFails(Quote("003-pg-talent-award", """{ "pgTalentAssessed": true, "pgFullTimeInPinggu": true, "pgTalentCategory": "none" }"""), "tier");
    }

    [Fact]
    public void TalentProgrammeMatching_OneToOne_NoCap()
    {
        AssertAmount(Quote("003-pg-talent-programme-matching", """{ "pgTalentProgrammeLevel": "national", "pgTalentProgrammeWithin3Years": true, "pgTalentProgrammeFunding": 5000000.5 }"""), 5000000.5m);
        AssertFails(Quote("003-pg-talent-programme-matching", """{ "pgTalentProgrammeLevel": "other", "pgTalentProgrammeWithin3Years": true, "pgTalentProgrammeFunding": 1 }"""), "level");
        AssertFails(Quote("003-pg-talent-programme-matching", """{ "pgTalentProgrammeLevel": "provincial", "pgTalentProgrammeWithin3Years": false, "pgTalentProgrammeFunding": 1 }"""), "within-3-years");
    }

    [Fact]
    public void TalentRentSubsidy_AboveRent_CappedAt100Percent()
    {
        AssertAmount(Quote("003-pg-talent-rent-subsidy", """{ "pgTalentCertified": true, "pgTalentRentPaid": 40000, "decidedAmount": 50000 }"""), 40000m);
        AssertAmount(Quote("003-pg-talent-rent-subsidy", """{ "pgTalentCertified": true, "pgTalentRentPaid": 40000, "decidedAmount": 24000 }"""), 24000m);
    }

    [Fact]
    public void TalentRentSubsidy_AfterHousingSubsidySameCycle_Exclusive()
    {
        var history = History(("003-pg-housing-fast-whole", 2025, 36000m));

        AssertFails(Quote("003-pg-talent-rent-subsidy", """{ "pgTalentCertified": true, "pgTalentRentPaid": 40000, "decidedAmount": 24000 }""", history), "stacking:003-pg-talent-housing");
        AssertAmount(Quote("003-pg-talent-rent-subsidy", """{ "pgTalentCertified": true, "pgTalentRentPaid": 40000, "decidedAmount": 24000 }""", history, cycleYear: 2026, on: new DateOnly(2026, 3, 1)), 24000m);
    }

    [Theory]
    [InlineData("a", 100000)]
    [InlineData("b", 80000)]
    [InlineData("c", 60000)]
    public void SettlingSubsidy_FiveYearEdge(string category, int expected)
    {
        AssertAmount(Quote("003-pg-talent-settling-subsidy", $$"""{ "pgTalentCertified": true, "pgYearsFullTimeInPinggu": 5, "pgFirstHomeBoughtInDistrict": true, "pgTalentCategory": "{{category}}" }"""), expected);
        AssertFails(Quote("003-pg-talent-settling-subsidy", $$"""{ "pgTalentCertified": true, "pgYearsFullTimeInPinggu": 4.99, "pgFirstHomeBoughtInDistrict": true, "pgTalentCategory": "{{category}}" }"""), "five-years");
    }

    [Fact]
    public void SettlingSubsidy_Outstanding_NotInTable()
    {
        AssertFails(Quote("003-pg-talent-settling-subsidy", """{ "pgTalentCertified": true, "pgYearsFullTimeInPinggu": 8, "pgFirstHomeBoughtInDistrict": true, "pgTalentCategory": "outstanding" }"""), "tier");
    }

    [Fact]
    public void SettlingSubsidy_SecondClaim_OnlyDifference()
    {
        var paidC = new AwardHistory([new AwardRecord("003-pg-talent-settling-subsidy", 2024, 60000m, new DateOnly(2024, 6, 30), "c")]);
        const string Facts = """ "pgTalentCertified": true, "pgYearsFullTimeInPinggu": 6, "pgFirstHomeBoughtInDistrict": true """;

        AssertAmount(Quote("003-pg-talent-settling-subsidy", "{" + Facts + """, "pgTalentCategory": "a" }""", paidC), 40000m);
        AssertFails(Quote("003-pg-talent-settling-subsidy", "{" + Facts + """, "pgTalentCategory": "c" }""", paidC), "already-paid");
    }

    private const string Outstanding = """ "pgTalentAssessed": true, "pgTalentCategory": "outstanding" """;

    [Fact]
    public void TransportAllowance_TwelveMonths_Pays72000()
    {
        AssertAmount(Quote("003-pg-talent-transport-allowance", "{" + Outstanding + """, "pgAllowanceMonths": 12 }"""), 72000m);
        AssertAmount(Quote("003-pg-talent-transport-allowance", "{" + Outstanding + """, "pgAllowanceMonths": 5 }"""), 30000m);
        Assert.Throws<FactException>(() => Quote("003-pg-talent-transport-allowance", "{" + Outstanding + """, "pgAllowanceMonths": 13 }"""));
        AssertFails(Quote("003-pg-talent-transport-allowance", """{ "pgTalentAssessed": true, "pgTalentCategory": "a", "pgAllowanceMonths": 12 }"""), "outstanding");
    }

    [Fact]
    public void TransportAllowance_AfterCarSameCycle_Exclusive()
    {
        var history = History(("003-pg-talent-car-and-driver", 2025, 0m));

        AssertFails(Quote("003-pg-talent-transport-allowance", "{" + Outstanding + """, "pgAllowanceMonths": 12 }""", history), "stacking:003-pg-outstanding-transport");
        AssertBenefit(Quote("003-pg-talent-car-and-driver", "{" + Outstanding + "}"));
    }

    [Fact]
    public void RideBooking_DecidedAboveCost_CappedAtCost()
    {
        AssertAmount(Quote("003-pg-talent-ride-booking", """{ "pgTalentAssessed": true, "pgSubsidisedCost": 1234.5, "decidedAmount": 2000 }"""), 1234.5m);
        AssertAmount(Quote("003-pg-talent-ride-booking", """{ "pgTalentAssessed": true, "pgSubsidisedCost": 1234.5, "decidedAmount": 740.7 }"""), 740.7m);
        AssertAmount(Quote("003-pg-talent-leisure-subsidy", """{ "pgTalentCertified": true, "pgSubsidisedCost": 800, "decidedAmount": 900 }"""), 800m);
    }

    [Fact]
    public void TalentBus_HalfOfOperatingCost()
    {
        AssertAmount(Quote("003-pg-talent-bus", """{ "pgTalentBusArea": true, "pgTalentBusOperatingCost": 360000.01 }"""), 180000.01m);
    }

    [Theory]
    [InlineData("003-pg-talent-academician-station", """{ "pgAcademicianStation": true }""", 5000000)]
    [InlineData("003-pg-talent-academician-award", """{ "pgIsAcademician": true }""", 1000000)]
    [InlineData("003-pg-talent-phd-farm-award", """{ "pgTalentCertified": true }""", 1000000)]
    [InlineData("003-pg-talent-studio-grant", """{ "pgStudioApproved": true }""", 300000)]
    [InlineData("003-pg-flexible-special-adviser-funding", """{ "pgFlexibleRole": "special-adviser", "pgFlexibleAppointedInCycle": true }""", 60000)]
    [InlineData("003-pg-flexible-commissioner-funding", """{ "pgFlexibleRole": "talent-commissioner", "pgFlexibleAppointedInCycle": true }""", 25000)]
    [InlineData("003-pg-postdoc-studio", """{ "pgPostdocStudioHost": true }""", 300000)]
    [InlineData("003-pg-postdoc-bole-award", """{ "pgIsPostdocIntermediary": true }""", 500000)]
    [InlineData("003-pg-postdoc-settling", """{ "pgPostdocSettlingEligible": true }""", 80000)]
    [InlineData("003-pg-graduate-contest-award", """{ "pgContestWinner": true }""", 100000)]
    public void Discretionary_WithoutDecision_EstimateIsTheStatedCap(string programme, string facts, int cap)
    {
        var open = Quote(programme, facts);
        Assert.Equal(QuoteOutcome.Incomplete, open.Outcome);
        Assert.Equal(cap, open.Estimate);
        Assert.True(open.EstimateIsUpperBound);

        var withDecision = facts == "{}" ? """{ "decidedAmount": 99999999 }""" : facts.TrimEnd('}', ' ') + """, "decidedAmount": 99999999 }""";
        AssertAmount(Quote(programme, withDecision), cap);
        var below = facts == "{}" ? """{ "decidedAmount": 1000.01 }""" : facts.TrimEnd('}', ' ') + """, "decidedAmount": 1000.01 }""";
        AssertAmount(Quote(programme, below), 1000.01m);
    }

    [Theory]
    [InlineData("003-pg-talent-startup-premises")]
    [InlineData("003-pg-talent-phd-farm-rent")]
    [InlineData("003-pg-talent-study-abroad")]
    [InlineData("003-pg-flexible-case-by-case-support")]
    [InlineData("003-pg-studio-special-support")]
    [InlineData("003-pg-postdoc-international")]
    [InlineData("003-pg-graduate-hiring-insurance-subsidy")]
    [InlineData("003-pg-graduate-internship-subsidy")]
    [InlineData("003-pg-graduate-skills-subsidy")]
    public void Discretionary_NoStatedCap_NoUpperBound(string programme)
    {
        var p = Loaded.Get(programme);

        Assert.True(p.Formula.IsDiscretionary);
        Assert.Null(p.Formula.MaxAmount);
    }

    [Fact]
    public void PostdocEntry_PaidUnderOneDocument_NotAgainUnderTheOther()
    {
        var history = ProjectHistory("postdoc-li", ("003-pg-talent-postdoc-research", 2025, 100000m));

        AssertFails(Quote("003-pg-postdoc-recruitment-grant", """{ "pgPostdocStationApproved": true, "pgPostdocsRecruited": 1 }""", history, projectKey: "postdoc-li"), "stacking:003-pg-postdoc-entry");
        AssertAmount(Quote("003-pg-postdoc-recruitment-grant", """{ "pgPostdocStationApproved": true, "pgPostdocsRecruited": 1 }""", history, projectKey: "postdoc-wang"), 100000m);
        AssertAmount(Quote("003-pg-talent-postdoc-research", """{ "pgNewPostdoc": true }""", projectKey: "postdoc-wang"), 100000m);
    }

    [Fact]
    public void StudioGrant_PaidUnderOneDocument_NotAgainUnderAnother()
    {
        var history = ProjectHistory("studio-apple", ("003-pg-studio-funding", 2024, 200000m));

        AssertFails(Quote("003-pg-talent-studio-grant", """{ "pgStudioApproved": true, "decidedAmount": 300000 }""", history, projectKey: "studio-apple"), "stacking:003-pg-studio");
        AssertFails(Quote("003-pg-postdoc-studio", """{ "pgPostdocStudioHost": true, "decidedAmount": 300000 }""", history, projectKey: "studio-apple"), "stacking:003-pg-studio");
    }

    [Fact]
    public void TalentBenefits_EligibilityOnly()
    {
        AssertBenefit(Quote("003-pg-talent-hukou", """{ "pgTalentCertified": true, "pgTalentCategory": "b" }"""));
        AssertBenefit(Quote("003-pg-talent-outstanding-house", "{" + Outstanding + "}"));
        AssertFails(Quote("003-pg-talent-outstanding-house", """{ "pgTalentAssessed": true, "pgTalentCategory": "a" }"""), "outstanding");
        AssertBenefit(Quote("003-pg-talent-negotiated-pay", """{ "pgTalentCategory": "b" }"""));
        AssertFails(Quote("003-pg-talent-negotiated-pay", """{ "pgTalentCategory": "c" }"""), "a-or-b");
        AssertBenefit(Quote("003-pg-talent-guarantee-loan", """{ "pgTalentCertified": true }"""));
    }

    private const string Housing = """
        "pgHousingEmploymentAgreement": true, "pgPinguInnovationContributor": false, "pgHighestEducation": "bachelor",
        "pgHasIntermediateTitleOrSeniorTechnician": false, "pgQualificationRelaxedByEmployer": false,
        "pgFamilyOwnsPropertyHomeInDistrict": false, "pgFamilyOwnsRuralSelfBuiltHome": false, "pgRuralHomeDistanceKm": 0,
        "pgHousingViolationRecord": false, "pgEmployerOperatesInDistrict": true, "pgTalentRentPaid": 36000
        """;

    [Theory]
    [InlineData("a", 36000)]
    [InlineData("b", 28800)]
    [InlineData("c", 21600)]
    [InlineData("urgent-a", 36000)]
    [InlineData("urgent-b", 28800)]
    [InlineData("urgent-c", 21600)]
    [InlineData("flexible", 36000)]
    [InlineData("postdoc", 21600)]
    public void HousingFast_ByType_PaysRateOfRent(string type, int expected)
    {
        AssertAmount(Quote("003-pg-housing-fast-whole", "{" + Housing + $$""", "pgHousingTalentType": "{{type}}" }"""), expected);
    }

    [Fact]
    public void HousingFast_NoType_FailsTier()
    {
        AssertFails(Quote("003-pg-housing-fast-whole", "{" + Housing + """, "pgHousingTalentType": "none" }"""), "tier");
    }

    [Fact]
    public void HousingFast_Contributor_NeedsApproval()
    {
        AssertFails(Quote("003-pg-housing-fast-whole", "{" + Housing + """, "pgHousingTalentType": "contributor", "pgOrgDeptApproved": false }"""), "contributor-approved");
        AssertAmount(Quote("003-pg-housing-fast-whole", "{" + Housing + """, "pgHousingTalentType": "contributor", "pgOrgDeptApproved": true }"""), 21600m);
    }

    [Fact]
    public void HousingGeneral_RuralHomeDistanceAndQualification_Edges()
    {
        var ruralAt20 = Housing.Replace("\"pgFamilyOwnsRuralSelfBuiltHome\": false, \"pgRuralHomeDistanceKm\": 0", "\"pgFamilyOwnsRuralSelfBuiltHome\": true, \"pgRuralHomeDistanceKm\": 20", StringComparison.Ordinal);
        var ruralAbove20 = ruralAt20.Replace("\"pgRuralHomeDistanceKm\": 20", "\"pgRuralHomeDistanceKm\": 20.01", StringComparison.Ordinal);
        var noDegree = Housing.Replace("\"pgHighestEducation\": \"bachelor\"", "\"pgHighestEducation\": \"below-bachelor\"", StringComparison.Ordinal);

        AssertFails(Quote("003-pg-housing-fast-whole", "{" + ruralAt20 + """, "pgHousingTalentType": "a" }"""), "no-home-in-district");
        AssertAmount(Quote("003-pg-housing-fast-whole", "{" + ruralAbove20 + """, "pgHousingTalentType": "a" }"""), 36000m);
        AssertFails(Quote("003-pg-housing-fast-whole", "{" + noDegree + """, "pgHousingTalentType": "a" }"""), "qualification");
    }

    private const string Graduate = """, "pgFullTimeGraduate": true, "pgGraduateCondition": "world-top-300" """;

    [Fact]
    public void HousingGraduate_FourthYear_FailsMaxYears()
    {
        AssertAmount(Quote("003-pg-housing-graduate-shared", "{" + Housing + Graduate + "}", History(("003-pg-housing-graduate-shared", 2023, 1m), ("003-pg-housing-graduate-shared", 2024, 1m))), 36000m);
        AssertFails(Quote("003-pg-housing-graduate-shared", "{" + Housing + Graduate + "}", History(("003-pg-housing-graduate-shared", 2022, 1m), ("003-pg-housing-graduate-shared", 2024, 1m))), "max-years");
        AssertFails(Quote("003-pg-housing-graduate-shared", "{" + Housing + """, "pgFullTimeGraduate": true, "pgGraduateCondition": "none" }"""), "tier");
    }

    [Fact]
    public void HousingGraduateCouple_BothQualify_FiveYears()
    {
        var fourYears = History(("003-pg-housing-graduate-couple-both", 2021, 1m), ("003-pg-housing-graduate-couple-both", 2024, 1m));

        AssertAmount(Quote("003-pg-housing-graduate-couple-both", "{" + Housing + Graduate + """, "pgSpouseGraduateCondition": "master-provincial-award" }""", fourYears), 36000m);
        AssertFails(Quote("003-pg-housing-graduate-couple-both", "{" + Housing + Graduate + """, "pgSpouseGraduateCondition": "master-provincial-award" }""", History(("003-pg-housing-graduate-couple-both", 2020, 1m))), "max-years");
        AssertFails(Quote("003-pg-housing-graduate-couple-both", "{" + Housing + Graduate + """, "pgSpouseGraduateCondition": "none" }"""), "spouse-qualifies");
    }

    [Fact]
    public void HousingGraduateCoupleOne_HalfRent_ThreeYears()
    {
        AssertAmount(Quote("003-pg-housing-graduate-couple-one", "{" + Housing + Graduate + """, "pgSpouseGraduateCondition": "none" }"""), 18000m);
        AssertFails(Quote("003-pg-housing-graduate-couple-one", "{" + Housing + Graduate + """, "pgSpouseGraduateCondition": "none" }""", History(("003-pg-housing-graduate-couple-one", 2022, 1m))), "max-years");
    }

    [Fact]
    public void HousingWaitingListKeyProjectCourtyard_Rates()
    {
        AssertAmount(Quote("003-pg-housing-waiting-list", "{" + Housing + """, "pgWaitingListAllocated": true }"""), 18000m);
        AssertAmount(Quote("003-pg-housing-key-project", """{ "pgEmployerOperatesInDistrict": true, "pgOrgDeptApproved": true, "pgTalentRentPaid": 50000 }"""), 50000m);
        AssertAmount(Quote("003-pg-housing-expert-courtyard", "{" + Housing + """, "pgCourtyardBasis": "collectively-decided" }"""), 36000m);
    }

    private const string Enterprise = """ "pgEmployerOperatesInDistrict": true, "pgOrgDeptApproved": true, "pgEnterpriseListed": false, "pgEnterpriseKeyLab": false, "pgEnterpriseAcademicianOrPostdocPlatform": false, "pgEnterpriseOtherMajorAchievement": false, "pgSpecialSetYearsInUse": 1, "pgTalentRentPaid": 30000 """;

    [Fact]
    public void HousingEnterprise_TaxAt1000WanGrowthJustAbove20_Eligible()
    {
        AssertAmount(Quote("003-pg-housing-enterprise-special", "{" + Enterprise + """, "pgEnterpriseTaxLastYear": 10000000, "pgEnterpriseTaxGrowth": 0.2001, "pgEnterpriseSpecialSetsHeld": 4 }"""), 18000m);
    }

    [Fact]
    public void HousingEnterprise_GrowthExactly20_NotEligible()
    {
        AssertFails(Quote("003-pg-housing-enterprise-special", "{" + Enterprise + """, "pgEnterpriseTaxLastYear": 20000000, "pgEnterpriseTaxGrowth": 0.2, "pgEnterpriseSpecialSetsHeld": 0 }"""), "enterprise-contribution");
        AssertFails(Quote("003-pg-housing-enterprise-special", "{" + Enterprise + """, "pgEnterpriseTaxLastYear": 9999999.99, "pgEnterpriseTaxGrowth": 0.5, "pgEnterpriseSpecialSetsHeld": 0 }"""), "enterprise-contribution");
    }

    [Fact]
    public void HousingEnterprise_FiveSetsHeld_FailsCap()
    {
        var listed = Enterprise.Replace("\"pgEnterpriseListed\": false", "\"pgEnterpriseListed\": true", StringComparison.Ordinal);

        AssertFails(Quote("003-pg-housing-enterprise-special", "{" + listed + """, "pgEnterpriseTaxLastYear": 0, "pgEnterpriseTaxGrowth": 0, "pgEnterpriseSpecialSetsHeld": 5 }"""), "at-most-5-sets");
        AssertFails(Quote("003-pg-housing-enterprise-special", "{" + listed.Replace("\"pgSpecialSetYearsInUse\": 1", "\"pgSpecialSetYearsInUse\": 7", StringComparison.Ordinal) + """, "pgEnterpriseTaxLastYear": 0, "pgEnterpriseTaxGrowth": 0, "pgEnterpriseSpecialSetsHeld": 1 }"""), "at-most-6-years");
    }

    [Fact]
    public void HousingHotel_BCategory_Pays80PercentEvenWithHome()
    {
        var withHome = Housing.Replace("\"pgFamilyOwnsPropertyHomeInDistrict\": false", "\"pgFamilyOwnsPropertyHomeInDistrict\": true", StringComparison.Ordinal);

        AssertAmount(Quote("003-pg-housing-hotel", "{" + withHome + """, "pgShortTermOfficialWork": true, "pgHotelTalentCategory": "b" }"""), 28800m);
        AssertFails(Quote("003-pg-housing-fast-whole", "{" + withHome + """, "pgHousingTalentType": "b" }"""), "no-home-in-district");
    }
}
