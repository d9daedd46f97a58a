using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Worked examples and boundaries of every 004 programme (京技管发〔2023〕32号), judged on 2024 dates.</summary>
public class Seed004Tests
{
    private const string On = "2024-06-30";

    // ---------------------------------------------------------------- general conditions (附则)
    [Theory]
    [InlineData("registeredInArea", false, "registered-in-area")]
    [InlineData("majorPenaltyWithin3Years", true, "no-major-penalty")]
    [InlineData("criminalRecordWithin3Years", true, "no-criminal-record")]
    [InlineData("seriousDishonestyListed", true, "not-seriously-dishonest")]
    public void Quote_GeneralConditionBroken_FailsNamedRuleCitingTheClause(string fact, bool value, string ruleId)
    {
        var facts = Good004(("zjtxLevel", "national-little-giant"), ("newlyRelocated", false)).With(fact, FactValue.Of(value));

        var quote = Quote("004-zjtx-award", On, facts);

        AssertFails(ruleId, quote);
        Assert.Equal("004 附则", quote.FailedRules.Single().Citation.ToString());
    }

    [Fact]
    public void Quote_GeneralConditionUnknown_IsIncompleteAndNamesTheFact()
    {
        var quote = Quote("004-zjtx-award", On, Good004(("zjtxLevel", "beijing-zjtx"), ("newlyRelocated", false)).Without("seriousDishonestyListed"));

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Equal("seriousDishonestyListed", Assert.Single(quote.MissingFacts).Name);
        Assert.Null(quote.Amount);
        Assert.Equal(200000m, quote.Estimate);
    }

    // ---------------------------------------------------------------- 第一条
    [Theory]
    [InlineData("national-little-giant", 500000)]
    [InlineData("beijing-zjtx", 200000)]
    public void ZjtxAward_FirstCertification_PaysTheLevel(string level, decimal expected)
    {
        var quote = Quote("004-zjtx-award", On, Good004(("zjtxLevel", level), ("newlyRelocated", false)));

        AssertAmount(expected, quote);
        Assert.Equal(DisbursementMode.Automatic, quote.Disbursement);
        Assert.Contains(quote.Steps, s => s.Citation.ToString() == "004 第一条" && s.Amount == expected);
    }

