using static Workflows.Policies.Tests.Catalogue.Seed003Part1;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>
/// Seed 003 policies 1–11: the listing claim window, stacking and multi-year limits the clauses state, and every
/// reading chosen where a clause reads two ways (docs/interpretations.md names these tests).
/// </summary>
public class Seed003Part1ReadingsTests
{
    private const string Listed = """{ "listingDate": "2024-09-20" }""";

    private static AwardHistory Awarded(string programme, int cycle, decimal amount, string? tier = null, string? projectKey = null) =>
        new([new AwardRecord(programme, cycle, amount, new DateOnly(cycle, 6, 30), tier, projectKey)]);

    // 上市办法 三(一): 60 个工作日, 逾期视为自动放弃

    [Theory]
    [InlineData("003-pg-listing-main-board")]
    [InlineData("003-pg-listing-growth-board")]
    [InlineData("003-pg-listing-neeq-innovation")]
    public void Catalogue_ListingProgrammes_CarrySixtyWorkingDayClaimWindowFromListingDate(string programme)
    {
        var stage = Assert.Single(Loaded.Get(programme).Stages, s => s.Kind == StageKind.ClaimWindow);

        Assert.Equal(60, stage.Duration!.Value);
        Assert.Equal(DayKind.Working, stage.Duration.Days);
        Assert.Equal("listingDate", stage.AnchorFact);
        Assert.Equal("003 平谷区进一步鼓励和促进企业上市办法 三(一)", stage.Citation.ToString());
    }

