namespace Workflows.Policies;

/// <summary>Kind <c>matching</c>: ratio × money received elsewhere (1:1 配套).</summary>
public sealed class MatchingFormula : Formula
{
    /// <summary>Gets the fact holding the money received elsewhere (yuan).</summary>
    public required string BaseFact { get; init; }

    /// <summary>Gets the matching ratio (1 = 1:1).</summary>
    public required DatedParameter Ratio { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [BaseFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => [Ratio];

    internal override decimal? Compute(FormulaContext context)
    {
        var received = context.Decimal(BaseFact);
        var ratio = context.Param(Ratio, Citation);
        var amount = received * ratio;
        context.Step(
            $"按 1:{ratio:0.##} 配套：{Money.Format(received)} × {ratio:0.##} = {Money.Format(amount)}",
            $"Matching 1:{ratio:0.##}: {Money.Format(received)} × {ratio:0.##} = {Money.Format(amount)}",
            context.ParamCitation(Ratio),
            amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "matching";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new MatchingFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            BaseFact = reader.Fact("baseFact", FactType.Decimal, FactType.Integer),
            Ratio = reader.Parameter("ratio", common.Citation, 0),
        };
    }
}
