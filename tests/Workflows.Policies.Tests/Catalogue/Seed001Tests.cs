using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Worked examples and boundaries of every 001 programme (京技管发〔2025〕4号), judged on 2025–2026 dates.</summary>
public class Seed001Tests
{
    private const string On = "2025-06-30";

    [Theory]
    [InlineData("operatesInArea", false, "operates-in-area")]
    [InlineData("majorPenaltyWithin3Years", true, "no-major-penalty")]
    [InlineData("criminalRecordWithin3Years", true, "no-criminal-record")]
    [InlineData("seriousDishonestyListed", true, "not-seriously-dishonest")]
    public void Quote_GeneralConditionBroken_FailsNamedRule(string fact, bool value, string ruleId)
    {
        var quote = Quote("001-capital-sci-tech-platform", On, Good001(("capitalSciTechPlatformApproved", true)).With(fact, FactValue.Of(value)));

        AssertFails(ruleId, quote);
        Assert.Equal("001 八(一)", quote.FailedRules.Single().Citation.ToString());
    }

    // ---------------------------------------------------------------- 二(一) 白菜心
    [Theory]
    [InlineData(80000000, false, 45000000, 40000000)]   // 50% of R&D investment binds
    [InlineData(80000000, false, 30000000, 30000000)]   // decided below every bound
    [InlineData(80000000, false, 40000000, 40000000)]   // exactly 50%
    [InlineData(80000000, false, 40000000.01, 40000000)] // just above 50%
    [InlineData(100000000, false, 50000000, 50000000)]  // 50% = the 5000万 cap exactly
    [InlineData(100000000.02, false, 50000000.01, 50000000)]
    [InlineData(200000000, false, 60000000, 50000000)]  // 5000万 binds
    [InlineData(200000000, true, 120000000, 100000000)] // especially outstanding: 1亿
    [InlineData(200000000, true, 90000000, 90000000)]
    public void Baicaixin_DecidedAmount_BoundedByHalfOfRdAndTheCap(decimal rd, bool outstanding, decimal decided, decimal expected)
    {
        var facts = Good001(("baicaixinRecognised", true), ("rdInvestment", rd), ("outstandingDriver", outstanding), ("decidedAmount", decided));

        AssertAmount(expected, Quote("001-baicaixin", On, facts));
    }

    [Fact]
    public void Baicaixin_NoDecisionYet_EstimatesTheUpperBound()
    {
        var quote = Quote("001-baicaixin", On, Good001(("baicaixinRecognised", true), ("rdInvestment", 60000000m), ("outstandingDriver", false)));

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.True(quote.EstimateIsUpperBound);
        Assert.Equal(30000000m, quote.Estimate);
    }

    // ---------------------------------------------------------------- 二(二)
    [Theory]
    [InlineData(10000000, 10000000)]
    [InlineData(29999999.99, 29999999.99)]
    [InlineData(30000000, 30000000)]
    [InlineData(30000000.01, 30000000)]
    [InlineData(35000000, 30000000)]
    public void MajorProjectMatching_OneToOne_CappedAt3000Wan(decimal funding, decimal expected)
    {
        AssertAmount(expected, Quote("001-major-project-matching", On, Good001(("undertakesMajorProject", true), ("superiorFunding", funding))));
    }

    // ---------------------------------------------------------------- 二(三)
    [Theory]
    [InlineData(8000000, 9000000, 8000000)]    // the list's amount binds
    [InlineData(15000000, 12000000, 10000000)] // 1000万 binds
    [InlineData(15000000, 6000000, 6000000)]
    public void JiebangGuashuai_BoundedByListAmountAnd1000Wan(decimal listed, decimal decided, decimal expected)
    {
        AssertAmount(expected, Quote("001-jiebang-guashuai", On, Good001(("jiebangSucceeded", true), ("listedSupportAmount", listed), ("decidedAmount", decided))));
    }

    // ---------------------------------------------------------------- 二(四)
    [Theory]
    [InlineData(1999999.99, 1999999.99)]
    [InlineData(2000000, 2000000)]
    [InlineData(2000000.01, 2000000)]
    public void FutureIndustryPoc_AtMost200Wan(decimal decided, decimal expected)
    {
        AssertAmount(expected, Quote("001-future-industry-poc", On, Good001(("futureProjectSelected", true), ("decidedAmount", decided))));
    }

