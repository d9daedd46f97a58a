using Workflows.Policies;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Sanctions;

/// <summary>
/// Stops a later instalment while a standing record (a disqualification, a penalty …) that blocks the programme is in
/// force on the date of the check. Deterministic for the same records.
/// </summary>
/// <param name="records">The records.</param>
public sealed class StandingInstalmentEligibility(ProgrammeRecords records) : IInstalmentEligibility
{
    /// <inheritdoc/>
    public InstalmentCheckResult Check(InstalmentCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var standing = records.Read(c => SanctionsStore.ActiveStanding(c, null, check.ApplicantId));
        var failed = StandingRules.Check(standing, check.ProgrammeId, check.On);
        return failed.Count == 0
            ? InstalmentCheckResult.Pass
            : new InstalmentCheckResult(false, failed.Select(r => $"{r.MessageZh ?? r.Message}（{r.Citation}）").ToList());
    }
}

/// <summary>The applicant's blocking records from the sanctions tables, for callers of the quote engine.</summary>
/// <param name="records">The records.</param>
public sealed class SanctionsStandingSource(ProgrammeRecords records) : IStandingSource
{
    /// <inheritdoc/>
    public IReadOnlyList<StandingRecord> StandingOf(string applicantId) => records.Read(c => SanctionsStore.ActiveStanding(c, null, applicantId));
}
