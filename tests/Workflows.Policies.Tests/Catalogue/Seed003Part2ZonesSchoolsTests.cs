using static Workflows.Policies.Tests.Catalogue.Seed003Part2;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 13–16: cluster registration zones, schooling, medical channels, project entry.</summary>
public partial class Seed003Part2Tests
{
    private const string ZoneOk = """ "pgClusterApplicantType": "park-management", "pgClusterBuildingLegal": true, "pgClusterOfficeConditions": true, "pgClusterDedicatedStaff": true """;

    [Fact]
    public void ClusterDesignation_AllConditions_BenefitWithYearlyAssessment()
    {
        var quote = Quote("003-pg-cluster-zone-designation", "{" + ZoneOk + "}");

        AssertBenefit(quote);
        var assessment = Assert.Single(quote.Programme.Stages, s => s.Kind == StageKind.AnnualAssessment);
        Assert.True(assessment.RepeatsYearly);
        Assert.Contains("优秀、合格、不合格", assessment.NoteZh, StringComparison.Ordinal);
        Assert.Contains(quote.Programme.Stages, s => s.Kind == StageKind.GovernmentApproval);
    }

    [Fact]
    public void ClusterDesignation_NotAnInvestmentDepartment_NotEligible()
    {
        var quote = Quote("003-pg-cluster-zone-designation", """{ "pgClusterApplicantType": "other", "pgClusterBuildingLegal": true, "pgClusterOfficeConditions": true, "pgClusterDedicatedStaff": false }""");

        AssertFails(quote, "investment-department");
        AssertFails(quote, "dedicated-staff");
    }

    [Theory]
    [InlineData("excellent")]
    [InlineData("qualified")]
    [InlineData("none-yet")]
    public void ClusterIntake_ExcellentOrQualified_KeepsIntake(string grade)
    {
        AssertBenefit(Quote("003-pg-cluster-zone-intake", $$"""{ "pgClusterLastGrade": "{{grade}}" }"""));
    }

    [Fact]
    public void ClusterIntake_UnqualifiedUnder12Months_IsSuspendedNotRevoked()
    {
        var quote = Quote("003-pg-cluster-zone-intake", """{ "pgClusterLastGrade": "unqualified", "pgClusterRectificationCertified": false, "pgClusterMonthsSinceUnqualified": 11 }""");

        AssertFails(quote, "not-suspended");
        Assert.DoesNotContain(quote.FailedRules, r => r.RuleId == "not-revoked");
    }

