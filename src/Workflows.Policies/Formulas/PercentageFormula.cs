namespace Workflows.Policies;

/// <summary>Kind <c>percentage</c>: rate × base (base = a fact, optionally minus another), with an optional minimum base.</summary>
public sealed class PercentageFormula : Formula
{
    /// <summary>Gets the base fact (yuan).</summary>
    public required string BaseFact { get; init; }

    /// <summary>Gets the fact subtracted from the base (e.g. a target value), if any.</summary>
    public string? BaseMinusFact { get; init; }

    /// <summary>Gets the rate (ratio).</summary>
    public required DatedParameter Rate { get; init; }

    /// <summary>Gets the minimum base, if any.</summary>
    public DatedParameter? MinBase { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => BaseMinusFact is null ? [BaseFact] : [BaseFact, BaseMinusFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => MinBase is null ? [Rate] : [Rate, MinBase];

    internal override decimal? Compute(FormulaContext context)
    {
        var base0 = context.Decimal(BaseFact);
        var baseAmount = base0;
        if (BaseMinusFact is not null)
        {
            var minus = context.Decimal(BaseMinusFact);
            baseAmount = Math.Max(0m, base0 - minus);
            context.Step(
                $"计算基数 = {BaseFact} {Money.Format(base0)} − {BaseMinusFact} {Money.Format(minus)} = {Money.Format(baseAmount)}",
                $"Base = {BaseFact} {Money.Format(base0)} − {BaseMinusFact} {Money.Format(minus)} = {Money.Format(baseAmount)}",
                Citation,
                null);
        }

        if (MinBase is not null)
        {
            var min = context.Param(MinBase, Citation);
            if (baseAmount < min)
            {
                context.Step($"基数 {Money.Format(baseAmount)} 低于起点 {Money.Format(min)}，不予支持", $"Base {Money.Format(baseAmount)} is below the threshold {Money.Format(min)}: nothing", context.ParamCitation(MinBase), 0m);
                return 0m;
            }
        }

        var rate = context.Param(Rate, Citation);
        var amount = baseAmount * rate;
        context.Step(
            $"{Money.Format(baseAmount)} × {Pct(rate)} = {Money.Format(amount)}",
            $"{Money.Format(baseAmount)} × {Pct(rate)} = {Money.Format(amount)}",
            context.ParamCitation(Rate),
            amount);
        return amount;
    }

    internal static string Pct(decimal ratio) => (ratio * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private sealed class Parser : FormulaKind
    {
        public override string Name => "percentage";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new PercentageFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            BaseFact = reader.Fact("baseFact", FactType.Decimal, FactType.Integer),
            BaseMinusFact = reader.OptFact("baseMinusFact", FactType.Decimal, FactType.Integer),
            Rate = reader.Parameter("rate", common.Citation, 0),
            MinBase = reader.OptParameter("minBase", common.Citation, 0),
        };
    }
}
