using Workflows.Programmes.Assessments;

namespace Workflows.Programmes.Tests.Assessments;

public sealed class AssessmentRulesTests
{
    private static readonly AssessmentScheme Pilot = AssessmentSchemes.Find(AssessmentSchemes.PilotBase)!;
    private static readonly AssessmentScheme Zone = AssessmentSchemes.Find(AssessmentSchemes.ClusterZone)!;
    private static readonly AssessmentScheme Park = AssessmentSchemes.Find(AssessmentSchemes.IndustrialPark)!;

    private static AssessmentOutcome Grade(string code, string? title = null) => new(OutcomeKind.Graded, code, Title: title);

    [Fact]
    public void Evaluate_PilotFailPassFail_NotConsecutiveSoNotRevoked()
    {
        BaseStanding s = BaseStanding.Initial;
        s = AssessmentRules.Evaluate(Pilot, s, Grade("fail")).After;
        s = AssessmentRules.Evaluate(Pilot, s, Grade("pass")).After;
        AssessmentDecision d = AssessmentRules.Evaluate(Pilot, s, Grade("fail"));
        Assert.False(d.After.Revoked);
        Assert.Equal(1, d.After.ConsecutiveFails);
    }

    [Fact]
    public void Evaluate_PilotExcusedAbsenceBetweenFails_RunContinuesAndRevokes()
    {
        BaseStanding s = AssessmentRules.Evaluate(Pilot, BaseStanding.Initial, Grade("fail")).After;
        AssessmentDecision excused = AssessmentRules.Evaluate(Pilot, s, new AssessmentOutcome(OutcomeKind.NoShow, Excused: true));
        Assert.Empty(excused.Consequences);
        Assert.Equal(1, excused.After.ConsecutiveFails);
        AssessmentDecision d = AssessmentRules.Evaluate(Pilot, excused.After, Grade("fail"));
        Assert.True(d.After.Revoked);
        Assert.Equal("003 平谷区中试基地管理办法 二4", Assert.Single(d.Consequences).Clause);
    }

    [Fact]
    public void Evaluate_PilotPass_RecordsEligibilityForTheYearlySupport()
    {
        AssessmentDecision d = AssessmentRules.Evaluate(Pilot, BaseStanding.Initial, Grade("pass"));
        AppliedConsequence c = Assert.Single(d.Consequences);
        Assert.Equal(ConsequenceAction.RecordEligibility, c.Action);
        Assert.Equal("003-pg-pilot-base-annual", c.ProgrammeId);
        Assert.Equal("003 平谷区中试基地管理办法 二3", c.Clause);
    }

    [Fact]
    public void Evaluate_PilotAccidentNotThroughPoorManagement_NoConsequence()
    {
        AssessmentDecision d = AssessmentRules.Evaluate(Pilot, BaseStanding.Initial, new AssessmentOutcome(OutcomeKind.Accident, DueToPoorManagement: false));
        Assert.Empty(d.Consequences);
        Assert.False(d.After.Revoked);
    }

    [Fact]
    public void Evaluate_ZoneNoShow_NoAutomaticConsequence()
    {
        AssessmentDecision d = AssessmentRules.Evaluate(Zone, BaseStanding.Initial, new AssessmentOutcome(OutcomeKind.NoShow));
        Assert.Empty(d.Consequences);
    }

    [Fact]
    public void Evaluate_ZoneSuspendedThenPass_IntakeResumes()
    {
        BaseStanding s = AssessmentRules.Evaluate(Zone, BaseStanding.Initial, Grade("fail")).After;
        Assert.True(s.IntakeSuspended);
        AssessmentDecision d = AssessmentRules.Evaluate(Zone, s, Grade("excellent"));
        Assert.False(d.After.IntakeSuspended);
        Assert.Equal(ConsequenceAction.ResumeIntake, Assert.Single(d.Consequences).Action);
    }

    [Fact]
    public void Evaluate_ParkExcellent_ConfersTheNamedTitle()
    {
        AssessmentDecision d = AssessmentRules.Evaluate(Park, BaseStanding.Initial, Grade("excellent", "招商先锋园区"));
        AppliedConsequence c = Assert.Single(d.Consequences);
        Assert.Equal(ConsequenceAction.ConferTitle, c.Action);
        Assert.Equal("招商先锋园区", c.Title);
        Assert.Equal("001 四(十一)", c.Clause);
        Assert.Empty(AssessmentRules.Evaluate(Park, BaseStanding.Initial, Grade("standard")).Consequences);
    }

    [Fact]
    public void Evaluate_UnknownGrade_ThrowsNamingTheGrades()
    {
        var e = Assert.Throws<ArgumentException>(() => AssessmentRules.Evaluate(Pilot, BaseStanding.Initial, Grade("excellent")));
        Assert.Contains("pass 合格", e.Message);
    }

    [Fact]
    public void Configured_WithoutGrades_ThrowsNamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => AssessmentSchemes.Configured(AssessmentSchemes.TalentStudio, new AssessmentConfiguration(12, [])));
        Assert.Contains("configuration.grades", e.Message);
    }
}