    [Fact]
    public void Quote_ListingClaimAcrossNationalDay2024_SixtiethWorkingDayIsDecember18ThenLapses()
    {
        // Listed Friday 2024-09-20: 29 Sep and 12 Oct are adjusted workdays, 1–7 Oct are off.
        var onLastDay = Quote("003-pg-listing-main-board", Facts("listing", Listed), on: new DateOnly(2024, 12, 18));
        var dayAfter = Quote("003-pg-listing-main-board", Facts("listing", Listed), on: new DateOnly(2024, 12, 19));

        AssertAmount(onLastDay, 10_000_000m);
        Assert.Equal(new DateOnly(2024, 12, 18), Assert.Single(onLastDay.Deadlines, d => d.Stage == StageKind.ClaimWindow).Date);
        AssertFails(dayAfter, "claim-window");
        Assert.Contains("逾期视为自动放弃", dayAfter.FailedRules.Single().MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_ListingClaimAcrossSpringFestival2025_DeadlineIsApril11()
    {
        var quote = Quote("003-pg-listing-neeq-innovation", Facts("listing", """{ "listingDate": "2025-01-10" }"""), on: new DateOnly(2025, 4, 11));

        AssertAmount(quote, 1_000_000m);
        Assert.Equal(new DateOnly(2025, 4, 11), Assert.Single(quote.Deadlines, d => d.Stage == StageKind.ClaimWindow).Date);
        AssertFails(Quote("003-pg-listing-neeq-innovation", Facts("listing", """{ "listingDate": "2025-01-10" }"""), on: new DateOnly(2025, 4, 14)), "claim-window");
    }

    [Fact]
    public void Quote_RelocatedListedCompany_WindowRunsFromMoveInDate()
    {
        // listingDate holds the move-in date for a company listed elsewhere years ago (reading relocated-claim-window).
        var quote = Quote("003-pg-listing-main-board", Facts("listing", """{ "listingDate": "2025-05-06" }"""), on: new DateOnly(2025, 6, 30));

        AssertAmount(quote, 10_000_000m);
        Assert.Contains("move", Loaded.Facts["listingDate"].Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("003-pg-listing-main-board", "9000000")]
    [InlineData("003-pg-listing-growth-board", "7000000")]
    public void Quote_ListingAfterNeeqQuotation_PaysOnlyTheDifference(string programme, string expected)
    {
        var quote = Quote(programme, Facts("listing", """{ "listingDate": "2025-05-20" }"""), Awarded("003-pg-listing-neeq-innovation", 2024, 1_000_000m));

        AssertAmount(quote, Yuan(expected));
        Assert.Contains(quote.Steps, s => s.TextZh.StartsWith("补齐差额", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("003-pg-listing-main-board", 10_000_000)]
    [InlineData("003-pg-listing-neeq-innovation", 1_000_000)]
    public void Quote_ListingAwardClaimedTwice_FailsTotalCap(string programme, int earlier)
    {
        var quote = Quote(programme, Facts("listing", """{ "listingDate": "2025-05-20" }"""), Awarded(programme, 2024, earlier));

        AssertFails(quote, "total-cap-reached");
    }

    [Fact]
    public void Quote_FinanceSetupClaimedAgain_OnlyWhatIsLeftOfTheOneOffMaximum()
    {
        var quote = Quote("003-pg-fin-setup", Facts("none", """{ "pgNewLicensedFinancialInstitution": true, "pgPaidInCapital": 900000000, "decidedAmount": 70000000, "pgQualifyingDate": "2025-03-01" }"""), Awarded("003-pg-fin-setup", 2024, 65_000_000m));

        AssertAmount(quote, 5_000_000m);
    }

    [Fact]
    public void Quote_MainBoardAfterGrowthBoardListing_FailsOneListingAward()
    {
        var quote = Quote("003-pg-listing-main-board", Facts("listing", """{ "listingDate": "2025-05-20" }"""), Awarded("003-pg-listing-growth-board", 2024, 8_000_000m));

        AssertFails(quote, "stacking:003-pg-listing");
    }

    // 文旅

    [Theory]
    [InlineData("003-pg-wl-conference", """{ "decidedAmount": 80000 }""", "80000")]
    [InlineData("003-pg-wl-exhibition-firm", """{ "pgExhibitionServiceFirm": true, "decidedAmount": 50000 }""", "50000")]
    [InlineData("003-pg-wl-signature-event", """{ "pgApprovedInvestment": 100000 }""", "30000")]
    [InlineData("003-pg-wl-art-award", """{ "pgNationalArtPrizeWork": true }""", "200000")]
    [InlineData("003-pg-wl-tour-groups", """{ "pgTourPersonTrips": 10, "pgTourPersonTripsPreviousYear": 0 }""", "100")]
    [InlineData("003-pg-wl-visitor-ranking", """{ "pgVisitorRanking": "third" }""", "100000")]
    [InlineData("003-pg-wl-influencer", """{ "pgTrainedInternetCelebrity": true }""", "50000")]
    [InlineData("003-pg-wl-sports-event-international", """{ "pgApprovedInvestment": 100000 }""", "40000")]
    [InlineData("003-pg-wl-sports-event-national", """{ "pgApprovedInvestment": 100000 }""", "30000")]
    [InlineData("003-pg-wl-industry-fusion", """{ "pgApprovedInvestment": 100000 }""", "fails:pg-not-public-institution")]
    public void Quote_ExemptProgrammes_OpenToUnregisteredAndPublicInstitutions(string programme, string facts, string expected)
    {
        // A public institution neither registered nor taxed in Pinggu.
        var quote = Quote(programme, Facts("outsider", facts));

        AssertExpected(quote, expected);
    }

    [Theory]
    [InlineData("scenic-5a", "hotel-5-star", "1000000")]
    [InlineData("scenic-4a", "hotel-4-star", "500000")]
    [InlineData("scenic-3a", "hotel-3-star", "200000")]
    public void Quote_TourismRatingPairs_SceneAndHotelOfOneLevelPayTheSame(string scenic, string hotel, string expected)
    {
        AssertAmount(Quote("003-pg-wl-tourism-quality", Facts("wenlv", $$"""{ "pgTourismTitle": "{{scenic}}" }""")), Yuan(expected));
        AssertAmount(Quote("003-pg-wl-tourism-quality", Facts("wenlv", $$"""{ "pgTourismTitle": "{{hotel}}" }""")), Yuan(expected));
    }

    [Fact]
    public void Quote_ScenicUpgrade4ATo5A_PaysTheFull5AAmount()
    {
        var quote = Quote("003-pg-wl-tourism-quality", Facts("wenlv", """{ "pgTourismTitle": "scenic-5a" }"""), Awarded("003-pg-wl-tourism-quality", 2024, 500_000m, "scenic-4a"));

        AssertAmount(quote, 1_000_000m);
    }

    [Fact]
    public void Quote_TourGroups_PaysTenYuanPerPersonTripAboveLastYear()
    {
        var quote = Quote("003-pg-wl-tour-groups", Facts("wenlv", """{ "pgTourPersonTrips": 5000, "pgTourPersonTripsPreviousYear": 3800 }"""));

        AssertAmount(quote, 12_000m); // 1,200 more person-trips × 10, not 5,000 × 10
        Assert.Contains(quote.Steps, s => s.TextEn.Contains("5,000 人次 − pgTourPersonTripsPreviousYear 3,800 人次", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_VisitorRanking_ScenicSpotAndHotelRankedSeparately_EachFirstPaid300k()
    {
        var rankings = Loaded.Facts["pgVisitorRanking"];

        Assert.Contains("each ranked separately", rankings.Meaning, StringComparison.Ordinal);
        AssertAmount(Quote("003-pg-wl-visitor-ranking", Facts("wenlv", """{ "pgVisitorRanking": "first" }""")), 300_000m);
    }

    [Fact]
    public void Quote_InfluencerSecondClaim_FailsTheOneOffTotal()
    {
        var quote = Quote("003-pg-wl-influencer", Facts("wenlv", """{ "pgTrainedInternetCelebrity": true }"""), Awarded("003-pg-wl-influencer", 2024, 50_000m));

        AssertFails(quote, "total-cap-reached");
    }

    [Theory]
    [InlineData(1, "003-pg-wl-district-contribution", "880000")]
    [InlineData(2, "003-pg-wl-district-contribution", "880000")]
    [InlineData(3, "003-pg-wl-district-contribution-third-year", "440000")]
    public void Quote_DistrictContribution_FullForTwoYearsThenHalf(int year, string programme, string expected)
    {
        var quote = Quote(programme, Facts("wenlv", $$"""{ "pgInKeyShoppingDistrict": true, "pgContributionYear": {{year}}, "pgRegionalContribution": 880000 }"""));

        AssertAmount(quote, Yuan(expected));
    }

    [Fact]
    public void Quote_BrandStoreRent_ActualRentBelowOneYuanAndNoAreaCap()
    {
        var cheap = Quote("003-pg-wl-brand-store-rent", Facts("wenlv", """{ "pgInKeyShoppingDistrict": true, "rentRate": 0.8, "leasedArea": 120, "leasedDays": 365 }"""));
        var large = Quote("003-pg-wl-brand-store-rent", Facts("wenlv", """{ "pgInKeyShoppingDistrict": true, "rentRate": 2, "leasedArea": 30000, "leasedDays": 10 }"""));

        AssertAmount(cheap, 35_040m);   // 0.8 × 120 × 365
        AssertAmount(large, 300_000m);  // 1 × 30,000 × 10: no area cap
    }

    [Fact]
    public void Quote_FirstStores_CountsFirstAndFlagshipStoresAtFiftyThousandEach()
    {
        AssertAmount(Quote("003-pg-wl-first-store", Facts("wenlv", """{ "pgNewFirstOrFlagshipStores": 4 }""")), 200_000m);
        Assert.Contains("first stores (首店) or flagship stores", Loaded.Facts["pgNewFirstOrFlagshipStores"].Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("national-aviation-camp")]
    [InlineData("aviation-sports-club")]
    public void Quote_AviationTitles_EachPaid150k(string title)
    {
        AssertAmount(Quote("003-pg-wl-sports-industry", Facts("wenlv", $$"""{ "pgSportsTitle": "{{title}}" }""")), 150_000m);
    }

    // 外资外贸

    [Fact]
    public void Quote_FdiCash_ProRataPerDollarNotWholeMillions()
    {
        AssertAmount(Quote("003-pg-fdi-cash", Facts("fdi", """{ "pgFdiCashInPlaceUsd": 5500000 }""")), 110_000m);
    }

    [Theory]
    [InlineData(2025, "970000")]
    [InlineData(2024, "1000000")]
    public void Quote_FdiYearlyCap_SharedByCashAndIpContributions(int ipAwardCycle, string expected)
    {
        var quote = Quote("003-pg-fdi-cash", Facts("fdi", """{ "pgFdiCashInPlaceUsd": 50000000 }"""), Awarded("003-pg-fdi-ip", ipAwardCycle, 30_000m));

        AssertAmount(quote, Yuan(expected));
    }

    [Fact]
    public void Quote_TradeFair_HalfOfSpendingAndTwentyThousandCapPerFirmYear()
    {
        var quote = Quote("003-pg-trade-fair", Facts("trade", """{ "pgTradeFairSpend": 150000 }"""), Awarded("003-pg-trade-fair", 2025, 150_000m));

        AssertAmount(quote, 50_000m); // 75,000 computed, 200,000 − 150,000 left in the year
    }

    [Fact]
    public void Quote_AgriFreight_CapIsPerCategoryNotPerFirm()
    {
        var quote = Quote("003-pg-trade-agri-freight", Facts("trade", """{ "pgAgriExportFreight": 400000 }"""), Awarded("003-pg-trade-agri-freight", 2025, 30_000m, projectKey: "peach"), projectKey: "chestnut");

        AssertAmount(quote, 30_000m);
    }

    [Fact]
    public void Quote_SeedExport_EachVarietyHasItsOwnFirstYear()
    {
        var quote = Quote("003-pg-trade-seed-export", Facts("trade", """{ "pgOwnBredVarietyExportYear": "first" }"""), Awarded("003-pg-trade-seed-export", 2024, 500_000m, "first", "variety-a"), projectKey: "variety-b");

        AssertAmount(quote, 500_000m);
    }

    [Fact]
    public void Quote_OdiAtOneMillionDollars_PaysTheFirstBracket()
    {
        AssertAmount(Quote("003-pg-trade-odi", Facts("trade", """{ "pgOdiAmountUsd": 1000000 }""")), 100_000m);
    }

    // 金融

    [Fact]
    public void Quote_FinanceSetupWithoutDecidedAmount_IncompleteWithUpperBound70m()
    {
        var quote = Quote("003-pg-fin-setup", Facts("none", """{ "pgNewLicensedFinancialInstitution": true, "pgPaidInCapital": 200000000, "pgQualifyingDate": "2025-03-01" }"""));

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Equal(70_000_000m, quote.Estimate);
        Assert.True(quote.EstimateIsUpperBound);
        Assert.Contains(quote.MissingFacts, f => f.Name == "decidedAmount");
    }

    [Theory]
    [InlineData("2025-06-30", null)]
    [InlineData("2025-07-01", "claim-window")]
    public void Quote_FinanceClaim_Within365DaysOfQualifying(string on, string? failure)
    {
        var quote = Quote(
            "003-pg-fin-office-purchase",
            Facts("none", """{ "pgQualifiesFinanceSupport": true, "pgOfficePurchasedArea": 100, "pgQualifyingDate": "2024-06-30" }"""),
            on: DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture));

        if (failure is null)
        {
            AssertAmount(quote, 150_000m);
        }
        else
        {
            AssertFails(quote, failure);
        }
    }

    [Fact]
    public void Quote_OfficePurchaseAfterRentSubsidy_FailsPurchaseOrRent()
    {
        var quote = Quote("003-pg-fin-office-purchase", Facts("none", """{ "pgQualifiesFinanceSupport": true, "pgOfficePurchasedArea": 100, "pgQualifyingDate": "2025-03-01" }"""), Awarded("003-pg-fin-office-rent", 2024, 400_000m));

        AssertFails(quote, "stacking:003-pg-fin-office");
    }

    [Fact]
    public void Quote_OfficeRent_HalfOfReferenceRentThreeConsecutiveYears()
    {
        var facts = Facts("none", """{ "pgQualifiesFinanceSupport": true, "pgOfficeReferenceRent": 1200000, "pgQualifyingDate": "2025-03-01" }""");
        var third = Quote("003-pg-fin-office-rent", facts, History(("003-pg-fin-office-rent", 2023, 600_000m), ("003-pg-fin-office-rent", 2024, 600_000m)));
        var fourth = Quote("003-pg-fin-office-rent", facts, History(("003-pg-fin-office-rent", 2022, 600_000m)));

        AssertAmount(third, 600_000m);
        AssertFails(fourth, "max-years");
    }

    // 知识产权

    [Fact]
    public void Quote_IpTitleUpgradeAdvantageToDemonstration_PaysTheFull200k()
    {
        var quote = Quote("003-pg-ip-national-title", Facts("ip", """{ "pgNationalIpTitle": "demonstration" }"""), Awarded("003-pg-ip-national-title", 2024, 100_000m, "advantage"));

        AssertAmount(quote, 200_000m);
    }

    [Theory]
    [InlineData(2024, "100000")]
    [InlineData(2025, "40000")]
    public void Quote_IpEnforcementCap_AppliesPerYearlyRound(int earlierCycle, string expected)
    {
        var quote = Quote("003-pg-ip-enforcement", Facts("ip", """{ "pgIpCaseWon": true, "pgIpEnforcementCost": 300000 }"""), Awarded("003-pg-ip-enforcement", earlierCycle, 60_000m));

        AssertAmount(quote, Yuan(expected));
    }

    [Fact]
    public void Quote_PatentInsuranceThirdYear_FailsTwoYearLimit()
    {
        var quote = Quote("003-pg-ip-insurance", Facts("ip", """{ "pgPatentInsurancePremium": 50000 }"""), History(("003-pg-ip-insurance", 2021, 20_000m), ("003-pg-ip-insurance", 2023, 20_000m)));

        AssertFails(quote, "max-years");
    }

    // 农科区, 高精尖

    [Fact]
    public void Quote_HitechTaxFloor_ComparedWithThisGrantAlone()
    {
        var quote = Quote(
            "003-pg-agtech-hitech",
            Facts("agtech", """{ "pgHitechCertifiedPreviousYear": true, "pgAnnualReportsFiled": true, "pgDistrictTaxPreviousYear": 100000 }"""),
            Awarded("003-pg-agtech-tech-trade", 2025, 20_000m));

        AssertAmount(quote, 100_000m);
    }

    [Fact]
    public void Quote_RndPostSubsidy_OneRateForTheWholeInvestment()
    {
        var quote = Quote("003-pg-gjj-rnd", Facts("gjj", """{ "pgRdProjectInvestment": 12000000 }"""));

        AssertAmount(quote, 960_000m); // 8 % × 1200万, not 5 % × 1000万 + 8 % × 200万 = 66万
    }

    // 孵化器, 加速器

    [Fact]
    public void Quote_IncubatorMunicipalThenNational_PaysTheFullNationalAward()
    {
        var quote = Quote("003-pg-incubator-upgrade", Facts("incubator", """{ "pgIncubatorUpgradeLevel": "national" }"""), Awarded("003-pg-incubator-upgrade", 2024, 500_000m, "municipal"));

        AssertAmount(quote, 1_000_000m);
    }

    [Theory]
    [InlineData("professional", """{ "pgIncubateeCount": 10, "pgSameFieldShare": 0.5, "pgIncubationSiteArea": 1600, "pgIncubationUseShare": 0.64, "pgProfessionalStaffShare": 0.4, "pgVentureFunds": 0, "pgPartnerFinancialInstitutions": 2, "pgIncubateeFinancingCases": 2, "pgSignedUniversities": 2, "pgSignedLeadingFirms": 2, "pgSignedMentors": 5 }""", "benefit")]
    [InlineData("professional", """{ "pgIncubateeCount": 9, "pgSameFieldShare": 0.5, "pgIncubationSiteArea": 1600, "pgIncubationUseShare": 0.64, "pgProfessionalStaffShare": 0.4, "pgVentureFunds": 30000000, "pgPartnerFinancialInstitutions": 0, "pgIncubateeFinancingCases": 2, "pgSignedUniversities": 2, "pgSignedLeadingFirms": 2, "pgSignedMentors": 5 }""", "fails:pro-incubatees")]
    [InlineData("professional", """{ "pgIncubateeCount": 10, "pgSameFieldShare": 0.5, "pgIncubationSiteArea": 1600, "pgIncubationUseShare": 0.64, "pgProfessionalStaffShare": 0.4, "pgVentureFunds": 29999999, "pgPartnerFinancialInstitutions": 1, "pgIncubateeFinancingCases": 2, "pgSignedUniversities": 2, "pgSignedLeadingFirms": 2, "pgSignedMentors": 5 }""", "fails:pro-funds")]
    [InlineData("innovative", """{ "pgIncubateeCount": 24, "pgIncubationSiteArea": 200, "pgIncubationUseShare": 0.6, "pgVentureFunds": 8000000, "pgPartnerFinancialInstitutions": 0, "pgIncubateeFinancingCases": 4, "pgSignedServiceAgencies": 8, "pgSignedMentors": 8, "pgAverageYearlyServices": 5 }""", "benefit")]
    [InlineData("innovative", """{ "pgIncubateeCount": 24, "pgIncubationSiteArea": 199.9, "pgIncubationUseShare": 0.6, "pgVentureFunds": 8000000, "pgPartnerFinancialInstitutions": 0, "pgIncubateeFinancingCases": 4, "pgSignedServiceAgencies": 8, "pgSignedMentors": 8, "pgAverageYearlyServices": 5 }""", "fails:inn-area")]
    [InlineData("innovative", """{ "pgIncubateeCount": 24, "pgIncubationSiteArea": 200, "pgIncubationUseShare": 0.6, "pgVentureFunds": 8000000, "pgPartnerFinancialInstitutions": 0, "pgIncubateeFinancingCases": 4, "pgSignedServiceAgencies": 8, "pgSignedMentors": 8, "pgAverageYearlyServices": 4.9 }""", "fails:inn-services")]
    public void Quote_IncubatorRecognition_ThresholdsByKind(string kind, string facts, string expected)
    {
        var withKind = "{ \"pgIncubatorType\": \"" + kind + "\", " + facts.TrimStart()[1..];

        var quote = Quote("003-pg-incubator-recognition", Facts("incubator", withKind));

        AssertExpected(quote, expected);
    }

    [Fact]
    public void Quote_AcceleratorRentFourthConsecutiveYear_FailsThreeYearLimit()
    {
        var facts = Facts("resident", """{ "pgAcceleratorRentPaid": 400000 }""");

        AssertAmount(Quote("003-pg-accel-rent", facts, History(("003-pg-accel-rent", 2023, 1m), ("003-pg-accel-rent", 2024, 1m))), 300_000m);
        AssertFails(Quote("003-pg-accel-rent", facts, History(("003-pg-accel-rent", 2022, 1m))), "max-years");
    }

    [Fact]
    public void Quote_AcceleratorRelocation_ThousandYuanPerSquareMetreCappedAt500m2()
    {
        AssertAmount(Quote("003-pg-accel-relocation", Facts("resident", """{ "pgAcceleratorArea": 499.5 }""")), 499_500m);
        AssertAmount(Quote("003-pg-accel-relocation", Facts("resident", """{ "pgAcceleratorArea": 500.5 }""")), 500_000m);
    }

    [Fact]
    public void Quote_AcceleratorResidents_StackWithZhongguancunParkPolicies()
    {
        foreach (var id in new[] { "003-pg-accel-rent", "003-pg-accel-relocation", "003-pg-accel-ip-services", "003-pg-accel-loan-interest" })
        {
            Assert.Contains(Loaded.Get(id).Stacking, s => s.Kind == StackingKind.Combinable && s.Group == "003-pg-accel-zgc-park");
        }
    }

    // 中试基地: yearly evaluation and revocation

    [Fact]
    public void Catalogue_PilotBase_HasYearlyEvaluationStage()
    {
        var stage = Assert.Single(Loaded.Get("003-pg-pilot-base-annual").Stages, s => s.Kind == StageKind.AnnualAssessment);

        Assert.True(stage.RepeatsYearly);
        Assert.Equal("003 平谷区中试基地管理办法 二2", stage.Citation.ToString());
        Assert.Contains(Loaded.Get("003-pg-pilot-base-construction").Stages, s => s.Kind == StageKind.AnnualAssessment && s.RepeatsYearly);
    }

    [Theory]
    [InlineData("pass", "pass", false, "600000")]
    [InlineData("pass", "fail", false, "600000")]
    [InlineData("fail", "pass", false, "fails:evaluation-pass")]
    [InlineData("fail", "fail", false, "fails:revoked-two-fails")]
    [InlineData("absent-without-cause", "pass", false, "fails:revoked-absent")]
    [InlineData("pass", "pass", true, "fails:revoked-accident")]
    public void Quote_PilotBaseEvaluation_PaysOnPassRevokesOnTwoFailsAbsenceOrAccident(string result, string previous, bool accident, string expected)
    {
        var facts = Facts("pilot", $$"""{ "pgPilotBaseEvaluation": "{{result}}", "pgPilotBaseEvaluationPreviousYear": "{{previous}}", "pgPilotBaseAccident": {{(accident ? "true" : "false")}}, "pgPilotBaseServiceRevenue": 2000000 }""");

        var quote = Quote("003-pg-pilot-base-annual", facts);

        AssertExpected(quote, expected);
        if (result == "fail" && previous == "pass")
        {
            Assert.DoesNotContain(quote.FailedRules, r => r.RuleId.StartsWith("revoked", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Quote_PilotBaseConstructionAgain_LimitedToWhatIsLeftOfFiveMillion()
    {
        var quote = Quote("003-pg-pilot-base-construction", Facts("pilot", """{ "pgPilotBaseConstructionInvestment": 9000000 }"""), Awarded("003-pg-pilot-base-construction", 2024, 2_700_000m));

        AssertAmount(quote, 2_300_000m); // 500万（含） is the whole one-off support: 270万 already paid
    }

    // 中小企业

    [Fact]
    public void Catalogue_SmeFund_StagesAreThirdPartyAuditGovernmentApprovalAndSevenDayNotice()
    {
        var kinds = Loaded.Get("003-pg-sme-tech-upgrade").Stages.Select(s => s.Kind).ToList();
        var notice = Loaded.Get("003-pg-sme-tech-upgrade").Stages.Single(s => s.Kind == StageKind.PublicNotice);

        Assert.Equal([StageKind.Application, StageKind.Preliminary, StageKind.Financial, StageKind.GovernmentApproval, StageKind.PublicNotice, StageKind.Disbursement], kinds);
        Assert.Equal(7, notice.Duration!.Value);
        Assert.Equal(DayKind.Natural, notice.Duration.Days);
    }

    [Fact]
    public void Quote_SmeZjtxPromotedToLittleGiant_PaysTheDifference()
    {
        var promoted = Quote("003-pg-sme-zjtx", Facts("sme", """{ "pgMaintainedOnReview": false, "pgZjtxLevel": "national-little-giant" }"""), Awarded("003-pg-sme-zjtx", 2024, 100_000m, "zjtx"));
        var again = Quote("003-pg-sme-zjtx", Facts("sme", """{ "pgMaintainedOnReview": false, "pgZjtxLevel": "zjtx" }"""), Awarded("003-pg-sme-zjtx", 2024, 100_000m, "zjtx"));

        AssertAmount(promoted, 400_000m);
        AssertFails(again, "already-paid");
    }

    [Fact]
    public void Quote_RelocatedLittleGiantAfterCertificationAward_FailsNotBoth()
    {
        var quote = Quote("003-pg-sme-little-giant-relocated", Facts("sme", """{ "newlyRelocated": true, "pgZjtxLevel": "national-little-giant", "decidedAmount": 500000 }"""), Awarded("003-pg-sme-zjtx", 2024, 500_000m, "national-little-giant"));

        AssertFails(quote, "stacking:003-pg-little-giant");
    }

    [Fact]
    public void Quote_SmeCentreWithoutDecidedAmount_IncompleteWithCeilingAsEstimate()
    {
        var quote = Quote("003-pg-sme-rnd-centre", Facts("sme", """{ "pgMaintainedOnReview": false, "pgSmeCentreLevel": "municipal" }"""));

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Equal(300_000m, quote.Estimate);
        Assert.True(quote.EstimateIsUpperBound);
    }

    [Fact]
    public void Quote_SmeNewEnterprise_NotHeldToTwoYearsOfOperation()
    {
        var quote = Quote("003-pg-sme-new-enterprise", Facts("sme", """{ "pgYearsInOperation": 0, "pgNewEnterpriseInvestment": 60000000, "pgInvestmentPerMu": 7000000, "pgAllowedByBeijingCatalogue": true, "pgInProduction": true, "pgFixedAssetInvestment": 60000000 }"""));

        AssertAmount(quote, 1_200_000m);
    }

    [Fact]
    public void Quote_SmeLoanInterestThirdYear_FailsTwoYearTerm()
    {
        var facts = Facts("sme", """{ "pgBankTaxInteraction": true, "pgNewBankLoans": 6000000, "pgLoanInterestPaid": 300000 }""");

        AssertAmount(Quote("003-pg-sme-loan-interest", facts, History(("003-pg-sme-loan-interest", 2024, 90_000m))), 90_000m);
        AssertFails(Quote("003-pg-sme-loan-interest", facts, History(("003-pg-sme-loan-interest", 2023, 90_000m))), "max-years");
    }

    [Fact]
    public void Quote_RuralLoanInterestFourthYear_FailsThreeYearLimit()
    {
        var facts = Facts("wenlv", """{ "pgRuralTourismOperator": true, "pgLoanAmount": 400000, "pgLoanInterestPaid": 17000 }""");

        AssertFails(Quote("003-pg-wl-rural-loan-interest", facts, History(("003-pg-wl-rural-loan-interest", 2021, 1m), ("003-pg-wl-rural-loan-interest", 2022, 1m), ("003-pg-wl-rural-loan-interest", 2024, 1m))), "max-years");
    }

    // Effective period: never invented

    [Fact]
    public void Quote_DefaultCatalogueWithoutConfiguredPeriod_FailsNamingTheDocument()
    {
        var unconfigured = new QuoteEngine(Load(configure: false), WorkingDayCalendar.Default);

        var error = Assert.Throws<EffectivePeriodUnknownException>(() => unconfigured.Quote(new QuoteRequest("003-pg-listing-main-board", On, FactProfile.FromJson(Facts("listing", Listed)))));

        Assert.Contains("003-shangshi", error.Message, StringComparison.Ordinal);
        Assert.All(Load(configure: false).Documents, d => Assert.Null(d.StatedPeriod));
    }
}
