using Workflows.Policies;

namespace Workflows.Programmes.Sanctions;

/// <summary>A standing record as stored, with its history fields.</summary>
/// <param name="Id">Row id.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Basis">The legal basis.</param>
/// <param name="From">First day in force.</param>
/// <param name="To">Last day in force (inclusive), or null for open-ended.</param>
/// <param name="Reason">Why it was recorded.</param>
/// <param name="EvidenceDocumentIds">Evidence documents.</param>
/// <param name="ProgrammeIds">Programmes it blocks (empty = all).</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When.</param>
/// <param name="Status"><c>active</c>, <c>lifted</c> or <c>corrected</c> (replaced by a later row).</param>
/// <param name="ClosedReason">Why it was lifted or corrected.</param>
/// <param name="SupersedesId">The row this one corrects, if any.</param>
public sealed record StandingRow(
    long Id, string ApplicantId, StandingKind Kind, Citation Basis, DateOnly From, DateOnly? To, string Reason,
    IReadOnlyList<string> EvidenceDocumentIds, IReadOnlyList<string> ProgrammeIds, string RecordedBy, DateTimeOffset RecordedAt,
    string Status, string? ClosedReason, long? SupersedesId)
{
    /// <summary>Gets the plain-data record the quote engine reads.</summary>
    /// <returns>The record.</returns>
    public StandingRecord ToRecord() => new(FormattableString.Invariant($"standing/{Id}"), Kind, Basis, From, To, Reason, ProgrammeIds);
}

/// <summary>A request to record a standing entry.</summary>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Basis">The legal basis (seed and clause).</param>
/// <param name="From">First day in force.</param>
/// <param name="To">Last day in force (inclusive), or null.</param>
/// <param name="Reason">Why.</param>
/// <param name="EvidenceDocumentIds">Evidence documents (at least one).</param>
/// <param name="ProgrammeIds">Programmes it blocks, or null for all.</param>
public sealed record StandingInput(
    string ApplicantId, StandingKind Kind, Citation Basis, DateOnly From, DateOnly? To, string Reason,
    IReadOnlyList<string> EvidenceDocumentIds, IReadOnlyList<string>? ProgrammeIds = null);

/// <summary>A request to open a recovery (追回).</summary>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="LedgerEntryIds">The payments to recover (ledger row ids of that applicant).</param>
/// <param name="Basis">The legal basis.</param>
/// <param name="Reason">Why.</param>
/// <param name="Deadline">Last day to repay (China date).</param>
public sealed record OpenRecoveryRequest(string ApplicantId, IReadOnlyList<long> LedgerEntryIds, Citation Basis, string Reason, DateOnly Deadline);

/// <summary>A recovery case.</summary>
/// <param name="Id">Row id.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="Basis">The legal basis.</param>
/// <param name="Reason">Why.</param>
/// <param name="Amount">Total to recover, yuan.</param>
/// <param name="Repaid">Repaid so far, yuan.</param>
/// <param name="Deadline">Last day to repay.</param>
/// <param name="Status"><c>open</c>, <c>escalated</c>, <c>closed</c> or <c>handed-on</c>.</param>
/// <param name="LedgerEntryIds">The payments recovered.</param>
/// <param name="HandedTo">Whom the case was handed on to, if it was.</param>
public sealed record RecoveryRecord(
    long Id, string ApplicantId, Citation Basis, string Reason, decimal Amount, decimal Repaid, DateOnly Deadline, string Status,
    IReadOnlyList<long> LedgerEntryIds, string? HandedTo)
{
    /// <summary>Gets the amount still owed.</summary>
    public decimal Outstanding => Amount - Repaid;

    /// <summary>Gets the orchestration instance id of a recovery.</summary>
    /// <param name="id">The recovery id.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdOf(long id) => FormattableString.Invariant($"recovery-{id}");
}

/// <summary>A reversal entry: part of a payment recovered.</summary>
/// <param name="Id">Row id.</param>
/// <param name="RecoveryId">The recovery.</param>
/// <param name="RepaymentId">The repayment that funded it.</param>
/// <param name="LedgerEntryId">The payment it reverses (the original entry stays).</param>
/// <param name="Amount">Amount reversed, yuan.</param>
public sealed record LedgerReversal(long Id, long RecoveryId, long RepaymentId, long LedgerEntryId, decimal Amount);

/// <summary>An applicant's ledger totals net of reversals.</summary>
/// <param name="Paid">Total paid.</param>
/// <param name="Recovered">Total reversed by repayments.</param>
/// <param name="Net">Paid minus recovered.</param>
public sealed record NetLedger(decimal Paid, decimal Recovered, decimal Net);