    [Fact]
    public void ZjtxAward_PromotionFromBeijingToLittleGiant_PaysTheDifference()
    {
        var history = History(Award("004-zjtx-award", 2023, 200000m, "beijing-zjtx"));

        var quote = Quote("004-zjtx-award", On, Good004(("zjtxLevel", "national-little-giant"), ("newlyRelocated", false)), history);

        AssertAmount(300000m, quote);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("晋级享受差额", StringComparison.Ordinal));
    }

    [Fact]
    public void ZjtxAward_SameLevelAgain_IsNotPaidTwice()
    {
        var history = History(Award("004-zjtx-award", 2023, 500000m, "national-little-giant"));

        AssertFails("already-paid", Quote("004-zjtx-award", On, Good004(("zjtxLevel", "national-little-giant"), ("newlyRelocated", false)), history));
        AssertFails("already-paid", Quote("004-zjtx-award", On, Good004(("zjtxLevel", "beijing-zjtx"), ("newlyRelocated", false)), history));
    }

    [Fact]
    public void ZjtxAward_LevelOnlyIn001_FailsTier()
    {
        AssertFails("tier", Quote("004-zjtx-award", On, Good004(("zjtxLevel", "national-single-champion"), ("newlyRelocated", false))));
    }

    [Fact]
    public void ZjtxAward_NewlyRelocated_PaidInNextYearBatch_AndMustOfficeInArea()
    {
        var relocated = Good004(("zjtxLevel", "beijing-zjtx"), ("newlyRelocated", true), ("officeInArea", true));
        var quote = Quote("004-zjtx-award", On, relocated);
        AssertAmount(200000m, quote);
        Assert.Equal(DisbursementMode.NextYearBatch, quote.Disbursement);

        AssertFails("office-in-area", Quote("004-zjtx-award", On, relocated.With("officeInArea", FactValue.Of(false))));
    }

    // ---------------------------------------------------------------- 第二条
    [Theory]
    [InlineData("national-first", 300000)]
    [InlineData("national-renewal", 200000)]
    [InlineData("zgc-scale-filing", 50000)]
    public void HitechAward_EachEvent_PaysItsAmount(string certification, decimal expected)
    {
        var quote = Quote("004-hitech-award", On, Good004(("hitechCertification", certification), ("newlyRelocated", false), ("aboveDesignatedSize", true)));

        AssertAmount(expected, quote);
    }

    [Fact]
    public void HitechAward_ZhongguancunThenNational_PaysTheDifference()
    {
        var history = History(Award("004-hitech-award", 2023, 50000m, "zgc-scale-filing"));

        AssertAmount(250000m, Quote("004-hitech-award", On, Good004(("hitechCertification", "national-first"), ("newlyRelocated", false)), history));
    }

    [Fact]
    public void HitechAward_RenewalAfterFirstCertification_IsPaidInFull()
    {
        var history = History(Award("004-hitech-award", 2021, 300000m, "national-first"));

        AssertAmount(200000m, Quote("004-hitech-award", On, Good004(("hitechCertification", "national-renewal"), ("newlyRelocated", false)), history, 2024));
    }

    [Fact]
    public void HitechAward_ZhongguancunBelowDesignatedSize_Fails()
    {
        AssertFails("zgc-above-size", Quote("004-hitech-award", On, Good004(("hitechCertification", "zgc-scale-filing"), ("newlyRelocated", false), ("aboveDesignatedSize", false))));
    }

    // ---------------------------------------------------------------- 第三条
    [Fact]
    public void KeyEmployerGrant_IsDiscretionaryWithNoStatedCap()
    {
        var facts = Good004(("keyEmployerListed", true));
        var pending = Quote("004-key-employer-grant", On, facts);
        Assert.Equal(QuoteOutcome.Incomplete, pending.Outcome);
        Assert.Equal("decidedAmount", Assert.Single(pending.MissingFacts).Name);
        Assert.Null(pending.Estimate);

        AssertAmount(1234567.89m, Quote("004-key-employer-grant", On, facts.With("decidedAmount", FactValue.Of(1234567.89m))));
        AssertFails("key-employer", Quote("004-key-employer-grant", On, Good004(("keyEmployerListed", false), ("decidedAmount", 1m))));
    }

    // ---------------------------------------------------------------- 第四条
    private static FactProfile RdGrowth004(decimal expense, decimal target) =>
        Good004(("holdsLittleGiant", true), ("rdExpense", expense), ("rdTargetExpense", target));

    [Fact]
    public void RdGrowth004_WorkedExample_TwentyPercentOfTheExcessOverTarget()
    {
        // 30,000,000 spent against a target of 25,000,000: 20% × 5,000,000.
        var quote = Quote("004-rd-growth", On, RdGrowth004(30000000m, 25000000m));

        AssertAmount(1000000m, quote);
        Assert.Contains(quote.Steps, s => s.Citation.ToString() == "004 第四条" && s.Amount == 1000000m);
    }

    [Theory]
    [InlineData(14999999.95, 2999999.99)]
    [InlineData(15000000, 3000000)]
    [InlineData(15000000.05, 3000000)]
    [InlineData(40000000, 3000000)]
    public void RdGrowth004_AroundTheYearlyCap_NeverAbove300Wan(decimal excess, decimal expected)
    {
        AssertAmount(expected, Quote("004-rd-growth", On, RdGrowth004(10000000m + excess, 10000000m)));
    }

    [Theory]
    [InlineData(25000000, false)]
    [InlineData(25000000.01, true)]
    public void RdGrowth004_AtAndJustAboveTarget(decimal expense, bool eligible)
    {
        var quote = Quote("004-rd-growth", On, RdGrowth004(expense, 25000000m));

        Assert.Equal(eligible, quote.Eligible);
        if (!eligible)
        {
            AssertFails("beats-target", quote);
        }
        else
        {
            Assert.Equal(0m, quote.Amount); // 20% × 0.01 = 0.002, rounds to 0.00
        }
    }

    [Fact]
    public void RdGrowth004_NotLittleGiant_Fails()
    {
        AssertFails("little-giant", Quote("004-rd-growth", On, RdGrowth004(30000000m, 25000000m).With("holdsLittleGiant", FactValue.Of(false))));
    }

    [Fact]
    public void RdGrowth004_SecondAwardInSameYear_SharesTheYearlyCap()
    {
        var history = History(Award("004-rd-growth", 2024, 2500000m));

        AssertAmount(500000m, Quote("004-rd-growth", On, RdGrowth004(30000000m, 25000000m), history));
    }

    // ---------------------------------------------------------------- 第五条
    private static FactProfile Rent004(decimal rate, decimal area, int days) =>
        Good004(("holdsBeijingZjtx", true), ("inGrowthPlan", true), ("rentRate", rate), ("leasedArea", area), ("leasedDays", days));

    [Theory]
    [InlineData(1.2, 400, 365, 175200)]      // actual rent and area, both below the standard
    [InlineData(1.5, 500, 365, 273750)]      // exactly the standard
    [InlineData(1.49, 499, 365, 271381.15)]  // just below both
    [InlineData(1.51, 501, 365, 273750)]     // just above both: capped
    [InlineData(2.0, 800, 365, 273750)]
    [InlineData(1.5, 500, 181, 135750)]      // half a year leased
    public void GrowthPlanRent_RateAndAreaCaps(decimal rate, decimal area, int days, decimal expected)
    {
        AssertAmount(expected, Quote("004-growth-plan-rent", On, Rent004(rate, area, days)));
    }

    [Fact]
    public void GrowthPlanRent_NotInPlan_Fails()
    {
        AssertFails("in-plan", Quote("004-growth-plan-rent", On, Rent004(1.5m, 500m, 365).With("inGrowthPlan", FactValue.Of(false))));
    }

    // ---------------------------------------------------------------- 第六条
    private static FactProfile Voucher(decimal fee) => Good004(("isSme", true), ("certifiedServiceProvider", true), ("serviceFee", fee));

    [Theory]
    [InlineData(200000, 100000)]
    [InlineData(299999.98, 149999.99)]
    [InlineData(300000, 150000)]
    [InlineData(300000.02, 150000)]
    public void ServiceVoucher_HalfOfFees_CappedAt15WanAYear(decimal fee, decimal expected)
    {
        AssertAmount(expected, Quote("004-service-voucher", On, Voucher(fee)));
    }

    [Fact]
    public void ServiceVoucher_EarlierVouchersSameYear_CountAgainstTheCap()
    {
        var history = History(Award("004-service-voucher", 2024, 100000m), Award("004-service-voucher", 2023, 150000m));

        var quote = Quote("004-service-voucher", On, Voucher(200000m), history);

        AssertAmount(50000m, quote);
        Assert.Contains(quote.Steps, s => s.TextEn.Contains("Yearly cap", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceVoucher_YearlyCapUsedUp_Fails()
    {
        var history = History(Award("004-service-voucher", 2024, 150000m));

        AssertFails("yearly-cap-reached", Quote("004-service-voucher", On, Voucher(1000m), history));
    }

    [Fact]
    public void ServiceVoucher_NotCertifiedProvider_Fails()
    {
        AssertFails("certified-provider", Quote("004-service-voucher", On, Voucher(1000m).With("certifiedServiceProvider", FactValue.Of(false))));
    }

    // ---------------------------------------------------------------- 第七条
    [Fact]
    public void FundInvestment_BoundedBy2000WanAnd30PercentOfProject()
    {
        var facts = Good004(("fitsZonePolicy", true), ("projectTotalInvestment", 50000000m));

        var estimate = Quote("004-innovation-fund-investment", On, facts);
        Assert.Equal(QuoteOutcome.Incomplete, estimate.Outcome);
        Assert.True(estimate.EstimateIsUpperBound);
        Assert.Equal(15000000m, estimate.Estimate);

        AssertAmount(15000000m, Quote("004-innovation-fund-investment", On, facts.With("decidedAmount", FactValue.Of(16000000m))));
        AssertAmount(12000000m, Quote("004-innovation-fund-investment", On, facts.With("decidedAmount", FactValue.Of(12000000m))));
        var big = facts.With("projectTotalInvestment", FactValue.Of(100000000m)).With("decidedAmount", FactValue.Of(25000000m));
        AssertAmount(20000000m, Quote("004-innovation-fund-investment", On, big));
    }

    // ---------------------------------------------------------------- 第八条
    [Fact]
    public void ListingSupport_IsABenefitWithoutAmount()
    {
        var quote = Quote("004-listing-support", On, Good004());

        Assert.True(quote.Eligible);
        Assert.Null(quote.Amount);
        Assert.False(Own.Get("004-listing-support").Formula.IsMonetary);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("非资金支持", StringComparison.Ordinal));
    }
}