    [Fact]
    public void ClusterIntake_Unqualified12Months_IsRevoked()
    {
        var quote = Quote("003-pg-cluster-zone-intake", """{ "pgClusterLastGrade": "unqualified", "pgClusterRectificationCertified": false, "pgClusterMonthsSinceUnqualified": 12 }""");

        AssertFails(quote, "not-revoked");
        Assert.Contains("其它招商引资企业集群注册区接管", quote.FailedRules.Single(r => r.RuleId == "not-revoked").MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterIntake_RectificationCertified_IntakeRestored()
    {
        AssertBenefit(Quote("003-pg-cluster-zone-intake", """{ "pgClusterLastGrade": "unqualified", "pgClusterRectificationCertified": true, "pgClusterMonthsSinceUnqualified": 8 }"""));
    }

    private const string Renters = """ "pgHukouOtherBeijingDistrict": true, "pgFamilyOwnsHomeInDistrict": false, "pgLeaseRegistered": true, "pgParentYearsEmployedInDistrict": 3 """;

    [Fact]
    public void SchoolRenters_Exactly3Years_Eligible()
    {
        AssertBenefit(Quote("003-pg-school-other-district-renters", "{" + Renters + """, "pgYearsRentingInDistrict": 3 }"""));
    }

    [Fact]
    public void SchoolRenters_Below3Years_NotEligible()
    {
        AssertFails(Quote("003-pg-school-other-district-renters", "{" + Renters + """, "pgYearsRentingInDistrict": 2.99 }"""), "renting-3-years");
    }

    [Fact]
    public void SchoolPlaces_OtherGroups_EligibilityOnly()
    {
        AssertBenefit(Quote("003-pg-school-key-enterprise-talent", """{ "pgKeyEnterpriseTalentCategory": "top30-taxpayer-manager", "pgChildMeetsBeijingEnrolmentRules": true }"""));
        AssertFails(Quote("003-pg-school-key-enterprise-talent", """{ "pgKeyEnterpriseTalentCategory": "none", "pgChildMeetsBeijingEnrolmentRules": true }"""), "protected-group");
        AssertBenefit(Quote("003-pg-school-foreign-children", """{ "pgChildForeignNational": true, "pgForeignChildDocumentsComplete": true }"""));
        AssertBenefit(Quote("003-pg-school-non-beijing-children", """{ "pgNonBeijingChildDocumentsApproved": true }"""));
        AssertBenefit(Quote("003-pg-school-talent-children", """{ "pgCertifiedTalent": true, "pgChildMeetsBeijingEnrolmentRules": true }"""));
    }

    [Fact]
    public void Medical_ServicePackageSeniorManager_GreenChannels()
    {
        AssertBenefit(Quote("003-pg-medical-green-channel", """{ "pgServicePackageEnterprise": true, "pgSeniorManager": true }"""));
        AssertBenefit(Quote("003-pg-medical-nearby-care", """{ "pgServicePackageEnterprise": true, "pgSeniorManager": true }"""));
        AssertFails(Quote("003-pg-medical-green-channel", """{ "pgServicePackageEnterprise": true, "pgSeniorManager": false }"""), "senior-manager");
        AssertBenefit(Quote("003-pg-medical-checkup-channel", """{ "pgServicePackageEnterprise": true }"""));
    }

    private const string ProjectBase = """ "pgProjectTownshipConsent": true, "pgProjectFitsIndustryCatalogues": true, "pgProjectLocalLabourShare": 0.3 """;

    [Fact]
    public void ProjectEntry_AtEveryStandard_Admitted()
    {
        AssertBenefit(Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "new-build-next-gen-it", "pgProjectOutputPerHectare": 165000000, "pgProjectTaxPerHectare": 16500000 }"""));
        AssertBenefit(Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "new-build-high-end", "pgProjectInvestmentPerHectare": 100000000, "pgProjectOutputPerHectare": 150000000, "pgProjectTaxPerHectare": 15000000 }"""));
        AssertBenefit(Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "rented-or-own-building", "pgProjectInvestmentPerSqm": 600, "pgProjectOutputPerSqm": 12000, "pgProjectTaxPerSqm": 1000 }"""));
        AssertBenefit(Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "new-build-other" }"""));
    }

    [Fact]
    public void ProjectEntry_JustBelowTax_NotAdmitted()
    {
        var quote = Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "new-build-high-end", "pgProjectInvestmentPerHectare": 100000000, "pgProjectOutputPerHectare": 150000000, "pgProjectTaxPerHectare": 14999999.99 }""");

        AssertFails(quote, "high-end-tax");
        Assert.Single(quote.FailedRules);
        AssertFails(Quote("003-pg-project-entry-consultation", "{" + ProjectBase + """, "pgProjectType": "rented-or-own-building", "pgProjectInvestmentPerSqm": 599.99, "pgProjectOutputPerSqm": 12000, "pgProjectTaxPerSqm": 1000 }"""), "building-investment");
    }

    [Fact]
    public void ProjectEntry_LocalLabourBelow30Percent_NotAdmitted()
    {
        var quote = Quote("003-pg-project-entry-consultation", """{ "pgProjectTownshipConsent": true, "pgProjectFitsIndustryCatalogues": true, "pgProjectLocalLabourShare": 0.2999, "pgProjectType": "new-build-other" }""");

        AssertFails(quote, "local-labour");
    }
}
