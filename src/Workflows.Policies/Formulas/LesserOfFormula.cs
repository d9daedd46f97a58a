namespace Workflows.Policies;

/// <summary>
/// Kind <c>lesser-of</c>: the lowest of several inner formulas, for clauses that bound one award two ways
/// (000 第四条: 50% of the actual rent and at most 1.5 元 per m² per day).
/// </summary>
public sealed class LesserOfFormula : Formula, IReferencesProgrammes, IValidatesAgainstFacts
{
    /// <summary>Gets the inner formulas (at least two, all monetary, none of kind instalments).</summary>
    public required IReadOnlyList<Formula> Of { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => Of.SelectMany(f => f.RequiredFacts).Distinct(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override IEnumerable<string> OptionalFacts => Of.SelectMany(f => f.OptionalFacts).Distinct(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Of.SelectMany(f => f.Parameters);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Of.Select(f => f.MaxAmount).Aggregate((decimal?)null, Min);

    /// <inheritdoc/>
    IEnumerable<string> IReferencesProgrammes.ProgrammeIds => Of.OfType<IReferencesProgrammes>().SelectMany(r => r.ProgrammeIds);

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts) =>
        Of.OfType<IValidatesAgainstFacts>().Select(v => v.Check(facts)).FirstOrDefault(p => p is not null);

    internal override decimal? Compute(FormulaContext context)
    {
        decimal? lowest = null;
        foreach (var inner in Of)
        {
            var amount = inner.Evaluate(context) ?? 0m;
            lowest = lowest is null ? amount : Math.Min(lowest.Value, amount);
        }

        context.Step($"取以上各项中的较低者：{Money.Format(lowest!.Value)}", $"The lowest of the above: {Money.Format(lowest.Value)}", Citation, lowest);
        return lowest;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "lesser-of";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var of = reader.List("of", CatalogueLoader.ReadFormula, required: true);
            if (of.Count < 2)
            {
                throw reader.Error(reader.Field("of"), "needs at least two formulas");
            }

            for (var i = 0; i < of.Count; i++)
            {
                if (!of[i].IsMonetary || of[i] is InstalmentsFormula || of[i].IsDiscretionary)
                {
                    throw reader.Error($"{reader.Field("of")}[{i}].kind", "must be a computed monetary kind (not benefit, discretionary or instalments)");
                }
            }

            return new LesserOfFormula { Kind = common.Kind, Citation = common.Citation, Caps = common.Caps, Of = of };
        }
    }
}