    // ---------------------------------------------------------------- 三(五)
    [Theory]
    [InlineData("national-manufacturing-innovation-center", 10000000)]
    [InlineData("national-enterprise-technology-center", 10000000)]
    [InlineData("beijing-key-laboratory", 1000000)]
    [InlineData("beijing-engineering-research-center", 1000000)]
    public void InnovationPlatform_NationalOneThousandWan_BeijingOneHundredWan(string level, decimal expected)
    {
        AssertAmount(expected, Quote("001-innovation-platform", On, Good001(("platformLevel", level))));
    }

    [Theory]
    [InlineData("national-first", 1000000)]
    [InlineData("national-second", 500000)]
    [InlineData("beijing-special", 500000)]
    [InlineData("beijing-first", 300000)]
    [InlineData("beijing-second", 200000)]
    public void ScienceAward_FirstCompletingEntity_ByClass(string award, decimal expected)
    {
        AssertAmount(expected, Quote("001-science-award", On, Good001(("scienceAward", award), ("firstCompletingEntity", true))));
    }

    [Fact]
    public void ScienceAward_NotFirstCompletingEntity_Fails()
    {
        AssertFails("first-entity", Quote("001-science-award", On, Good001(("scienceAward", "national-first"), ("firstCompletingEntity", false))));
    }

    [Fact]
    public void SmartManufacturingTitle_LighthousePays100Wan_NoTitleFails()
    {
        AssertAmount(1000000m, Quote("001-smart-manufacturing-title", On, Good001(("smartFactoryTitle", "wef-lighthouse-factory"))));
        AssertFails("title-won", Quote("001-smart-manufacturing-title", On, Good001(("smartFactoryTitle", "none"))));
    }

    // ---------------------------------------------------------------- 三(六)
    [Theory]
    [InlineData("national-first", 300000)]
    [InlineData("national-renewal", 200000)]
    public void HitechAward001_Amounts(string certification, decimal expected)
    {
        AssertAmount(expected, Quote("001-hitech-award", On, Good001(("hitechCertification", certification))));
    }

    [Fact]
    public void HitechAward001_ZhongguancunNoLongerOffered_FailsTier()
    {
        AssertFails("tier", Quote("001-hitech-award", On, Good001(("hitechCertification", "zgc-scale-filing"))));
    }

    [Fact]
    public void HitechAward001_ZhongguancunAwardUnder004_IsCredited()
    {
        var history = History(Award("004-hitech-award", 2024, 50000m, "zgc-scale-filing"));

        AssertAmount(250000m, Quote("001-hitech-award", On, Good001(("hitechCertification", "national-first")), history));
    }

    [Theory]
    [InlineData("beijing-zjtx", 300000)]
    [InlineData("national-little-giant", 800000)]
    [InlineData("beijing-hidden-champion", 1000000)]
    [InlineData("national-single-champion", 2000000)]
    public void ZjtxAward001_EachLevel(string level, decimal expected)
    {
        AssertAmount(expected, Quote("001-zjtx-award", On, Good001(("zjtxLevel", level))));
    }

    [Fact]
    public void ZjtxAward001_TwoPromotions_EachPaysOnlyTheDifference()
    {
        var facts = Good001(("zjtxLevel", "national-little-giant"));
        var first = Quote("001-zjtx-award", On, Good001(("zjtxLevel", "beijing-zjtx")));
        AssertAmount(300000m, first);

        var afterFirst = History(Award("001-zjtx-award", 2025, first.Amount!.Value, "beijing-zjtx"));
        var second = Quote("001-zjtx-award", "2026-05-10", facts, afterFirst);
        AssertAmount(500000m, second);

        var afterSecond = History([.. afterFirst.Awards, Award("001-zjtx-award", 2026, second.Amount!.Value, "national-little-giant")]);
        var third = Quote("001-zjtx-award", "2027-05-10", Good001(("zjtxLevel", "national-single-champion")), afterSecond);
        AssertAmount(1200000m, third);
        Assert.Equal(2000000m, first.Amount + second.Amount + third.Amount);
    }

    // ---------------------------------------------------------------- 三(七)
    private static FactProfile Rd(decimal previous, decimal current) =>
        Good001(("rdExpensePreviousYear", previous), ("rdExpense", current));

