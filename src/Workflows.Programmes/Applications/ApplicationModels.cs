using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Applications;

/// <summary>Where an application stands.</summary>
public enum ApplicationStatus
{
    /// <summary>Submitted and eligible; waiting for the window to close.</summary>
    Submitted,

    /// <summary>Failed the eligibility rules at submission.</summary>
    Ineligible,

    /// <summary>In 初审.</summary>
    Preliminary,

    /// <summary>A 补正 was requested; waiting for the applicant.</summary>
    SupplementRequested,

    /// <summary>In 专家评审.</summary>
    ExpertReview,

    /// <summary>In 财务评审.</summary>
    FinancialReview,

    /// <summary>Passed every review; waiting for the award computation.</summary>
    Recommended,

    /// <summary>Rejected in 初审 or 财务评审.</summary>
    Rejected,

    /// <summary>Below the expert score threshold.</summary>
    NotRecommended,

    /// <summary>Withdrawn by the applicant, or by a 补正 not received in time.</summary>
    Withdrawn,

    /// <summary>Reviewed but nothing to pay: budget exhausted or stacking leaves nothing.</summary>
    NotFunded,

    /// <summary>An award was computed; waiting for the 公示.</summary>
    Awarded,

    /// <summary>Listed in the 公示.</summary>
    Noticed,

    /// <summary>Listed, with an open objection: held until the bureau decides.</summary>
    Held,

    /// <summary>Removed from the list after an upheld objection.</summary>
    Removed,

    /// <summary>Passed the 公示; to be paid.</summary>
    Approved,

    /// <summary>Paid in part; later instalments wait for their year.</summary>
    Paying,

    /// <summary>Paid in full.</summary>
    Paid,

    /// <summary>Later instalments stopped by a failed re-check.</summary>
    Stopped,
}

/// <summary>A 初审 outcome.</summary>
public enum PreliminaryOutcome
{
    /// <summary>Accepted: go on to the next stage.</summary>
    Accept,

    /// <summary>Rejected with a reason.</summary>
    Reject,

    /// <summary>补正: the applicant must supplement by a deadline.</summary>
    Supplement,
}

/// <summary>An applicant's request to submit an application.</summary>
/// <param name="CallId">The call.</param>
/// <param name="ApplicantId">The applicant (a registered party).</param>
/// <param name="FactsJson">The facts, a JSON object (docs/catalogue-format.md §14).</param>
/// <param name="ProjectKey">The project identity, for project-scoped caps and stacking.</param>
public sealed record SubmitApplicationRequest(long CallId, string ApplicantId, string FactsJson, string? ProjectKey = null);

/// <summary>The answer to a submission.</summary>
/// <param name="ApplicationId">The new application.</param>
/// <param name="Status"><see cref="ApplicationStatus.Submitted"/> or <see cref="ApplicationStatus.Ineligible"/>.</param>
/// <param name="EstimatedAmount">The quoted amount when eligible.</param>
/// <param name="FailedRules">The failed rules when ineligible, each with its clause.</param>
public sealed record SubmissionResult(long ApplicationId, ApplicationStatus Status, decimal? EstimatedAmount, IReadOnlyList<string> FailedRules);

/// <summary>Input of the Application orchestration.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CallId">Its call.</param>
/// <param name="Settings">The call's settings.</param>
public sealed record ApplicationInput(long ApplicationId, long CallId, CallSettings Settings);

/// <summary>Output of the Application orchestration.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="Status">Where it ended: Recommended, Rejected, NotRecommended or Withdrawn.</param>
/// <param name="Score">The aggregated expert score, if any.</param>
public sealed record ApplicationResult(long ApplicationId, ApplicationStatus Status, decimal? Score);

/// <summary>Payload of <see cref="ProgrammeEvents.PreliminaryDecision"/>.</summary>
/// <param name="RequestId">Unique id of the request (idempotency).</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="ActorId">The officer.</param>
/// <param name="Reason">The reason (required for reject and supplement).</param>
/// <param name="SupplementDue">The end of the 补正 period, for a supplement.</param>
/// <param name="Round">The number of 补正 rounds before this decision; a decision made for an earlier round is ignored.</param>
public sealed record PreliminaryDecisionEvent(string RequestId, PreliminaryOutcome Outcome, string ActorId, string? Reason, DateTimeOffset? SupplementDue, int Round = 0);

