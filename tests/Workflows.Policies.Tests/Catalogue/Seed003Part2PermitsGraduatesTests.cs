using static Workflows.Policies.Tests.Catalogue.Seed003Part2;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 19–23: work-residence permits, flexible talent, studios, postdocs, graduates.</summary>
public partial class Seed003Part2Tests
{
    private const string PermitEmployer = """
        "pgEmployerRestrictedIndustry": false, "pgEmployerLegalPersonInDistrict": true, "pgEmployerYearsEstablished": 1,
        "pgEmployerRegisteredCapital": 1000000, "pgEmployerAnnualTax": 100000, "pgEmployerGoodCredit": true
        """;

    private const string PermitPerson = """
        "pgYearsWorkExperience": 2, "pgHighestEducation": "bachelor", "pgHasIntermediateTitleOrSeniorTechnician": false,
        "pgMonthsInsuranceAndTaxAtEmployer": 6, "pgBelowRetirementAge": true
        """;

    [Fact]
    public void WorkPermit_IncomeExactly1Point2_Eligible()
    {
        AssertBenefit(Quote("003-pg-work-residence-permit", "{" + PermitEmployer + "," + PermitPerson + """, "pgIncomeToAverageWage": 1.2 }"""));
    }

    [Fact]
    public void WorkPermit_IncomeJustBelow1Point2_NotEligible()
    {
        var quote = Quote("003-pg-work-residence-permit", "{" + PermitEmployer + "," + PermitPerson + """
            , "pgIncomeToAverageWage": 1.1999, "pgPermitAltAwardWinner": false, "pgPermitEmployerKind": "other", "pgMinIncomeToAverageWageLast3Years": 0,
            "pgInventionPatents": 0, "pgOtherPatents": 2, "pgSoftwareCopyrights": 2, "pgIpCommercialisedInBeijing": true,
            "pgTeamSelfInvestment3Years": 0, "pgTeamEquityFinancing": 0, "pgTeamAverageYearlyTax3Years": 0, "pgShareholding": 0, "pgTopFiveShareholder": false,
            "pgFreelancerMinYearlyTax3Years": 0, "pgFreelancerOutstandingContribution": false, "pgPermitApprovedByCityTalentBureau": false }
            """);

        AssertFails(quote, "personal-conditions");
    }

    [Fact]
    public void WorkPermit_EmployerBelowCapitalOrTax_NotEligible()
    {
        var employer = PermitEmployer.Replace("\"pgEmployerRegisteredCapital\": 1000000", "\"pgEmployerRegisteredCapital\": 999999.99", StringComparison.Ordinal)
            .Replace("\"pgEmployerAnnualTax\": 100000", "\"pgEmployerAnnualTax\": 99999.99", StringComparison.Ordinal);

        var quote = Quote("003-pg-work-residence-permit", "{" + employer + "," + PermitPerson + """, "pgIncomeToAverageWage": 2 }""");

        AssertFails(quote, "employer-capital");
        AssertFails(quote, "employer-tax");
    }

    [Fact]
    public void WorkPermit_InventorWithoutDegree_Eligible()
    {
        var quote = Quote("003-pg-work-residence-permit", "{" + PermitEmployer + """
            , "pgYearsWorkExperience": 0, "pgHighestEducation": "below-bachelor", "pgHasIntermediateTitleOrSeniorTechnician": false,
            "pgMonthsInsuranceAndTaxAtEmployer": 1, "pgIncomeToAverageWage": 0.5, "pgBelowRetirementAge": true,
            "pgPermitAltAwardWinner": false, "pgInventionPatents": 1, "pgIpCommercialisedInBeijing": true }
            """);

        AssertBenefit(quote);
    }

