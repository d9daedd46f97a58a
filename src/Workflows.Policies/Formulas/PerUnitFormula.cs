namespace Workflows.Policies;

/// <summary>Kind <c>per-unit</c>: amount per unit × count, optionally at most <see cref="MaxUnits"/> units.</summary>
public sealed class PerUnitFormula : Formula
{
    /// <summary>Gets the integer fact holding the count.</summary>
    public required string CountFact { get; init; }

    /// <summary>Gets the amount per unit (yuan).</summary>
    public required DatedParameter AmountPerUnit { get; init; }

    /// <summary>Gets the maximum number of units, if any.</summary>
    public DatedParameter? MaxUnits { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [CountFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => MaxUnits is null ? [AmountPerUnit] : [AmountPerUnit, MaxUnits];

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => MaxUnits is null ? null : MaxUnits.Max * AmountPerUnit.Max;

    internal override decimal? Compute(FormulaContext context)
    {
        decimal count = context.Integer(CountFact);
        if (MaxUnits is not null)
        {
            var max = context.Param(MaxUnits, Citation);
            if (count > max)
            {
                context.Step($"数量 {count} 超过上限 {max}，按 {max} 计", $"Count {count} above the limit {max}: {max} counted", context.ParamCitation(MaxUnits), null);
                count = max;
            }
        }

        var each = context.Param(AmountPerUnit, Citation);
        var amount = count * each;
        context.Step($"{count} × {Money.Format(each)} = {Money.Format(amount)}", $"{count} × {Money.Format(each)} = {Money.Format(amount)}", context.ParamCitation(AmountPerUnit), amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "per-unit";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new PerUnitFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            CountFact = reader.Fact("countFact", FactType.Integer),
            AmountPerUnit = reader.Parameter("amountPerUnit", common.Citation, 0),
            MaxUnits = reader.OptParameter("maxUnits", common.Citation, 0),
        };
    }
}
