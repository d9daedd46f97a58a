namespace Workflows.Policies;

/// <summary>Kind <c>fixed</c>: a fixed amount.</summary>
public sealed class FixedFormula : Formula
{
    /// <summary>Gets the amount (yuan).</summary>
    public required DatedParameter Amount { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => [Amount];

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Amount.Max;

    internal override decimal? Compute(FormulaContext context)
    {
        var amount = context.Param(Amount, Citation);
        context.Step($"定额支持 {Money.Format(amount)}", $"Fixed amount {Money.Format(amount)}", context.ParamCitation(Amount), amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "fixed";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new FixedFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            Amount = reader.Parameter("amount", common.Citation, 0),
        };
    }
}
