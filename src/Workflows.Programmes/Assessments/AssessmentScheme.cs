namespace Workflows.Programmes.Assessments;

/// <summary>How a grade counts for the consequence rules.</summary>
public enum GradeStanding
{
    /// <summary>Passed (合格 or better without a special consequence).</summary>
    Pass,

    /// <summary>Outstanding (优秀, 运营成效显著, 表现优秀): passes and may carry a reward or title.</summary>
    Outstanding,

    /// <summary>Failed (不合格).</summary>
    Fail,

    /// <summary>The bureau decides the base leaves (退出); no criteria are printed.</summary>
    Exit,
}

/// <summary>A grade the bureau may give.</summary>
/// <param name="Code">Stable code used by the API (e.g. <c>fail</c>).</param>
/// <param name="LabelZh">The grade as printed (e.g. 不合格).</param>
/// <param name="LabelEn">English label.</param>
/// <param name="Standing">How it counts.</param>
public sealed record AssessmentGrade(string Code, string LabelZh, string LabelEn, GradeStanding Standing);

/// <summary>What triggers a consequence.</summary>
public enum ConsequenceTrigger
{
    /// <summary>A grade of standing <see cref="GradeStanding.Outstanding"/>.</summary>
    Outstanding,

    /// <summary>Any passing grade (pass or outstanding).</summary>
    Passed,

    /// <summary>A passing grade (pass or outstanding) while intake is suspended: the rectification is accepted.</summary>
    PassWhileSuspended,

    /// <summary>A failing grade while not suspended.</summary>
    Fail,

    /// <summary>A failing grade while intake is suspended (a year of rectification has passed).</summary>
    FailWhileSuspended,

    /// <summary>The <see cref="ConsequenceRule.Count"/>-th failing grade in a row.</summary>
    ConsecutiveFails,

    /// <summary>No report by the deadline and no cause accepted (无故不参加).</summary>
    NoShowWithoutCause,

    /// <summary>A safety or environmental accident caused by poor management (因管理不善导致安全事故或环保事故).</summary>
    Accident,

    /// <summary>A grade of standing <see cref="GradeStanding.Exit"/>.</summary>
    ExitDecided,
}

/// <summary>What a consequence does.</summary>
public enum ConsequenceAction
{
    /// <summary>Revoke the recognition; the periodic assessment stops.</summary>
    Revoke,

    /// <summary>Suspend intake of new firms (暂停招收新企业).</summary>
    SuspendIntake,

    /// <summary>Restore intake of new firms (恢复).</summary>
    ResumeIntake,

    /// <summary>Record eligibility for a reward named by the clause (the amount follows its own programme).</summary>
    RecordEligibility,

    /// <summary>Confer a title named by the bureau when grading (e.g. 营商环境示范园区).</summary>
    ConferTitle,
}

/// <summary>A consequence the text prescribes, with its clause.</summary>
/// <param name="Trigger">What triggers it.</param>
/// <param name="Action">What it does.</param>
/// <param name="Clause">Citation, e.g. <c>003 平谷区中试基地管理办法 二4</c>.</param>
/// <param name="TextZh">The clause's words.</param>
/// <param name="TextEn">English line.</param>
/// <param name="Count">For <see cref="ConsequenceTrigger.ConsecutiveFails"/>: how many.</param>
/// <param name="ProgrammeId">For <see cref="ConsequenceAction.RecordEligibility"/>: the catalogue programme, if catalogued.</param>
public sealed record ConsequenceRule(
    ConsequenceTrigger Trigger,
    ConsequenceAction Action,
    string Clause,
    string TextZh,
    string TextEn,
    int Count = 0,
    string? ProgrammeId = null);

/// <summary>
/// The periodic assessment a policy sets for one kind of recognised base: period, report, grades and consequences,
/// each citing its clause. Settings the text does not give (report deadline) are the bureau's, recorded with the base.
/// </summary>
/// <param name="Kind">Base kind id, e.g. <c>003-pilot-base</c>.</param>
/// <param name="TitleZh">The kind of base as the text names it.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Source">Citation of the assessment clause.</param>
/// <param name="Organiser">Who assesses (组织单位).</param>
/// <param name="PeriodMonths">Length of an assessment period in months.</param>
/// <param name="ReportItemsZh">What the base submits each period.</param>
/// <param name="Grades">The grades.</param>
/// <param name="Rules">The consequences.</param>
/// <param name="HasIntake">Whether the base admits firms (集群注册区), so that intake can be suspended.</param>
/// <param name="ConfiguredByBureau">True when the text sets no period, grade or consequence and the bureau configured them.</param>
public sealed record AssessmentScheme(
    string Kind,
    string TitleZh,
    string NameEn,
    string Source,
    string Organiser,
    int PeriodMonths,
    string ReportItemsZh,
    IReadOnlyList<AssessmentGrade> Grades,
    IReadOnlyList<ConsequenceRule> Rules,
    bool HasIntake = false,
    bool ConfiguredByBureau = false)
{
    /// <summary>Finds a grade by code (case-insensitive).</summary>
    /// <param name="code">The code.</param>
    /// <returns>The grade, or null.</returns>
    public AssessmentGrade? FindGrade(string? code) =>
        this.Grades.FirstOrDefault(g => string.Equals(g.Code, code, StringComparison.OrdinalIgnoreCase));
}
