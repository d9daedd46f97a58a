using System.Globalization;

namespace Workflows.Policies;

/// <summary>
/// Computes quotes: eligibility (every failed rule named), the amount, and a trace whose every step cites its
/// clause. Pure and thread-safe: no clock, no I/O; everything comes from the request.
/// </summary>
/// <param name="catalogue">The catalogue.</param>
/// <param name="calendar">The working-day calendar (claim windows, deadlines).</param>
public sealed class QuoteEngine(ProgrammeCatalogue catalogue, WorkingDayCalendar calendar)
{
    /// <summary>Initializes a new instance of the <see cref="QuoteEngine"/> class on the default catalogue and calendar.</summary>
    public QuoteEngine()
        : this(ProgrammeCatalogue.Default, WorkingDayCalendar.Default)
    {
    }

    /// <summary>Gets the catalogue.</summary>
    public ProgrammeCatalogue Catalogue { get; } = catalogue;

    /// <summary>Gets the calendar.</summary>
    public WorkingDayCalendar Calendar { get; } = calendar;

    /// <summary>Quotes one programme for one applicant.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The quote.</returns>
    /// <exception cref="UnknownProgrammeException">The programme id is unknown.</exception>
    /// <exception cref="NotInForceException">The programme is not in force on the date.</exception>
    /// <exception cref="CycleNotCoveredException">The cycle year is not one the programme pays for.</exception>
    /// <exception cref="EffectivePeriodUnknownException">The programme's period is unknown and not configured.</exception>
    /// <exception cref="FactException">A fact is mistyped or out of range.</exception>
    public Quote Quote(QuoteRequest request)
    {
        var programme = Catalogue.Get(request.ProgrammeId);
        var period = Catalogue.PeriodOf(programme) ?? throw new EffectivePeriodUnknownException(programme.Document.Id);
        if (!period.Contains(request.On))
        {
            throw new NotInForceException(programme.Id, request.On, period, Catalogue.SuccessorOf(programme)?.Id);
        }

        var cycle = request.CycleYear ?? request.On.Year;
        var cycles = Catalogue.CycleYearsOf(programme);
        if (!cycles.Contains(cycle))
        {
            throw new CycleNotCoveredException(programme.Id, cycle, cycles);
        }

        foreach (var def in programme.Facts)
        {
            if (request.Facts.TryGet(def.Name, out var given))
            {
                def.Coerce(given);
            }
        }

        var history = request.History ?? AwardHistory.Empty;
        var steps = new List<QuoteStep>();
        var failures = new List<FailedRule>();
        var missing = new List<string>();
        var doc = programme.Document;
        steps.Add(new QuoteStep(
            $"适用《{doc.TitleZh}》{(doc.Number is null ? string.Empty : doc.Number + " ")}{programme.Citation.Clause}：{programme.TitleZh}（{cycle} 年度）",
            $"Applies {programme.Citation} ({doc.NameEn}): {programme.NameEn}, cycle {cycle.ToString(CultureInfo.InvariantCulture)}",
            programme.Citation,
            null));
        if (doc.CarryOverCycles.Contains(cycle) && !(doc.StatedPeriod?.From?.Year <= cycle))
        {
            steps.Add(new QuoteStep(
                $"{cycle} 年度未兑现事项纳入本文件兑现范围",
                $"Unpaid {cycle.ToString(CultureInfo.InvariantCulture)} items are paid under this document (carry-over)",
                doc.PeriodCitation,
                null));
        }

        var context = new FormulaContext(Catalogue, programme, request.On, cycle, request.Facts, history, steps, failures, estimate: false);
        CheckRules(programme, context, failures, missing);
        failures.AddRange(StandingRules.Check(request.Standing, programme.Id, request.On));
        var deadlines = CheckStages(programme, context, failures, missing);

        var higherOnlyCredit = CheckStacking(programme, context, failures);

        decimal? estimate = null;
        var upperBound = false;
        var formulaMissing = programme.Formula.RequiredFacts.Where(f => !context.Has(f)).Distinct(StringComparer.Ordinal).ToList();
        missing.AddRange(formulaMissing);
        var decided = programme.Formula is DiscretionaryFormula d ? d.AmountFact : null;
        var canCompute = formulaMissing.Count == 0 || (formulaMissing.Count == 1 && formulaMissing[0] == decided);
        if (canCompute && programme.Formula.IsMonetary)
        {
            var estimating = formulaMissing.Count == 1;
            var formulaContext = estimating
                ? new FormulaContext(Catalogue, programme, request.On, cycle, request.Facts, history, steps, failures, estimate: true)
                : context;
            try
            {
                estimate = programme.Formula.Evaluate(formulaContext);
                upperBound = estimating;
                context.Instalments = formulaContext.Instalments;
            }
            catch (MissingFactSignal signal)
            {
                missing.Add(signal.Fact);
            }

            if (estimate is { } amount && higherOnlyCredit is { } credit)
            {
                estimate = ApplyHigherOnly(amount, credit, context, failures);
            }
        }
        else if (!programme.Formula.IsMonetary && programme.Formula is BenefitFormula benefit)
        {
            steps.Add(new QuoteStep($"非资金支持：{benefit.DescriptionZh}", $"Non-monetary benefit: {benefit.Description}", benefit.Citation, null));
        }

        var missingDefs = missing.Distinct(StringComparer.Ordinal)
            .Select(n => Catalogue.Facts.TryGetValue(n, out var def) ? def : new FactDefinition(n, FactType.String, null, [], null, null, n, null))
            .ToList();
        var outcome = failures.Count > 0 ? QuoteOutcome.NotEligible : missingDefs.Count > 0 ? QuoteOutcome.Incomplete : QuoteOutcome.Eligible;
        if (outcome == QuoteOutcome.NotEligible)
        {
            estimate = null;
            upperBound = false;
        }

        var amountOut = outcome == QuoteOutcome.Eligible ? estimate : null;
        if (outcome == QuoteOutcome.Eligible && amountOut is { } total)
        {
            steps.Add(new QuoteStep($"核定支持金额 {Money.Format(total)}", $"Award: {Money.Format(total)}", programme.Formula.Citation, total));
        }

        var instalments = outcome == QuoteOutcome.NotEligible || estimate is not { } payable ? []
            : context.Instalments is { Count: > 0 } list ? Rescale(list, payable)
            : (IReadOnlyList<Instalment>)[new Instalment(1, cycle, payable)];
        return new Quote
        {
            Programme = programme,
            On = request.On,
            CycleYear = cycle,
            Outcome = outcome,
            FailedRules = failures,
            MissingFacts = missingDefs,
            Amount = amountOut,
            Estimate = estimate,
            EstimateIsUpperBound = upperBound,
            Steps = steps,
            Instalments = instalments,
            Disbursement = ChooseDisbursement(programme, context),
            Deadlines = deadlines,
        };
    }