/// <summary>A 初审 decision as the officer gives it.</summary>
/// <param name="Outcome">Accept, reject or supplement.</param>
/// <param name="Reason">The reason (required to reject or to request a supplement).</param>
/// <param name="SupplementDue">The last day (China date) to supplement; null uses the call's default length.</param>
public sealed record PreliminaryDecisionRequest(PreliminaryOutcome Outcome, string? Reason = null, DateOnly? SupplementDue = null);

/// <summary>Payload of <see cref="ProgrammeEvents.SupplementReceived"/>.</summary>
/// <param name="RequestId">Unique id of the request.</param>
/// <param name="ActorId">Who answered.</param>
/// <param name="Note">The applicant's note (documents are uploaded through the host).</param>
public sealed record SupplementEvent(string RequestId, string ActorId, string? Note);

/// <summary>Payload of <see cref="ProgrammeEvents.ExpertScore"/>.</summary>
/// <param name="RequestId">Unique id of the request.</param>
/// <param name="ExpertId">The expert.</param>
/// <param name="Score">The score, 0–100.</param>
/// <param name="Comment">The expert's comment.</param>
public sealed record ExpertScoreEvent(string RequestId, string ExpertId, decimal Score, string? Comment);

/// <summary>Payload of <see cref="ProgrammeEvents.FinancialDecision"/>.</summary>
/// <param name="RequestId">Unique id of the request.</param>
/// <param name="Approve">True to approve.</param>
/// <param name="ActorId">The officer.</param>
/// <param name="Reason">The reason (required to reject).</param>
public sealed record FinancialDecisionEvent(string RequestId, bool Approve, string ActorId, string? Reason);

/// <summary>Payload of <see cref="ProgrammeEvents.Withdraw"/> (the facade has already recorded the withdrawal).</summary>
/// <param name="RequestId">Unique id of the request.</param>
public sealed record WithdrawEvent(string RequestId);

/// <summary>One recorded decision on an application.</summary>
/// <param name="Stage">The stage: <c>submission</c>, <c>preliminary</c>, <c>supplement</c>, <c>expert-review</c>, <c>financial-review</c>, <c>award</c>, <c>notice</c>, <c>disbursement</c>.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="ActorId">Who decided.</param>
/// <param name="Role">In which role.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why.</param>
/// <param name="Details">Scores, amounts or failed rules as JSON.</param>
public sealed record DecisionRecord(string Stage, string Outcome, string ActorId, string Role, DateTimeOffset At, string? Reason, string? Details);

/// <summary>An expert's assignment to an application.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ExpertId">The expert.</param>
/// <param name="Status"><c>assigned</c>, <c>scored</c> or <c>replaced</c>.</param>
/// <param name="AssignedAt">When assigned.</param>
/// <param name="DueAt">Scoring deadline.</param>
/// <param name="RemindAt">When the reminder is due.</param>
/// <param name="Score">The score, once given.</param>
/// <param name="Comment">The comment.</param>
public sealed record ReviewerAssignment(long ApplicationId, string ExpertId, string Status, DateTimeOffset AssignedAt, DateTimeOffset DueAt, DateTimeOffset RemindAt, decimal? Score, string? Comment);

/// <summary>Everything about one application: status, quote trace, decisions, reviews and payments.</summary>
/// <param name="ApplicationId">The id.</param>
/// <param name="CallId">The call.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="Status">The status.</param>
/// <param name="SubmittedAt">When submitted.</param>
/// <param name="QuotedAmount">The amount quoted at submission.</param>
/// <param name="Score">The aggregated expert score.</param>
/// <param name="AwardAmount">The award computed.</param>
/// <param name="SupplementDue">The 补正 deadline while one is requested.</param>
/// <param name="QuoteTrace">The quote's steps and failed rules at submission (JSON).</param>
/// <param name="AwardTrace">The award computation's steps (JSON).</param>
/// <param name="Decisions">Decisions in order.</param>
/// <param name="Reviewers">The expert assignments.</param>
/// <param name="Payments">Ledger entries paid.</param>
/// <param name="FactsJson">The facts as submitted (a JSON object), which the officers and experts review.</param>
public sealed record ApplicationView(
    long ApplicationId, long CallId, string ApplicantId, string ProgrammeId, int CycleYear, ApplicationStatus Status, DateTimeOffset SubmittedAt,
    decimal? QuotedAmount, decimal? Score, decimal? AwardAmount, DateTimeOffset? SupplementDue, string? QuoteTrace, string? AwardTrace,
    IReadOnlyList<DecisionRecord> Decisions, IReadOnlyList<ReviewerAssignment> Reviewers, IReadOnlyList<Ledger.LedgerEntry> Payments, string FactsJson);