    [Fact]
    public void WorkPermit_InnovationEntityExactly3Times_NotEligible()
    {
        const string Other = """
            , "pgYearsWorkExperience": 0, "pgHighestEducation": "below-bachelor", "pgHasIntermediateTitleOrSeniorTechnician": false,
            "pgMonthsInsuranceAndTaxAtEmployer": 0, "pgIncomeToAverageWage": 3, "pgBelowRetirementAge": true, "pgPermitAltAwardWinner": false,
            "pgInventionPatents": 0, "pgOtherPatents": 0, "pgSoftwareCopyrights": 0, "pgIpCommercialisedInBeijing": false,
            "pgTeamSelfInvestment3Years": 5000000, "pgTeamEquityFinancing": 10000000, "pgTeamAverageYearlyTax3Years": 0, "pgShareholding": 0.05, "pgTopFiveShareholder": true,
            "pgFreelancerMinYearlyTax3Years": 199999.99, "pgFreelancerOutstandingContribution": true, "pgPermitApprovedByCityTalentBureau": false, "pgPermitEmployerKind": "innovation-entity"
            """;

        AssertFails(Quote("003-pg-work-residence-permit", "{" + PermitEmployer + Other + """, "pgMinIncomeToAverageWageLast3Years": 3 }"""), "personal-conditions");
        AssertBenefit(Quote("003-pg-work-residence-permit", "{" + PermitEmployer + Other + """, "pgMinIncomeToAverageWageLast3Years": 3.0001 }"""));
        AssertBenefit(Quote("003-pg-work-residence-permit", "{" + PermitEmployer + Other.Replace("\"pgTeamAverageYearlyTax3Years\": 0", "\"pgTeamAverageYearlyTax3Years\": 5000000", StringComparison.Ordinal) + """, "pgMinIncomeToAverageWageLast3Years": 0 }"""));
    }

    [Fact]
    public void WorkPermit_Stages_ApprovalIn5WorkingDays()
    {
        var approval = Assert.Single(Loaded.Get("003-pg-work-residence-permit").Stages, s => s.Kind == StageKind.GovernmentApproval);

        Assert.Equal(new StageDuration(5, DayKind.Working), approval.Duration);
        // 9-30, then National Day 10-01…10-07, then 10-08 … 10-11: the fifth working day.
        Assert.Equal(new DateOnly(2024, 10, 11), WorkingDayCalendar.Default.AddWorkingDays(new DateOnly(2024, 9, 29), approval.Duration!.Value));
    }

    [Fact]
    public void ChiefExpert_InTerm_Pays10WanAYear()
    {
        AssertAmount(Quote("003-pg-flexible-chief-expert-funding", """{ "pgFlexibleRole": "chief-expert", "pgFlexibleAppointedInCycle": true }"""), 100000m);
        AssertAmount(Quote("003-pg-flexible-chief-expert-funding", """{ "pgFlexibleRole": "chief-expert", "pgFlexibleAppointedInCycle": true }""", History(("003-pg-flexible-chief-expert-funding", 2024, 100000m))), 100000m);
        AssertFails(Quote("003-pg-flexible-chief-expert-funding", """{ "pgFlexibleRole": "chief-expert", "pgFlexibleAppointedInCycle": false }"""), "appointed");
        AssertFails(Quote("003-pg-flexible-chief-expert-funding", """{ "pgFlexibleRole": "special-adviser", "pgFlexibleAppointedInCycle": true }"""), "chief-expert");
    }

    [Fact]
    public void WeekendExpert_CostAt25Wan_PaysExactly5Wan()
    {
        AssertAmount(Quote("003-pg-flexible-weekend-expert-grant", """{ "pgWeekendExpertProjectsThisYear": 0, "pgWeekendExpertProjectCost": 250000 }"""), 50000m);
        AssertAmount(Quote("003-pg-flexible-weekend-expert-grant", """{ "pgWeekendExpertProjectsThisYear": 0, "pgWeekendExpertProjectCost": 249999.99 }"""), 50000m);
        AssertAmount(Quote("003-pg-flexible-weekend-expert-grant", """{ "pgWeekendExpertProjectsThisYear": 0, "pgWeekendExpertProjectCost": 249999.9 }"""), 49999.98m);
    }

