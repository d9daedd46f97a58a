namespace Workflows.Policies;

/// <summary>Raised inside a computation when a needed fact is missing; the engine turns it into <see cref="QuoteOutcome.Incomplete"/>.</summary>
/// <param name="fact">The fact.</param>
internal sealed class MissingFactSignal(string fact) : Exception($"missing fact {fact}")
{
    public string Fact { get; } = fact;
}

/// <summary>What a formula sees while computing: typed facts, history, date, and the trace it writes.</summary>
internal sealed class FormulaContext
{
    private readonly List<QuoteStep> steps;
    private readonly List<FailedRule> failures;

    public FormulaContext(
        ProgrammeCatalogue catalogue, Programme programme, DateOnly on, int cycleYear, FactProfile facts, AwardHistory history,
        List<QuoteStep> steps, List<FailedRule> failures, bool estimate)
    {
        Catalogue = catalogue;
        Programme = programme;
        On = on;
        CycleYear = cycleYear;
        Facts = facts;
        History = history;
        this.steps = steps;
        this.failures = failures;
        EstimateMode = estimate;
    }

    public ProgrammeCatalogue Catalogue { get; }

    public Programme Programme { get; }

    public DateOnly On { get; }

    public int CycleYear { get; }

    public FactProfile Facts { get; }

    public AwardHistory History { get; }

    public string? ProjectKey => Facts.ProjectKey;

    /// <summary>Gets a value indicating whether the engine wants an estimate (discretionary: the upper bound).</summary>
    public bool EstimateMode { get; }

    /// <summary>Gets a value indicating whether the estimate returned is an upper bound.</summary>
    public bool ResultIsUpperBound { get; set; }

    /// <summary>Gets or sets the instalment schedule set by the instalments kind.</summary>
    public List<Instalment>? Instalments { get; set; }

    public void Step(string zh, string en, Citation citation, decimal? amount) => steps.Add(new QuoteStep(zh, en, citation, amount));

    public void Fail(string ruleId, string message, string? messageZh, Citation citation) =>
        failures.Add(new FailedRule(ruleId, message, messageZh, citation));

    public decimal Param(DatedParameter parameter, Citation fallback)
    {
        var entry = parameter.On(On, Programme.Id);
        return entry.Value;
    }

    public Citation ParamCitation(DatedParameter parameter) => parameter.On(On, Programme.Id).Citation;

    public bool Has(string fact) => Facts.TryGet(fact, out _);

    public FactValue Get(string fact)
    {
        if (!Facts.TryGet(fact, out var raw))
        {
            throw new MissingFactSignal(fact);
        }

        return Catalogue.Facts.TryGetValue(fact, out var def) ? def.Coerce(raw) : raw;
    }

    public decimal Decimal(string fact) => Get(fact) switch
    {
        DecimalFact d => d.Value,
        IntegerFact i => i.Value,
        var other => throw new FactException(fact, $"expected a number, got {other}"),
    };

    public long Integer(string fact) => Get(fact) switch
    {
        IntegerFact i => i.Value,
        DecimalFact d when d.Value == decimal.Truncate(d.Value) => (long)d.Value,
        var other => throw new FactException(fact, $"expected a whole number, got {other}"),
    };

    public bool Bool(string fact) => Get(fact) is BoolFact b ? b.Value : throw new FactException(fact, "expected true or false");

    public string Text(string fact) => Get(fact) is TextFact t ? t.Value : throw new FactException(fact, "expected text");

    public DateOnly Date(string fact) => Get(fact) is DateFact d ? d.Value : throw new FactException(fact, "expected a date");

    /// <summary>Evaluates a condition; a missing fact raises <see cref="MissingFactSignal"/>.</summary>
    public bool Holds(Condition condition) => ConditionEvaluator.Evaluate(condition, this) ?? throw new MissingFactSignal(condition.FactNames.First(f => !Has(f)));

    /// <summary>Earlier awards of the given programmes.</summary>
    public IEnumerable<AwardRecord> AwardsOf(IReadOnlyCollection<string> programmeIds) =>
        History.Awards.Where(a => programmeIds.Contains(a.ProgrammeId));

    /// <summary>Sum paid in the cap group (or this programme), in one cycle year or all years.</summary>
    public decimal PaidInCapGroup(string? group, int? cycleYear)
    {
        var ids = group is null ? [Programme.Id] : Catalogue.CapGroup(group).Select(p => p.Id).Append(Programme.Id).ToHashSet();
        return AwardsOf(ids).Where(a => cycleYear is null || a.CycleYear == cycleYear).Sum(a => a.Amount);
    }
}
