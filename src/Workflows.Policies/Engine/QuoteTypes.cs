namespace Workflows.Policies;

/// <summary>A request for a quote.</summary>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="On">The date the application is judged (the parameters in force on it apply).</param>
/// <param name="Facts">The applicant's facts (and project key).</param>
/// <param name="History">The applicant's earlier awards, or null for none.</param>
/// <param name="CycleYear">The cycle (award year); null = the year of <paramref name="On"/>.</param>
/// <param name="Standing">The applicant's blocking standing records (disqualifications, penalties …), or null for none;
/// a record in force on <paramref name="On"/> makes the quote NotEligible.</param>
public sealed record QuoteRequest(
    string ProgrammeId, DateOnly On, FactProfile Facts, AwardHistory? History = null, int? CycleYear = null, IReadOnlyList<StandingRecord>? Standing = null);

/// <summary>Outcome of a quote.</summary>
public enum QuoteOutcome
{
    /// <summary>Every rule passes; the amount is set.</summary>
    Eligible,

    /// <summary>At least one rule fails (see <see cref="Quote.FailedRules"/>).</summary>
    NotEligible,

    /// <summary>No rule fails but facts are missing (see <see cref="Quote.MissingFacts"/>).</summary>
    Incomplete,
}

/// <summary>A failed eligibility rule.</summary>
/// <param name="RuleId">Rule id.</param>
/// <param name="Message">English text of the requirement.</param>
/// <param name="MessageZh">Chinese text, if any.</param>
/// <param name="Citation">The clause.</param>
public sealed record FailedRule(string RuleId, string Message, string? MessageZh, Citation Citation)
{
    /// <summary>Returns <c>[id] message (citation)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"[{RuleId}] {Message} ({Citation})";
}

/// <summary>One step of a quote's explanation, as a clerk would write it down.</summary>
/// <param name="TextZh">Chinese text.</param>
/// <param name="TextEn">English text.</param>
/// <param name="Citation">The clause the step applies.</param>
/// <param name="Amount">The running amount after the step, if the step sets one.</param>
public sealed record QuoteStep(string TextZh, string TextEn, Citation Citation, decimal? Amount);

/// <summary>One yearly instalment.</summary>
/// <param name="YearIndex">1 = the award's cycle year.</param>
/// <param name="CycleYear">The calendar year it is due.</param>
/// <param name="Amount">Amount in yuan.</param>
public sealed record Instalment(int YearIndex, int CycleYear, decimal Amount);

/// <summary>A deadline that applies to an applicant.</summary>
/// <param name="Stage">The stage it closes.</param>
/// <param name="Date">The last day, or null when it cannot be computed yet (see <paramref name="Description"/>).</param>
/// <param name="Description">What it is, e.g. "claim within 60 working days of listing".</param>
/// <param name="Citation">The clause.</param>
public sealed record Deadline(StageKind Stage, DateOnly? Date, string Description, Citation Citation);

/// <summary>The result of a quote: eligibility, amount and the explanation.</summary>
public sealed class Quote
{
    /// <summary>Gets the programme.</summary>
    public required Programme Programme { get; init; }

    /// <summary>Gets the programme id.</summary>
    public string ProgrammeId => Programme.Id;

    /// <summary>Gets the date judged.</summary>
    public required DateOnly On { get; init; }

    /// <summary>Gets the cycle year.</summary>
    public required int CycleYear { get; init; }

    /// <summary>Gets the outcome.</summary>
    public required QuoteOutcome Outcome { get; init; }

    /// <summary>Gets a value indicating whether the applicant is eligible and the amount is set.</summary>
    public bool Eligible => Outcome == QuoteOutcome.Eligible;

    /// <summary>Gets every failed rule.</summary>
    public required IReadOnlyList<FailedRule> FailedRules { get; init; }

    /// <summary>Gets the facts still needed.</summary>
    public required IReadOnlyList<FactDefinition> MissingFacts { get; init; }

    /// <summary>Gets the amount in yuan when eligible (null for a benefit or when not eligible).</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the estimate computed from the facts given, even when eligibility is incomplete; for a
    /// discretionary award without a decided amount, the upper bound.</summary>
    public decimal? Estimate { get; init; }

    /// <summary>Gets a value indicating whether <see cref="Estimate"/> is an upper bound rather than an amount.</summary>
    public bool EstimateIsUpperBound { get; init; }

    /// <summary>Gets the explanation steps, each citing its clause.</summary>
    public required IReadOnlyList<QuoteStep> Steps { get; init; }

    /// <summary>Gets the yearly instalments (one entry for a one-off payment).</summary>
    public required IReadOnlyList<Instalment> Instalments { get; init; }

    /// <summary>Gets the disbursement mode that applies.</summary>
    public required DisbursementMode Disbursement { get; init; }

    /// <summary>Gets the deadlines that apply.</summary>
    public required IReadOnlyList<Deadline> Deadlines { get; init; }
}

/// <summary>A programme a profile may qualify for.</summary>
/// <param name="Programme">The programme.</param>
/// <param name="Outcome">Eligible, or Incomplete when facts are missing.</param>
/// <param name="Estimate">The estimated amount (upper bound for discretionary), or null.</param>
/// <param name="EstimateIsUpperBound">Whether the estimate is an upper bound.</param>
/// <param name="MissingFacts">Facts still unknown.</param>
/// <param name="Deadlines">Deadlines that apply.</param>
/// <param name="Quote">The full quote behind the match.</param>
public sealed record MatchResult(
    Programme Programme, QuoteOutcome Outcome, decimal? Estimate, bool EstimateIsUpperBound,
    IReadOnlyList<FactDefinition> MissingFacts, IReadOnlyList<Deadline> Deadlines, Quote Quote);