    /// <summary>Keeps an instalment schedule's proportions when caps or stacking changed the total after it was
    /// split; each part is rounded to fen and the last takes the remainder.</summary>
    private static List<Instalment> Rescale(List<Instalment> schedule, decimal total)
    {
        var scheduled = schedule.Sum(i => i.Amount);
        if (scheduled == total)
        {
            return schedule;
        }

        var result = new List<Instalment>();
        var paid = 0m;
        for (var i = 0; i < schedule.Count; i++)
        {
            var part = i == schedule.Count - 1 ? total - paid
                : scheduled == 0m ? 0m : Money.Round(total * schedule[i].Amount / scheduled);
            paid += part;
            result.Add(schedule[i] with { Amount = part });
        }

        return result;
    }

    /// <summary>Returns the deadline "last day in force" of a programme, citing the clause that ends it (a later
    /// document's abolition, or its own period), or null when the period is open-ended or unknown.</summary>
    /// <param name="programme">The programme.</param>
    /// <returns>The deadline or null.</returns>
    public Deadline? LastDayInForce(Programme programme) =>
        Catalogue.PeriodOf(programme)?.To is { } lastDay
            ? new Deadline(
                StageKind.Application,
                lastDay,
                $"last day {programme.Id} is in force (version {programme.Document.Id}); later claims fall under its successor, if any",
                EndCitation(programme, lastDay))
            : null;

    private Citation EndCitation(Programme programme, DateOnly lastDay) =>
        Catalogue.Documents
            .SelectMany(d => d.Replaces)
            .FirstOrDefault(r => r.DocumentId == programme.Document.Id && r.From.AddDays(-1) == lastDay)?.Citation
        ?? programme.Document.PeriodCitation;