    [Fact]
    public void WeekendExpert_CostAbove25Wan_Capped()
    {
        var quote = Quote("003-pg-flexible-weekend-expert-grant", """{ "pgWeekendExpertProjectsThisYear": 0, "pgWeekendExpertProjectCost": 250000.05 }""");

        AssertAmount(quote, 50000m);
        Assert.Contains(quote.Steps, s => s.TextEn.StartsWith("Capped at", StringComparison.Ordinal));
    }

    [Fact]
    public void WeekendExpert_SecondProjectSameYear_Refused()
    {
        AssertFails(Quote("003-pg-flexible-weekend-expert-grant", """{ "pgWeekendExpertProjectsThisYear": 1, "pgWeekendExpertProjectCost": 100000 }"""), "one-project-a-year");
    }

    private const string Studio = """
        "pgStudioHosts": 2, "pgStudioHostQualified": true, "pgStudioTraineesGenerallyUnder45": true,
        "pgStudioHasManagementRules": true, "pgStudioHasPremisesAndFunds": true, "pgStudioApproved": true
        """;

    [Theory]
    [InlineData("municipal", 300000)]
    [InlineData("district", 200000)]
    [InlineData("industry", 100000)]
    public void StudioFunding_ByLevel_PaysOnce(string level, int expected)
    {
        AssertAmount(Quote("003-pg-studio-funding", "{" + Studio + $$""", "pgStudioTrainees": 5, "pgStudioLevel": "{{level}}" }""", projectKey: "studio-pear"), expected);
        var again = Quote("003-pg-studio-funding", "{" + Studio + $$""", "pgStudioTrainees": 5, "pgStudioLevel": "{{level}}" }""", ProjectHistory("studio-pear", ("003-pg-talent-studio-grant", 2023, 100000m)), projectKey: "studio-pear");
        AssertFails(again, "stacking:003-pg-studio");
    }

    [Theory]
    [InlineData(4, "trainees-min")]
    [InlineData(11, "trainees-max")]
    public void StudioFunding_TraineeBounds(int trainees, string rule)
    {
        AssertFails(Quote("003-pg-studio-funding", "{" + Studio + $$""", "pgStudioTrainees": {{trainees}}, "pgStudioLevel": "district" }"""), rule);
        AssertAmount(Quote("003-pg-studio-funding", "{" + Studio + $$""", "pgStudioTrainees": {{(trainees == 4 ? 5 : 10)}}, "pgStudioLevel": "district" }"""), 200000m);
    }

