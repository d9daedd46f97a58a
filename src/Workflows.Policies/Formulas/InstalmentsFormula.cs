namespace Workflows.Policies;

/// <summary>One entry of an instalment schedule: a fraction of the inner amount, or a fixed amount.</summary>
/// <param name="Year">Year index, 1 = the award's cycle year.</param>
/// <param name="Fraction">Fraction of the total, or null.</param>
/// <param name="Amount">Fixed amount, or null.</param>
public sealed record ScheduleEntry(int Year, decimal? Fraction, DatedParameter? Amount);

/// <summary>Kind <c>instalments</c>: pays an inner formula's amount (or fixed amounts) over several years (分三年, 连续两年).</summary>
public sealed class InstalmentsFormula : Formula, IReferencesProgrammes, IValidatesAgainstFacts
{
    /// <summary>Gets the inner formula, or null for a schedule of fixed amounts.</summary>
    public Formula? Of { get; init; }

    /// <summary>Gets the schedule.</summary>
    public required IReadOnlyList<ScheduleEntry> Schedule { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => Of?.RequiredFacts ?? [];

    /// <inheritdoc/>
    public override IEnumerable<string> OptionalFacts => Of?.OptionalFacts ?? [];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters =>
        (Of?.Parameters ?? []).Concat(Schedule.Where(s => s.Amount is not null).Select(s => s.Amount!));

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Of is null ? Schedule.Sum(s => s.Amount!.Max) : Of.MaxAmount;

    /// <inheritdoc/>
    IEnumerable<string> IReferencesProgrammes.ProgrammeIds => Of is IReferencesProgrammes r ? r.ProgrammeIds : [];

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts) => Of is IValidatesAgainstFacts v ? v.Check(facts) : null;

    internal override decimal? Compute(FormulaContext context)
    {
        var list = new List<Instalment>();
        decimal total;
        if (Of is not null)
        {
            total = Of.Evaluate(context) ?? 0m;
            var paid = 0m;
            for (var i = 0; i < Schedule.Count; i++)
            {
                var part = i == Schedule.Count - 1 ? total - paid : Money.Round(total * Schedule[i].Fraction!.Value);
                paid += part;
                list.Add(new Instalment(Schedule[i].Year, context.CycleYear + Schedule[i].Year - 1, part));
            }
        }
        else
        {
            foreach (var s in Schedule)
            {
                list.Add(new Instalment(s.Year, context.CycleYear + s.Year - 1, Money.Round(context.Param(s.Amount!, Citation))));
            }

            total = list.Sum(i => i.Amount);
        }

        context.Step(
            $"分 {list.Count} 年拨付：{string.Join("，", list.Select(i => $"第 {i.YearIndex} 年（{i.CycleYear}）{Money.Format(i.Amount)}"))}",
            $"Paid over {list.Count} years: {string.Join(", ", list.Select(i => $"year {i.YearIndex} ({i.CycleYear}) {Money.Format(i.Amount)}"))}",
            Citation,
            total);
        context.Instalments = list;
        return total;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "instalments";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var of = reader.OptMap("of") is { } o ? CatalogueLoader.ReadFormula(o) : null;
            if (of is InstalmentsFormula)
            {
                throw reader.Error(reader.Field("of.kind"), "instalments cannot nest");
            }

            var schedule = reader.List("schedule", s => new ScheduleEntry(s.Int("year"), s.OptDecimal("fraction"), s.OptParameter("amount", common.Citation, 0)), required: true);
            for (var i = 0; i < schedule.Count; i++)
            {
                var e = schedule[i];
                if (e.Year != i + 1)
                {
                    throw reader.Error($"{reader.Field("schedule")}[{i}].year", $"years must run 1, 2, 3 …; expected {i + 1}");
                }

                if (of is not null && (e.Fraction is not > 0m || e.Amount is not null))
                {
                    throw reader.Error($"{reader.Field("schedule")}[{i}]", "with 'of', every entry needs a fraction > 0 and no amount");
                }

                if (of is null && (e.Amount is null || e.Fraction is not null))
                {
                    throw reader.Error($"{reader.Field("schedule")}[{i}]", "without 'of', every entry needs an amount and no fraction");
                }
            }

            if (of is not null && schedule.Sum(s => s.Fraction!.Value) != 1m)
            {
                throw reader.Error(reader.Field("schedule"), "fractions must sum to 1");
            }

            return new InstalmentsFormula { Kind = common.Kind, Citation = common.Citation, Caps = common.Caps, Of = of, Schedule = schedule };
        }
    }
}