    private static void CheckRules(Programme programme, FormulaContext context, List<FailedRule> failures, List<string> missing)
    {
        foreach (var rule in programme.AllRules)
        {
            if (rule.When is not null)
            {
                var applies = ConditionEvaluator.Evaluate(rule.When, context);
                if (applies is null)
                {
                    missing.AddRange(rule.When.FactNames.Where(f => !context.Has(f)));
                    continue;
                }

                if (applies == false)
                {
                    continue;
                }
            }

            var result = ConditionEvaluator.Evaluate(rule.Test, context);
            if (result is null)
            {
                missing.AddRange(rule.Test.FactNames.Where(f => !context.Has(f)));
            }
            else if (result == false)
            {
                failures.Add(new FailedRule(rule.Id, rule.Message, rule.MessageZh, rule.Citation));
            }
            else
            {
                context.Step($"符合条件：{rule.MessageZh ?? rule.Message}", $"Meets: {rule.Message}", rule.Citation, null);
            }
        }
    }

    private List<Deadline> CheckStages(Programme programme, FormulaContext context, List<FailedRule> failures, List<string> missing)
    {
        var deadlines = new List<Deadline>();
        foreach (var stage in programme.Stages.Where(s => s.AnchorFact is not null && s.Duration is not null))
        {
            var description = $"{stage.Kind}: {stage.Duration} after {stage.AnchorFact}";
            if (!context.Has(stage.AnchorFact!))
            {
                missing.Add(stage.AnchorFact!);
                deadlines.Add(new Deadline(stage.Kind, null, description + " (date not given yet)", stage.Citation));
                continue;
            }

            var anchor = context.Date(stage.AnchorFact!);
            DateOnly last;
            try
            {
                last = stage.Duration!.Days == DayKind.Working
                    ? Calendar.AddWorkingDays(anchor, stage.Duration.Value)
                    : anchor.AddDays(stage.Duration.Value);
            }
            catch (CalendarDataMissingException e)
            {
                deadlines.Add(new Deadline(stage.Kind, null, $"{description}: {e.Message}", stage.Citation));
                continue;
            }

            deadlines.Add(new Deadline(stage.Kind, last, description, stage.Citation));
            if (stage.Kind == StageKind.ClaimWindow)
            {
                if (context.On > last)
                {
                    failures.Add(new FailedRule(
                        "claim-window",
                        $"The claim window closed on {last:yyyy-MM-dd} ({stage.Duration} after {stage.AnchorFact}); late claims lapse",
                        $"申请期限已于 {last:yyyy-MM-dd} 届满（{stage.AnchorFact} 后 {stage.Duration.Value} 个{(stage.Duration.Days == DayKind.Working ? "工作日" : "自然日")}），逾期视为自动放弃",
                        stage.Citation));
                }
                else
                {
                    context.Step($"在申请期限 {last:yyyy-MM-dd} 之内", $"Within the claim window ending {last:yyyy-MM-dd}", stage.Citation, null);
                }
            }
        }

        return deadlines;
    }

    /// <summary>Checks stacking; returns the earlier amount a higher-only rule credits, if any.</summary>
    private decimal? CheckStacking(Programme programme, FormulaContext context, List<FailedRule> failures)
    {
        decimal? credit = null;
        foreach (var rule in programme.Stacking.Where(s => s.Kind != StackingKind.Combinable))
        {
            var others = Catalogue.StackingGroup(rule.Group).Where(p => p.Id != programme.Id).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            var earlier = context.History.Awards.Where(a => others.Contains(a.ProgrammeId) && InScope(a, rule.Scope, context)).ToList();
            if (earlier.Count == 0)
            {
                continue;
            }

            if (rule.Kind == StackingKind.Exclusive)
            {
                var first = earlier[0];
                failures.Add(new FailedRule(
                    $"stacking:{rule.Group}",
                    $"May not be combined with '{first.ProgrammeId}' (awarded {Money.Format(first.Amount)} for cycle {first.CycleYear.ToString(CultureInfo.InvariantCulture)})",
                    $"不得与已享受的 {first.ProgrammeId}（{first.CycleYear} 年度 {Money.Format(first.Amount)}）同时享受",
                    rule.Citation));
            }
            else
            {
                var highest = earlier.Max(a => a.Amount);
                credit = credit is null ? highest : Math.Max(credit.Value, highest);
                context.Step(
                    $"从优不重复：已获同一事项支持 {Money.Format(highest)}",
                    $"Higher-only: {Money.Format(highest)} already awarded for the same matter",
                    rule.Citation,
                    null);
            }
        }

        return credit;
    }