    [Fact]
    public void StudioFunding_Stages_WeekNoticeAndConfiguredAssessment()
    {
        var stages = Loaded.Get("003-pg-studio-funding").Stages;

        var notice = Assert.Single(stages, s => s.Kind == StageKind.PublicNotice);
        Assert.Equal(new StageDuration(7, DayKind.Natural), notice.Duration);
        var assessment = Assert.Single(stages, s => s.Kind == StageKind.AnnualAssessment);
        Assert.False(assessment.RepeatsYearly);
        Assert.Null(assessment.Duration);
        Assert.Contains("configured by the bureau", assessment.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void PostdocRecruitment_ThreePostdocs_Pays30Wan()
    {
        AssertAmount(Quote("003-pg-postdoc-recruitment-grant", """{ "pgPostdocStationApproved": true, "pgPostdocsRecruited": 3 }"""), 300000m);
        AssertFails(Quote("003-pg-postdoc-recruitment-grant", """{ "pgPostdocStationApproved": false, "pgPostdocsRecruited": 3 }"""), "station-approved");
        AssertAmount(Quote("003-pg-postdoc-key-project", """{ "pgPostdocKeyProjectOrAward": true }"""), 300000m);
    }

    private const string Joint = """ "pgPostdocFullTimeInPinggu": true, "pgPostdocResultsTransferred": true """;

    [Fact]
    public void PostdocJoint_CooperationEdge()
    {
        AssertAmount(Quote("003-pg-postdoc-joint-funding", "{" + Joint + """, "pgPostdocCooperationYears": 3 }"""), 100000m);
        AssertFails(Quote("003-pg-postdoc-joint-funding", "{" + Joint + """, "pgPostdocCooperationYears": 2.99 }"""), "cooperation-3-years");
    }

    [Fact]
    public void PostdocJoint_FourthYear_TotalCapReached()
    {
        var threeYears = History(("003-pg-postdoc-joint-funding", 2022, 100000m), ("003-pg-postdoc-joint-funding", 2023, 100000m), ("003-pg-postdoc-joint-funding", 2024, 100000m));
        var twoYears = History(("003-pg-postdoc-joint-funding", 2023, 100000m), ("003-pg-postdoc-joint-funding", 2024, 100000m));

        AssertFails(Quote("003-pg-postdoc-joint-funding", "{" + Joint + """, "pgPostdocCooperationYears": 5 }""", threeYears), "total-cap-reached");
        AssertAmount(Quote("003-pg-postdoc-joint-funding", "{" + Joint + """, "pgPostdocCooperationYears": 5 }""", twoYears), 100000m);
    }

    [Fact]
    public void HardshipEmployment_TwelveMonths_Pays1Wan()
    {
        AssertAmount(Quote("003-pg-graduate-hardship-employment", """{ "pgHardshipFamily": true, "pgMonthsStablyEmployed": 12 }"""), 10000m);
    }

    [Fact]
    public void HardshipEmployment_ElevenMonths_NotEligible()
    {
        AssertFails(Quote("003-pg-graduate-hardship-employment", """{ "pgHardshipFamily": true, "pgMonthsStablyEmployed": 11 }"""), "one-year");
    }

    [Fact]
    public void HardshipEmployment_SecondClaim_Refused()
    {
        AssertFails(Quote("003-pg-graduate-hardship-employment", """{ "pgHardshipFamily": true, "pgMonthsStablyEmployed": 30 }""", History(("003-pg-graduate-hardship-employment", 2024, 10000m))), "total-cap-reached");
    }

    private const string FlexibleGrad = """ "pgBeijingUniversityGraduate": true, "pgFirstJobFlexibleWithin2Years": true """;

    [Fact]
    public void FlexibleInsurance_TwelveMonths_Pays12692Point40()
    {
        AssertAmount(Quote("003-pg-graduate-flexible-insurance-subsidy", "{" + FlexibleGrad + """, "pgSubsidyMonths": 12 }"""), 12692.4m);
        AssertAmount(Quote("003-pg-graduate-flexible-insurance-subsidy", "{" + FlexibleGrad + """, "pgSubsidyMonths": 1 }"""), 1057.7m);
    }

    [Fact]
    public void FlexibleInsurance_ThirdYearAfter30Months_PaysRemainingSixMonths()
    {
        var thirtyMonths = History(("003-pg-graduate-flexible-insurance-subsidy", 2023, 12692.4m), ("003-pg-graduate-flexible-insurance-subsidy", 2024, 19038.6m));

        AssertAmount(Quote("003-pg-graduate-flexible-insurance-subsidy", "{" + FlexibleGrad + """, "pgSubsidyMonths": 12 }""", thirtyMonths), 6346.2m);
    }

    [Fact]
    public void FlexibleBonus_HardshipFamily_Gets6000NotBoth()
    {
        const string Bonus = """ "pgFreshGraduate": true, "pgReceivesFlexibleInsuranceSubsidy": true, "pgSubsidyYearIndex": 3 """;

        AssertAmount(Quote("003-pg-graduate-flexible-employment-bonus", "{" + Bonus + """, "pgFlexibleBonusGroup": "hardship-family" }"""), 6000m);
        AssertAmount(Quote("003-pg-graduate-flexible-employment-bonus", "{" + Bonus + """, "pgFlexibleBonusGroup": "ordinary" }"""), 2000m);
        AssertFails(Quote("003-pg-graduate-flexible-employment-bonus", """{ "pgFreshGraduate": true, "pgReceivesFlexibleInsuranceSubsidy": true, "pgSubsidyYearIndex": 4, "pgFlexibleBonusGroup": "ordinary" }"""), "three-years");
    }

    private const string Startup = """ "pgFreshGraduate": true, "pgStartupInPinggu": true """;

    [Fact]
    public void StartupLoan_InterestAboveLprMinus150bp_SubsidisesTheRest()
    {
        // 50万 at 3.45% for a year = 17250; at LPR 3.45% − 1.5% = 1.95% the borrower bears 9750; the subsidy is 7500.
        AssertAmount(Quote("003-pg-graduate-startup-loan-interest", "{" + Startup + """, "pgStartupBorrower": "individual", "pgStartupLoanAmount": 500000, "pgStartupLoanInterestPaid": 17250, "pgStartupLoanInterestAtLprMinus150bp": 9750 }"""), 7500m);
        AssertAmount(Quote("003-pg-graduate-startup-loan-interest", "{" + Startup + """, "pgStartupBorrower": "small-micro-enterprise", "pgStartupLoanAmount": 3000000, "pgStartupLoanInterestPaid": 50000, "pgStartupLoanInterestAtLprMinus150bp": 58500 }"""), 0m);
    }

    [Fact]
    public void StartupLoan_IndividualAbove50Wan_NotEligible()
    {
        AssertFails(Quote("003-pg-graduate-startup-loan-interest", "{" + Startup + """, "pgStartupBorrower": "individual", "pgStartupLoanAmount": 500000.01, "pgStartupLoanInterestPaid": 1, "pgStartupLoanInterestAtLprMinus150bp": 0 }"""), "loan-limit");
        AssertFails(Quote("003-pg-graduate-startup-loan-interest", "{" + Startup + """, "pgStartupBorrower": "small-micro-enterprise", "pgStartupLoanAmount": 3000000.01, "pgStartupLoanInterestPaid": 1, "pgStartupLoanInterestAtLprMinus150bp": 0 }"""), "loan-limit");
    }

    [Fact]
    public void StartupSubsidy_Range_FloorRefusedCeilingCapped()
    {
        AssertAmount(Quote("003-pg-graduate-startup-subsidy", """{ "pgFirstStartupMeetsRules": true, "decidedAmount": 8000 }"""), 8000m);
        AssertAmount(Quote("003-pg-graduate-startup-subsidy", """{ "pgFirstStartupMeetsRules": true, "decidedAmount": 12000 }"""), 10000m);
        AssertFails(Quote("003-pg-graduate-startup-subsidy", """{ "pgFirstStartupMeetsRules": true, "decidedAmount": 7999.99 }"""), "at-least-8000");
    }

    [Fact]
    public void HiringBonus_SixHires_Capped5Wan()
    {
        AssertAmount(Quote("003-pg-graduate-hiring-bonus", """{ "pgFirstStartupMeetsRules": true, "pgLocalLabourHired": 6 }"""), 50000m);
        AssertAmount(Quote("003-pg-graduate-hiring-bonus", """{ "pgFirstStartupMeetsRules": true, "pgLocalLabourHired": 3 }"""), 30000m);
    }

    [Fact]
    public void HiringBonus_LaterClaim_OnlyRemainder()
    {
        AssertAmount(Quote("003-pg-graduate-hiring-bonus", """{ "pgFirstStartupMeetsRules": true, "pgLocalLabourHired": 4 }""", History(("003-pg-graduate-hiring-bonus", 2024, 30000m))), 20000m);
    }

    [Fact]
    public void PublicWelfarePost_1000AMonth_ThreeYearsAtMost()
    {
        const string Welfare = """ "pgDistrictHukou": true, "pgWelfareGroup": "zero-employment-family" """;

        AssertAmount(Quote("003-pg-graduate-public-welfare-post", "{" + Welfare + """, "pgSubsidyMonths": 12 }"""), 12000m);
        AssertAmount(Quote("003-pg-graduate-public-welfare-post", "{" + Welfare + """, "pgSubsidyMonths": 12 }""", History(("003-pg-graduate-public-welfare-post", 2023, 12000m), ("003-pg-graduate-public-welfare-post", 2024, 20000m))), 4000m);
        AssertFails(Quote("003-pg-graduate-public-welfare-post", """{ "pgDistrictHukou": true, "pgWelfareGroup": "none", "pgSubsidyMonths": 12 }"""), "welfare-group");
    }

    [Fact]
    public void Interpretations_EveryNamedTest_Exists()
    {
        var methods = typeof(Seed003Part2Tests).GetMethods().Select(m => m.Name)
            .Concat(typeof(Seed000Tests).GetMethods().Select(m => m.Name)).ToHashSet(StringComparer.Ordinal);
        var notes = Loaded.All.Concat(Seed000.Loaded.All).SelectMany(p => p.Interpretations.Select(i => (p.Id, i.Note ?? string.Empty)));

        foreach (var (id, note) in notes)
        {
            var names = System.Text.RegularExpressions.Regex.Matches(note, @"[A-Z][A-Za-z0-9]+_[A-Za-z0-9_]+").Select(m => m.Value).ToList();
            Assert.True(names.Count > 0, $"{id}: no test named in '{note}'");
            Assert.All(names, n => Assert.True(methods.Contains(n), $"{id}: test {n} does not exist"));
        }
    }
}

/// <summary>Seed 003 policy 19 五: the permit's renewal and transfer deadlines.</summary>
public partial class Seed003Part2Tests
{
    [Fact]
    public void WorkPermitRenewal_Day30AfterExpiry_StillOpen()
    {
        var quote = Quote("003-pg-work-permit-renewal", """{ "pgEmployerContinuesEmployment": true, "pgPermitExpiryDate": "2025-05-31" }""", on: new DateOnly(2025, 6, 30));

        AssertBenefit(quote);
        Assert.Equal(new DateOnly(2025, 6, 30), Assert.Single(quote.Deadlines, d => d.Stage == StageKind.ClaimWindow).Date);
    }

    [Fact]
    public void WorkPermitRenewal_Day31AfterExpiry_Lapsed()
    {
        AssertFails(Quote("003-pg-work-permit-renewal", """{ "pgEmployerContinuesEmployment": true, "pgPermitExpiryDate": "2025-05-30" }""", on: new DateOnly(2025, 6, 30)), "claim-window");
    }

    [Fact]
    public void WorkPermitTransfer_60DaysAfterCancellation_Edge()
    {
        AssertBenefit(Quote("003-pg-work-permit-transfer", """{ "pgPermitHolderLeftEmployer": true, "pgPermitCancellationDate": "2025-05-01" }""", on: new DateOnly(2025, 6, 30)));
        AssertFails(Quote("003-pg-work-permit-transfer", """{ "pgPermitHolderLeftEmployer": true, "pgPermitCancellationDate": "2025-04-30" }""", on: new DateOnly(2025, 6, 30)), "claim-window");
    }

    [Fact]
    public void TalentHukou_PermitWithin7Days_StageData()
    {
        var stage = Assert.Single(Loaded.Get("003-pg-talent-hukou").Stages);

        Assert.Equal(StageKind.GovernmentApproval, stage.Kind);
        Assert.Equal(new StageDuration(7, DayKind.Natural), stage.Duration);
    }
}
