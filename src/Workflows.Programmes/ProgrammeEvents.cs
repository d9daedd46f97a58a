namespace Workflows.Programmes;

/// <summary>
/// Names of the external events the lifecycle orchestrations wait for. The facade (<see cref="Operations.ProgrammeOperations"/>)
/// raises them after validating the request; modules define their own beside their code.
/// </summary>
public static class ProgrammeEvents
{
    /// <summary>Closes a call's window before its deadline (ProgrammeCall).</summary>
    public const string CloseEarly = "CloseEarly";

    /// <summary>The applicant withdrew (Application).</summary>
    public const string Withdraw = "Withdraw";

    /// <summary>A 初审 decision: accept, reject with reason, or request a supplement (Application).</summary>
    public const string PreliminaryDecision = "PreliminaryDecision";

    /// <summary>The applicant answered a 补正 request (Application).</summary>
    public const string SupplementReceived = "SupplementReceived";

    /// <summary>An expert's score (Application).</summary>
    public const string ExpertScore = "ExpertScore";

    /// <summary>A 财务评审 decision (Application).</summary>
    public const string FinancialDecision = "FinancialDecision";

    /// <summary>A new objection was filed during a 公示 (PublicNotice).</summary>
    public const string ObjectionFiled = "ObjectionFiled";

    /// <summary>Entries of a 公示 passed and may be paid; sent by PublicNotice to the call's Disbursement.</summary>
    public const string EntriesPassed = "EntriesPassed";

    /// <summary>A bureau decision on an objection (PublicNotice).</summary>
    public const string ObjectionDecision = "ObjectionDecision";
}
