namespace Workflows.Policies;

/// <summary>Kinds of lifecycle stage a clause may name.</summary>
public enum StageKind
{
    /// <summary>申报: the application window.</summary>
    Application,

    /// <summary>初审: preliminary review.</summary>
    Preliminary,

    /// <summary>补正: supplement request.</summary>
    Supplement,

    /// <summary>专家评审: expert review.</summary>
    Expert,

    /// <summary>财务评审: financial review.</summary>
    Financial,

    /// <summary>政府审核: government approval.</summary>
    GovernmentApproval,

    /// <summary>公示: public notice.</summary>
    PublicNotice,

    /// <summary>拨付/兑现: disbursement.</summary>
    Disbursement,

    /// <summary>考核: periodic assessment of a recognised base.</summary>
    AnnualAssessment,

    /// <summary>A claim window: the claim lapses after it (逾期视为自动放弃).</summary>
    ClaimWindow,
}

/// <summary>How days are counted.</summary>
public enum DayKind
{
    /// <summary>Calendar (natural) days.</summary>
    Natural,

    /// <summary>PRC working days (工作日), per the holiday calendar.</summary>
    Working,
}

/// <summary>A stage's length.</summary>
/// <param name="Value">Number of days.</param>
/// <param name="Days">Natural or working days.</param>
public sealed record StageDuration(int Value, DayKind Days)
{
    /// <summary>Returns e.g. <c>7 natural days</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Value} {(Days == DayKind.Working ? "working" : "natural")} days";
}

/// <summary>A review stage or deadline named by a clause.</summary>
/// <param name="Kind">The stage kind.</param>
/// <param name="Duration">Its length, if the clause states one.</param>
/// <param name="Citation">The clause.</param>
/// <param name="AnchorFact">A date fact the duration runs from (claim windows), or null.</param>
/// <param name="RepeatsYearly">Whether the stage recurs every year (annual assessments).</param>
/// <param name="NoteZh">Chinese note.</param>
/// <param name="Note">English note.</param>
public sealed record Stage(StageKind Kind, StageDuration? Duration, Citation Citation, string? AnchorFact, bool RepeatsYearly, string? NoteZh, string? Note);
