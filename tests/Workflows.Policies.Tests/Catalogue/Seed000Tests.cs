using static Workflows.Policies.Tests.Catalogue.Seed000;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 000 (E-Town talent measures): every monetary programme from its clause, the cut-off readings, stacking.</summary>
public class Seed000Tests
{
    [Fact]
    public void Load_FileAlone_CitesSeed000AndEveryReadingNamesItsTest()
    {
        var programmes = Loaded.All;

        Assert.True(programmes.Count >= 30, $"only {programmes.Count} programmes");
        foreach (var p in programmes)
        {
            Assert.StartsWith("000-yc-", p.Id, StringComparison.Ordinal);
            Assert.StartsWith("000 第", p.Citation.ToString(), StringComparison.Ordinal);
            Assert.All(p.Interpretations, i => Assert.Contains("Test", i.Note ?? string.Empty, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EffectivePeriod_NotConfigured_QuoteThrowsAndMatcherSkips()
    {
        var catalogue = Load(configure: false);
        var engine = new QuoteEngine(catalogue, WorkingDayCalendar.Default);

        var e = Assert.Throws<EffectivePeriodUnknownException>(() => engine.Quote(new QuoteRequest("000-yc-boda-contribution-award", On, FactProfile.FromJson("{}"))));

        Assert.Contains("000", e.Message, StringComparison.Ordinal);
        Assert.Null(catalogue.Documents.Single(d => d.Id == "000").StatedPeriod);
        Assert.Empty(catalogue.InForce(On));
    }

    [Fact]
    public void GeneralRule_OutsideTargetIndustries_NotEligible()
    {
        var quote = Seed000.Engine.Quote(new QuoteRequest("000-yc-boda-contribution-award", On, FactProfile.FromJson("""{ "ycTargetIndustry": false, "ycBodaAward": "special" }""")));

        AssertFails(quote, "yc-target-industry");
    }

    [Fact]
    public void TopTalent_NoDecision_EstimateHasNoCap()
    {
        var quote = Seed000.Quote("000-yc-top-talent-award", """{ "ycTalentTier": "top", "ycFullTimeInEtown": true, "ycProjectFitsKeyIndustries": true }""");

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Contains(quote.MissingFacts, f => f.Name == "decidedAmount");
        Assert.Null(quote.Estimate);

        var decided = Seed000.Quote("000-yc-top-talent-award", """{ "ycTalentTier": "top", "ycFullTimeInEtown": true, "ycProjectFitsKeyIndustries": true, "decidedAmount": 12345678.9 }""");
        AssertAmount(decided, 12345678.9m);
    }

    [Fact]
    public void DistinguishedTalent_ThreeInstalments_SumTo100Wan()
    {
        var quote = Seed000.Quote("000-yc-distinguished-talent-award", """{ "ycTalentTier": "distinguished", "ycFullTimeInEtown": true }""");

        AssertAmount(quote, 1000000m);
        Assert.Equal(DisbursementMode.Instalments, quote.Disbursement);
        Assert.Equal([(1, 2025, 333333.33m), (2, 2026, 333333.33m), (3, 2027, 333333.34m)], quote.Instalments.Select(i => (i.YearIndex, i.CycleYear, i.Amount)));
    }

    [Fact]
    public void DistinguishedTalent_NotFullTime_NotEligible()
    {
        AssertFails(Seed000.Quote("000-yc-distinguished-talent-award", """{ "ycTalentTier": "distinguished", "ycFullTimeInEtown": false }"""), "full-time");
        AssertFails(Seed000.Quote("000-yc-distinguished-talent-award", """{ "ycTalentTier": "leading", "ycFullTimeInEtown": true }"""), "distinguished");
    }

    [Fact]
    public void LeadingTalent_ThreeInstalments_SumTo50Wan()
    {
        var quote = Seed000.Quote("000-yc-leading-talent-award", """{ "ycTalentTier": "leading", "ycLeadingTalentCertified": true }""");

        AssertAmount(quote, 500000m);
        Assert.Equal([166666.67m, 166666.67m, 166666.66m], quote.Instalments.Select(i => i.Amount));
        Assert.DoesNotContain(quote.Programme.Facts, f => f.Name == "ycFullTimeInEtown");
    }

    [Fact]
    public void TalentChoice_AfterSpecialAward_ContributionAwardRefused()
    {
        var history = History(("000-yc-distinguished-talent-award", 2023, 1000000m, null));

        var quote = Seed000.Quote("000-yc-personal-contribution-award", """{ "ycTalentTier": "distinguished", "ycSalaryFiscalContribution": 80000 }""", history);

        AssertFails(quote, "stacking:000-yc-talent-choice");
    }

    [Fact]
    public void TalentChoice_AfterContributionAward_SpecialAwardRefused()
    {
        var history = History(("000-yc-personal-contribution-award", 2024, 40000m, null));

        AssertFails(Seed000.Quote("000-yc-leading-talent-award", """{ "ycTalentTier": "leading", "ycLeadingTalentCertified": true }""", history), "stacking:000-yc-talent-choice");
    }

    [Fact]
    public void Boda_AfterDistinguishedAward_StillPaid()
    {
        var history = History(("000-yc-distinguished-talent-award", 2024, 1000000m, null));

        AssertAmount(Seed000.Quote("000-yc-boda-contribution-award", """{ "ycBodaAward": "special" }""", history), 1000000m);
        AssertAmount(Seed000.Quote("000-yc-boda-contribution-award", """{ "ycBodaAward": "outstanding" }"""), 500000m);
        AssertAmount(Seed000.Quote("000-yc-boda-contribution-award", """{ "ycBodaAward": "innovation" }"""), 300000m);
    }

    [Theory]
    [InlineData("distinguished", "123456.78", "61728.39")]
    [InlineData("leading", "100000", "50000")]
    [InlineData("excellent", "100000", "15000")]
    [InlineData("other", "12345.67", "987.65")]
    public void PersonalContribution_ByTier_RateOfBase(string tier, string baseYuan, string expected)
    {
        var quote = Seed000.Quote("000-yc-personal-contribution-award", $$"""{ "ycTalentTier": "{{tier}}", "ycSalaryFiscalContribution": {{baseYuan}} }""");

        AssertAmount(quote, Yuan(expected));
    }

    [Fact]
    public void PersonalContribution_TopTalent_Paid8Percent()
    {
        AssertAmount(Seed000.Quote("000-yc-personal-contribution-award", """{ "ycTalentTier": "top", "ycSalaryFiscalContribution": 1000000 }"""), 80000m);
    }

    [Theory]
    [InlineData("national-first", 1000000)]
    [InlineData("national-second", 500000)]
    [InlineData("beijing-special", 1000000)]
    [InlineData("beijing-first", 500000)]
    [InlineData("beijing-second", 300000)]
    public void ScienceAward_BeijingSpecialFirstSecond(string award, int expected)
    {
        AssertAmount(Seed000.Quote("000-yc-science-award", $$"""{ "ycScienceAward": "{{award}}" }"""), expected);
    }

    [Fact]
    public void RdInstitution_NationalAfterEtown_PaysDifference()
    {
        var history = History(("000-yc-rd-institution", 2023, 500000m, "etown"));

        var quote = Seed000.Quote("000-yc-rd-institution", """{ "ycTalentLedProject": true, "ycRdInstitutionLevel": "national" }""", history);

        AssertAmount(quote, 9500000m);
        AssertAmount(Seed000.Quote("000-yc-rd-institution", """{ "ycTalentLedProject": true, "ycRdInstitutionLevel": "beijing" }"""), 1000000m);
    }

    [Fact]
    public void RdInstitution_LowerAfterHigher_NothingMore()
    {
        var history = History(("000-yc-rd-institution", 2023, 1000000m, "beijing"));

        AssertFails(Seed000.Quote("000-yc-rd-institution", """{ "ycTalentLedProject": true, "ycRdInstitutionLevel": "etown" }""", history), "already-paid");
    }

    [Theory]
    [InlineData("2000000", "1000000")]
    [InlineData("1999999.98", "999999.99")]
    [InlineData("2000000.02", "1000000")]
    public void EventInternational_AtCap_Exactly100Wan(string cost, string expected)
    {
        var quote = Seed000.Quote("000-yc-event-international", $$"""{ "ycEventMinisterialOrAbove": true, "ycEventCost": {{cost}} }""");

        AssertAmount(quote, Yuan(expected));
    }

    [Theory]
    [InlineData("999999.98", "499999.99")]
    [InlineData("1000000", "500000")]
    [InlineData("3000000", "500000")]
    public void EventDomestic_AboveCap_Capped50Wan(string cost, string expected)
    {
        AssertAmount(Seed000.Quote("000-yc-event-domestic", $$"""{ "ycEventMinisterialOrAbove": true, "ycEventCost": {{cost}} }"""), Yuan(expected));
    }

    private const string Founder = """ "ycTalentTier": "leading", "ycFirstEntryFounder": true, "ycFounderShareholding": 0.3 """;

    [Fact]
    public void StartupRent_HalfRentBelowRateCap_PaysHalf()
    {
        // 1000 m² × 365 days; rent 2.0 元/m²/day = 730000; half = 365000 < 1.5 × 365000 = 547500.
        var quote = Seed000.Quote("000-yc-startup-rent", "{" + Founder + """, "ycSubsidyYearIndex": 1, "ycRentPaid": 730000, "ycLeasedAreaDays": 365000 }""");

        AssertAmount(quote, 365000m);
    }

    [Fact]
    public void StartupRent_HalfRentAboveRateCap_Pays1Point5PerSqmDay()
    {
        // rent 4.0 元/m²/day = 1460000; half = 730000 > 1.5 × 365000 = 547500.
        AssertAmount(Seed000.Quote("000-yc-startup-rent", "{" + Founder + """, "ycSubsidyYearIndex": 2, "ycRentPaid": 1460000, "ycLeasedAreaDays": 365000 }"""), 547500m);
    }

    [Fact]
    public void StartupRent_ThirdYear_NotEligible()
    {
        AssertFails(Seed000.Quote("000-yc-startup-rent", "{" + Founder + """, "ycSubsidyYearIndex": 3, "ycRentPaid": 1000, "ycLeasedAreaDays": 1000 }"""), "two-years");
    }

    [Fact]
    public void StartupRent_SecondYear_TotalCapLeavesRemainder()
    {
        var history = History(("000-yc-startup-rent", 2024, 1500000m, null));

        var quote = Seed000.Quote("000-yc-startup-rent", "{" + Founder + """, "ycSubsidyYearIndex": 2, "ycRentPaid": 3000000, "ycLeasedAreaDays": 2000000 }""", history);

        AssertAmount(quote, 500000m);
    }

    [Fact]
    public void StartupRent_ShareholdingBelow30Percent_NotEligible()
    {
        var quote = Seed000.Quote("000-yc-startup-rent", """{ "ycTalentTier": "distinguished", "ycFirstEntryFounder": true, "ycFounderShareholding": 0.2999, "ycSubsidyYearIndex": 1, "ycRentPaid": 1000, "ycLeasedAreaDays": 1000 }""");

        AssertFails(quote, "shareholding");
    }

    [Fact]
    public void StartupInterest_TwoPercentOfLoan()
    {
        AssertAmount(Seed000.Quote("000-yc-startup-loan-interest", "{" + Founder + """, "ycLoanAmount": 10000000 }"""), 200000m);
        AssertAmount(Seed000.Quote("000-yc-startup-loan-interest", "{" + Founder + """, "ycLoanAmount": 10000000, "ycInterestPaid": 150000 }"""), 150000m);
    }

    [Fact]
    public void StartupInterest_LargeLoan_CappedAt200Wan()
    {
        AssertAmount(Seed000.Quote("000-yc-startup-loan-interest", "{" + Founder + """, "ycLoanAmount": 150000000 }"""), 2000000m);
    }

    [Fact]
    public void StartupInterest_FourthYear_FailsMaxYears()
    {
        var history = History(("000-yc-startup-loan-interest", 2022, 1m, null), ("000-yc-startup-loan-interest", 2023, 1m, null), ("000-yc-startup-loan-interest", 2024, 1m, null));

        AssertFails(Seed000.Quote("000-yc-startup-loan-interest", "{" + Founder + """, "ycLoanAmount": 1000000 }""", history), "max-years");
    }

    private const string Foreign = """ "ycTalentTier": "excellent", "ycForeignNational": true, "ycMastersOrAbove": true, "ycFirstEntryFounder": true, "ycFounderShareholding": 0.3 """;

    [Fact]
    public void ForeignStartup_CapitalExactlyOneMillionUsd_Eligible()
    {
        AssertAmount(Seed000.Quote("000-yc-foreign-talent-startup", "{" + Foreign + """, "ycPaidInCapitalUsd": 1000000 }"""), 200000m);
    }

    [Fact]
    public void ForeignStartup_CapitalJustBelow_NotEligible()
    {
        AssertFails(Seed000.Quote("000-yc-foreign-talent-startup", "{" + Foreign + """, "ycPaidInCapitalUsd": 999999.99 }"""), "paid-in-capital");
    }

    [Fact]
    public void TrainingMatching_OneToOne()
    {
        AssertAmount(Seed000.Quote("000-yc-training-matching", """{ "ycTrainingProjectFunding": 320000.5 }"""), 320000.5m);
        AssertAmount(Seed000.Quote("000-yc-training-matching", """{ "ycTrainingProjectFunding": 800000 }"""), 500000m);
    }

    [Fact]
    public void TrainingMatching_SecondProjectSameYear_OnlyRemainderOf50Wan()
    {
        var history = History(("000-yc-training-matching", 2025, 300000m, null));

        AssertAmount(Seed000.Quote("000-yc-training-matching", """{ "ycTrainingProjectFunding": 300000 }""", history), 200000m);
        AssertAmount(Seed000.Quote("000-yc-training-matching", """{ "ycTrainingProjectFunding": 300000 }""", history, cycleYear: 2026), 300000m);
    }

    [Fact]
    public void YouthProject_TopAndBackbone()
    {
        AssertAmount(Seed000.Quote("000-yc-youth-project", """{ "ycYouthProjectLead": true, "ycYouthProject": "top-research" }"""), 300000m);
        AssertAmount(Seed000.Quote("000-yc-youth-project", """{ "ycYouthProjectLead": true, "ycYouthProject": "backbone-research" }"""), 200000m);
    }

    [Fact]
    public void ServiceHq_ThreeYearsOf30Wan()
    {
        var quote = Seed000.Quote("000-yc-service-hq-operating", """{ "ycServiceHqCertified": true }""");

        AssertAmount(quote, 900000m);
        Assert.Equal([300000m, 300000m, 300000m], quote.Instalments.Select(i => i.Amount));
    }

    [Fact]
    public void ExcellentRent_ThreeYearsOf24000()
    {
        var quote = Seed000.Quote("000-yc-excellent-rent-subsidy", """{ "ycTalentTier": "excellent" }""");

        AssertAmount(quote, 72000m);
        Assert.Equal([(2025, 24000m), (2026, 24000m), (2027, 24000m)], quote.Instalments.Select(i => (i.CycleYear, i.Amount)));
    }

    [Fact]
    public void ExcellentRent_AfterFlat_Exclusive()
    {
        var history = History(("000-yc-excellent-public-rental", 2024, 0m, null));

        AssertFails(Seed000.Quote("000-yc-excellent-rent-subsidy", """{ "ycTalentTier": "excellent" }""", history), "stacking:000-yc-excellent-housing");
    }

    [Fact]
    public void Benefits_ByTier_NoAmount()
    {
        AssertBenefit(Seed000.Quote("000-yc-international-apartment", """{ "ycTalentTier": "leading" }"""));
        AssertBenefit(Seed000.Quote("000-yc-medical", """{ "ycTalentTier": "excellent" }"""));
        AssertFails(Seed000.Quote("000-yc-transport", """{ "ycTalentTier": "excellent" }"""), "tier");
        AssertBenefit(Seed000.Quote("000-yc-enterprise-public-rental", """{ "ycEnterpriseTaxInEtown": 10000000 }"""));
        AssertFails(Seed000.Quote("000-yc-enterprise-public-rental", """{ "ycEnterpriseTaxInEtown": 9999999.99 }"""), "tax-1000wan");
    }

    [Fact]
    public void Discretionary_Bounded_NoStatedCap()
    {
        foreach (var id in new[] { "000-yc-innovation-fund", "000-yc-skills-pilot", "000-yc-intermediary-award", "000-yc-youth-activity" })
        {
            var p = Loaded.Get(id);
            Assert.True(p.Formula.IsDiscretionary, id);
            Assert.Null(p.Formula.MaxAmount);
        }
    }

    /// <summary>Every clause of 000 that grants money or a quantifiable benefit (the ones left out, and why: docs/interpretations.md).</summary>
    public static readonly string[] Required =
    [
        "000-yc-top-talent-award", "000-yc-distinguished-talent-award", "000-yc-leading-talent-award",
        "000-yc-boda-contribution-award", "000-yc-personal-contribution-award", "000-yc-science-award", "000-yc-rd-institution",
        "000-yc-event-international", "000-yc-event-domestic", "000-yc-startup-rent", "000-yc-startup-loan-interest",
        "000-yc-foreign-talent-startup", "000-yc-innovation-fund", "000-yc-training-matching", "000-yc-youth-project",
        "000-yc-youth-activity", "000-yc-skills-pilot", "000-yc-party-secretary-training", "000-yc-intermediary-award",
        "000-yc-service-hq-operating", "000-yc-enterprise-public-rental", "000-yc-top-talent-housing",
        "000-yc-international-apartment", "000-yc-excellent-public-rental", "000-yc-excellent-rent-subsidy", "000-yc-medical",
        "000-yc-education", "000-yc-residence", "000-yc-transport", "000-yc-honorary-citizen"
    ];

    [Fact]
    public void Default_HoldsEveryRequiredProgramme_AndNoOther()
    {
        var ids = ProgrammeCatalogue.Default.All.Where(p => p.Document.Id == "000").Select(p => p.Id).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Required.Order(StringComparer.Ordinal), ids);
        Assert.All(ProgrammeCatalogue.Default.All.Where(p => p.Document.Id == "000"), p => Assert.Null(ProgrammeCatalogue.Default.PeriodOf(p)));
    }
}
