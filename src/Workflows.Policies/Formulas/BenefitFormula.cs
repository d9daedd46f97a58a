namespace Workflows.Policies;

/// <summary>Kind <c>benefit</c>: a non-monetary benefit (housing, schooling, green channel …): eligibility only, no amount.</summary>
public sealed class BenefitFormula : Formula
{
    /// <summary>Gets the Chinese description.</summary>
    public required string DescriptionZh { get; init; }

    /// <summary>Gets the English description.</summary>
    public required string Description { get; init; }

    /// <inheritdoc/>
    public override bool IsMonetary => false;

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => [];

    internal override decimal? Compute(FormulaContext context) => null;

    private sealed class Parser : FormulaKind
    {
        public override string Name => "benefit";

        public override Formula Parse(NodeReader reader, FormulaCommon common) =>
            common.Caps is not null
                ? throw reader.Error(reader.Field("caps"), "a benefit has no amount, so no caps")
                : new BenefitFormula { Kind = common.Kind, Citation = common.Citation, DescriptionZh = reader.String("descriptionZh"), Description = reader.String("description") };
    }
}