    [Fact]
    public void RdGrowth001_WorkedExample_EighteenPercentGrowth()
    {
        // 10,000,000 → 11,800,000: growth 18%, band 15–20% → 10% of the part above 110% (800,000).
        var quote = Quote("001-rd-growth", On, Rd(10000000m, 11800000m));

        AssertAmount(80000m, quote);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("高出部分", StringComparison.Ordinal) && s.Citation.ToString() == "001 三(七)");
    }

    [Theory]
    [InlineData(11000100, 5)]         // just above 10%: 5% of 100
    [InlineData(11499999, 24999.95)]  // just below 15%
    [InlineData(11500000, 25000)]     // exactly 15%: still 5% (15% 含 in the lower band)
    [InlineData(11500100, 50010)]     // just above 15%: 10% of 500,100
    [InlineData(12000000, 100000)]    // exactly 20%: 10%
    [InlineData(12000100, 150015)]    // just above 20%: 15% of 1,000,100
    public void RdGrowth001_BandEdges(decimal current, decimal expected)
    {
        AssertAmount(expected, Quote("001-rd-growth", On, Rd(10000000m, current)));
    }

    [Theory]
    [InlineData(11000000)]
    [InlineData(10999999.99)]
    [InlineData(9000000)]
    public void RdGrowth001_GrowthNotAbove10Percent_Fails(decimal current)
    {
        AssertFails("growth-threshold", Quote("001-rd-growth", On, Rd(10000000m, current)));
    }

    [Theory]
    [InlineData(129999999, 2999999.85)]
    [InlineData(130000000, 3000000)]     // 15% × 20,000,000 = 3,000,000 exactly
    [InlineData(130000001, 3000000)]
    [InlineData(200000000, 3000000)]
    public void RdGrowth001_AroundThe300WanCap(decimal current, decimal expected)
    {
        AssertAmount(expected, Quote("001-rd-growth", On, Rd(100000000m, current)));
    }

    [Fact]
    public void RdGrowth001_NoPreviousYearExpense_FailsGrowthBase()
    {
        AssertFails("growth-base", Quote("001-rd-growth", On, Rd(0m, 5000000m)));
    }

    // ---------------------------------------------------------------- 四(九)
    private static FactProfile Bamboo(int headcount, decimal rate, decimal area, int days = 365) => Good001(
        ("springBambooRecognised", true), ("headcount", headcount), ("rentRate", rate), ("leasedArea", area), ("leasedDays", days));

    [Theory]
    [InlineData(99, 1.5, 1500, 547500)]   // fewer than 100: 1000 m²
    [InlineData(100, 1.5, 1500, 821250)]  // 100 含: 2000 m²
    [InlineData(100, 1.5, 2500, 1095000)] // 2000 m² cap
    [InlineData(30, 1.2, 600, 262800)]    // actual rent and area
    [InlineData(30, 1.6, 600, 328500)]    // rent above 1.5: 1.5
    [InlineData(99, 1.5, 1000, 547500)]   // exactly the 1000 m² cap
    [InlineData(99, 1.5, 999.5, 547226.25)] // just below it
    [InlineData(99, 1.5, 1000.5, 547500)] // just above it
    public void SpringBambooRent_HeadcountBandsAndCaps(int headcount, decimal rate, decimal area, decimal expected)
    {
        AssertAmount(expected, Quote("001-spring-bamboo-rent", On, Bamboo(headcount, rate, area)));
    }

    [Fact]
    public void SpringBambooRent_ThirdConsecutiveYearPays_FourthFails()
    {
        var twoYears = History(Award("001-spring-bamboo-rent", 2025, 100000m), Award("001-spring-bamboo-rent", 2026, 100000m));
        AssertAmount(262800m, Quote("001-spring-bamboo-rent", "2027-03-01", Bamboo(30, 1.2m, 600m), twoYears));

        var carriedOver = History(Award("001-spring-bamboo-rent", 2024, 100000m), Award("001-spring-bamboo-rent", 2025, 100000m), Award("001-spring-bamboo-rent", 2026, 100000m));
        AssertFails("max-years", Quote("001-spring-bamboo-rent", "2027-03-01", Bamboo(30, 1.2m, 600m), carriedOver));
    }

    [Fact]
    public void SpringBambooRent_GapYearStillCounts()
    {
        var history = History(Award("001-spring-bamboo-rent", 2024, 100000m, null), Award("001-spring-bamboo-rent", 2025, 100000m));

        AssertFails("max-years", Quote("001-spring-bamboo-rent", "2027-03-01", Bamboo(30, 1.2m, 600m), history));
    }

    // ---------------------------------------------------------------- 四(十)
    private static FactProfile Incubator(int year, decimal decided) =>
        Good001(("incubatorRecognised", true), ("incubatorSupportYear", year), ("decidedAmount", decided));

    [Fact]
    public void IncubatorOperation_ThreeYearsAtMost3000WanInTotal()
    {
        var history = History(Award("001-incubator-operation", 2025, 15000000m), Award("001-incubator-operation", 2026, 10000000m));

        var quote = Quote("001-incubator-operation", "2027-03-01", Incubator(3, 8000000m), history);

        AssertAmount(5000000m, quote);
        Assert.Contains(quote.Steps, s => s.TextEn.Contains("Total cap", StringComparison.Ordinal));
        AssertFails("within-3-years", Quote("001-incubator-operation", "2027-03-01", Incubator(4, 1m)));
        var full = History(Award("001-incubator-operation", 2025, 30000000m));
        AssertFails("total-cap-reached", Quote("001-incubator-operation", "2026-03-01", Incubator(2, 1m), full));
    }

    [Fact]
    public void IncubatorExcellence_AtMostTheYearlyPoolOf1000Wan()
    {
        var facts = Good001(("incubatorRecognised", true), ("incubatorAssessedOutstanding", true), ("decidedAmount", 12000000m));

        AssertAmount(10000000m, Quote("001-incubator-excellence", On, facts));
        AssertFails("outstanding", Quote("001-incubator-excellence", On, facts.With("incubatorAssessedOutstanding", FactValue.Of(false))));
    }

    // ---------------------------------------------------------------- 四(十一)
    [Theory]
    [InlineData(3000000, 1500000)]
    [InlineData(3999999.98, 1999999.99)]
    [InlineData(4000000, 2000000)]
    [InlineData(4000000.02, 2000000)]
    public void ParkCommuterBus_HalfTheCost_AtMost200Wan(decimal cost, decimal expected)
    {
        AssertAmount(expected, Quote("001-park-commuter-bus", On, Good001(("parkRecognised", true), ("freeCommuterBus", true), ("commuterBusCost", cost))));
    }

    [Fact]
    public void ParkExcellenceTitle_IsABenefit()
    {
        var quote = Quote("001-park-excellence-title", On, Good001(("parkRecognised", true), ("parkAssessedExcellent", true)));

        Assert.True(quote.Eligible);
        Assert.Null(quote.Amount);
    }

    // ---------------------------------------------------------------- 四(十二), 四(十三), 五
    [Theory]
    [InlineData("001-tech-geek-support", "techGeekRecognised")]
    [InlineData("001-graduate-housing", "freshGraduate")]
    [InlineData("001-patent-fast-track", "patentApplicant")]
    public void Benefits_EligibleWithoutAmount_AndFailWithoutTheirCondition(string id, string fact)
    {
        var facts = Good001((fact, true));
        var quote = Quote(id, On, facts);
        Assert.True(quote.Eligible);
        Assert.Null(quote.Amount);

        var failed = Quote(id, On, facts.With(fact, FactValue.Of(false)));
        Assert.Equal(QuoteOutcome.NotEligible, failed.Outcome);
    }

    [Fact]
    public void PersonalBenefits_DoNotAskWhereTheApplicantOperates()
    {
        var quote = Quote("001-graduate-housing", On, Good001(("freshGraduate", true)).Without("operatesInArea"));

        Assert.True(quote.Eligible);
    }

    [Theory]
    [InlineData("001-talent-contribution-award", "talentContributionQualified")]
    [InlineData("001-zjtx-loan-interest", "zjtxCertified", "hasBankLoan")]
    [InlineData("001-tech-insurance", "zjtxCertified", "boughtTechInsurance")]
    [InlineData("001-industry-service-voucher", "industryVoucherEligible")]
    public void OpenDiscretionary_PaysTheDecidedAmount_NoStatedCap(string id, params string[] conditions)
    {
        var facts = Good001([.. conditions.Select(c => (c, (object)true))]);
        var pending = Quote(id, On, facts);
        Assert.Equal(QuoteOutcome.Incomplete, pending.Outcome);
        Assert.Null(pending.Estimate);

        AssertAmount(987654.32m, Quote(id, On, facts.With("decidedAmount", FactValue.Of(987654.32m))));
    }

    [Fact]
    public void StandardMatching_OneToOne()
    {
        AssertAmount(400000m, Quote("001-standard-matching", On, Good001(("capitalStandardGrant", 400000m))));
    }

    [Fact]
    public void PlatformFixedAsset_BoundedByTheInvestment()
    {
        var facts = Good001(("platformProjectRecognised", true), ("fixedAssetInvestment", 8000000m), ("decidedAmount", 9000000m));

        AssertAmount(8000000m, Quote("001-platform-fixed-asset", On, facts));
    }

    [Fact]
    public void CapitalSciTechPlatform_50Wan()
    {
        AssertAmount(500000m, Quote("001-capital-sci-tech-platform", On, Good001(("capitalSciTechPlatformApproved", true))));
    }

    [Fact]
    public void CapitalVoucherMatching_OneToOne()
    {
        AssertAmount(120000m, Quote("001-capital-voucher-matching", On, Good001(("capitalInnovationVoucherUsed", 120000m))));
    }
}