    private static decimal ApplyHigherOnly(decimal amount, decimal credit, FormulaContext context, List<FailedRule> failures)
    {
        var rule = context.Programme.Stacking.First(s => s.Kind == StackingKind.HigherOnly);
        if (credit >= amount)
        {
            failures.Add(new FailedRule(
                $"stacking:{rule.Group}",
                $"An earlier award of {Money.Format(credit)} for the same matter is not lower than this one ({Money.Format(amount)}); not paid twice",
                $"已获同一事项不低于本项的支持（{Money.Format(credit)}），从优不重复",
                rule.Citation));
            return 0m;
        }

        var top = amount - credit;
        context.Step(
            $"从优不重复：{Money.Format(amount)} − 已获 {Money.Format(credit)} = {Money.Format(top)}",
            $"Higher-only: {Money.Format(amount)} − {Money.Format(credit)} already awarded = {Money.Format(top)}",
            rule.Citation,
            top);
        return top;
    }

    private static bool InScope(AwardRecord award, StackingScope scope, FormulaContext context) => scope switch
    {
        StackingScope.Cycle => award.CycleYear == context.CycleYear,
        StackingScope.Project => award.ProjectKey is not null && award.ProjectKey == context.ProjectKey,
        _ => true,
    };

    private static DisbursementMode ChooseDisbursement(Programme programme, FormulaContext context)
    {
        foreach (var c in programme.Disbursement.Cases)
        {
            if (ConditionEvaluator.Evaluate(c.When, context) == true)
            {
                return c.Mode;
            }
        }

        return programme.Disbursement.Mode;
    }
}

/// <summary>
/// The policy calculator (政策计算器): every programme in force that a profile may qualify for, with an estimate,
/// the facts still unknown and the deadlines. Pure and thread-safe.
/// </summary>
/// <param name="engine">The quote engine.</param>
public sealed class Matcher(QuoteEngine engine)
{
    /// <summary>Initializes a new instance of the <see cref="Matcher"/> class on the default catalogue and calendar.</summary>
    public Matcher()
        : this(new QuoteEngine())
    {
    }

    /// <summary>Lists the programmes in force on <paramref name="on"/> that the profile may qualify for (eligible, or
    /// not yet excluded because facts are missing); programmes a known fact rules out are left out.</summary>
    /// <param name="profile">The facts known so far.</param>
    /// <param name="on">The date.</param>
    /// <param name="history">Earlier awards, or null.</param>
    /// <returns>The matches, eligible first, then by id. Deadlines are the quote's plus the programme's last day in
    /// force. The estimate is the quote's (an upper bound for a
    /// discretionary award), or, when the formula's facts are unknown, the clause's maximum marked as an upper bound.</returns>
    /// <exception cref="FactException">A fact in the profile is mistyped or out of range.</exception>
    public IReadOnlyList<MatchResult> Match(FactProfile profile, DateOnly on, AwardHistory? history = null) => Match(profile, on, history, null);

    /// <summary>Lists the programmes the profile may qualify for, leaving out those a standing record in force on
    /// <paramref name="on"/> blocks.</summary>
    /// <param name="profile">The facts known so far.</param>
    /// <param name="on">The date.</param>
    /// <param name="history">Earlier awards, or null.</param>
    /// <param name="standing">The applicant's blocking standing records, or null.</param>
    /// <returns>The matches (see the other overload).</returns>
    /// <exception cref="FactException">A fact in the profile is mistyped or out of range.</exception>
    public IReadOnlyList<MatchResult> Match(FactProfile profile, DateOnly on, AwardHistory? history, IReadOnlyList<StandingRecord>? standing)
    {
        var results = new List<MatchResult>();
        foreach (var programme in engine.Catalogue.InForce(on))
        {
            if (!engine.Catalogue.CycleYearsOf(programme).Contains(on.Year))
            {
                continue;
            }

            Quote quote;
            try
            {
                quote = engine.Quote(new QuoteRequest(programme.Id, on, profile, history, Standing: standing));
            }
            catch (ParameterNotInForceException)
            {
                continue;
            }

            if (quote.Outcome == QuoteOutcome.NotEligible)
            {
                continue;
            }

            // Without the facts the formula needs, the most the clause can give is still worth showing.
            var estimate = quote.Estimate;
            var upperBound = quote.EstimateIsUpperBound;
            if (estimate is null && programme.Formula.IsMonetary && programme.Formula.MaxAmount is { } max)
            {
                estimate = max;
                upperBound = true;
            }

            var deadlines = engine.LastDayInForce(programme) is { } end ? [.. quote.Deadlines, end] : quote.Deadlines;
            results.Add(new MatchResult(programme, quote.Outcome, estimate, upperBound, quote.MissingFacts, deadlines, quote));
        }

        return results.OrderBy(r => r.Outcome == QuoteOutcome.Eligible ? 0 : 1).ThenBy(r => r.Programme.Id, StringComparer.Ordinal).ToList();
    }
}
