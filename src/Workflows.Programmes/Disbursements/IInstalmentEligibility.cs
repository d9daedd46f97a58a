using Workflows.Policies;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Disbursements;

/// <summary>What a re-check before a later instalment looks at.</summary>
/// <param name="ApplicationId">The application the award came from.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The award's cycle year.</param>
/// <param name="Instalment">The instalment about to be paid (2, 3 …).</param>
/// <param name="PaymentYear">The calendar year of the instalment.</param>
/// <param name="On">The date of the check.</param>
/// <param name="QuotedOn">The date the award was judged (the programme's parameters of that date apply).</param>
/// <param name="ApplicationFactsJson">The facts the application was judged on.</param>
public sealed record InstalmentCheck(
    long ApplicationId, string ApplicantId, string ProgrammeId, int CycleYear, int Instalment, int PaymentYear, DateOnly On, DateOnly QuotedOn, string ApplicationFactsJson);

/// <summary>The result of a re-check.</summary>
/// <param name="Eligible">True when the instalment may be paid.</param>
/// <param name="Reasons">Why not (each names the rule and clause), empty when eligible.</param>
public sealed record InstalmentCheckResult(bool Eligible, IReadOnlyList<string> Reasons)
{
    /// <summary>Gets a passing result.</summary>
    public static InstalmentCheckResult Pass { get; } = new(true, []);
}

/// <summary>
/// A check run before each later instalment (分三年, 连续两年 …): still registered in the area, still meeting the
/// thresholds, not disqualified. Every registered check must pass; a failing one stops the instalment and the ones after it.
/// Checks must be deterministic for the same records (the activity that runs them may run twice).
/// </summary>
public interface IInstalmentEligibility
{
    /// <summary>Checks one instalment.</summary>
    /// <param name="check">What to check.</param>
    /// <returns>The result.</returns>
    InstalmentCheckResult Check(InstalmentCheck check);
}

/// <summary>
/// The default re-check: re-quotes the programme's eligibility rules with the applicant's current profile facts
/// (the party's stored facts laid over the facts of the application), on the date the award was judged, with the
/// history paid before the award. Any failed rule stops the instalment.
/// </summary>
/// <param name="records">The records.</param>
/// <param name="quotes">The quote engine.</param>
public sealed class ProfileInstalmentEligibility(ProgrammeRecords records, QuoteEngine quotes) : IInstalmentEligibility
{
    /// <inheritdoc/>
    public InstalmentCheckResult Check(InstalmentCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var (current, history) = records.Read(c =>
        {
            var stored = PartyDirectory.GetFacts(c, check.ApplicantId);
            var all = PaymentLedger.HistoryOf(c, check.ApplicantId);
            return (stored, new AwardHistory(all.Awards.Where(a => !(a.ProgrammeId == check.ProgrammeId && a.CycleYear == check.CycleYear)).ToList()));
        });
        var facts = FactProfile.FromJson(check.ApplicationFactsJson);
        if (current is not null)
        {
            foreach (var (name, value) in FactProfile.FromJson(current).Values)
            {
                facts = facts.With(name, value);
            }
        }

        var quote = quotes.Quote(new QuoteRequest(check.ProgrammeId, check.QuotedOn, facts, history, check.CycleYear));
        return quote.FailedRules.Count == 0
            ? InstalmentCheckResult.Pass
            : new InstalmentCheckResult(false, quote.FailedRules.Select(r => $"{r.MessageZh ?? r.Message}（{r.Citation}）").ToList());
    }
}
