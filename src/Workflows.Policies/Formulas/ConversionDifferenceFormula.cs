namespace Workflows.Policies;

/// <summary>Kind <c>conversion-difference</c> (补齐差额): an inner amount less what was paid before under the credited programmes.</summary>
public sealed class ConversionDifferenceFormula : Formula, IReferencesProgrammes, IValidatesAgainstFacts
{
    /// <summary>Gets the inner formula.</summary>
    public required Formula Of { get; init; }

    /// <summary>Gets the programmes whose earlier awards are credited.</summary>
    public IReadOnlyList<string> CreditProgrammes { get; init; } = [];

    /// <summary>Gets the stacking group whose programmes' awards are credited, if any.</summary>
    public string? CreditGroup { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => Of.RequiredFacts;

    /// <inheritdoc/>
    public override IEnumerable<string> OptionalFacts => Of.OptionalFacts;

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Of.Parameters;

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Of.MaxAmount;

    /// <inheritdoc/>
    IEnumerable<string> IReferencesProgrammes.ProgrammeIds => CreditProgrammes.Concat(Of is IReferencesProgrammes r ? r.ProgrammeIds : []);

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts) => Of is IValidatesAgainstFacts v ? v.Check(facts) : null;

    internal override decimal? Compute(FormulaContext context)
    {
        var amount = Of.Evaluate(context) ?? 0m;
        var ids = CreditProgrammes.ToHashSet(StringComparer.Ordinal);
        if (CreditGroup is not null)
        {
            ids.UnionWith(context.Catalogue.StackingGroup(CreditGroup).Select(p => p.Id).Where(id => id != context.Programme.Id));
        }

        var credited = context.AwardsOf(ids).ToList();
        if (credited.Count == 0)
        {
            return amount;
        }

        var paid = credited.Sum(a => a.Amount);
        var difference = amount - paid;
        if (difference <= 0m)
        {
            context.Fail("already-paid", $"Already paid {Money.Format(paid)} under {string.Join(", ", credited.Select(a => a.ProgrammeId).Distinct())}; nothing left to top up", $"已获 {Money.Format(paid)}，无差额可补", Citation);
            return 0m;
        }

        context.Step(
            $"补齐差额：{Money.Format(amount)} − 已获 {Money.Format(paid)}（{string.Join("、", credited.Select(a => a.ProgrammeId).Distinct())}）= {Money.Format(difference)}",
            $"Top-up: {Money.Format(amount)} − {Money.Format(paid)} already paid ({string.Join(", ", credited.Select(a => a.ProgrammeId).Distinct())}) = {Money.Format(difference)}",
            Citation,
            difference);
        return difference;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "conversion-difference";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var of = CatalogueLoader.ReadFormula(reader.Map("of"));
            var programmes = reader.Strings("creditProgrammes");
            var group = reader.OptString("creditGroup");
            if (programmes.Count == 0 && group is null)
            {
                throw reader.Error(reader.Field("creditProgrammes"), "give creditProgrammes or creditGroup");
            }

            return new ConversionDifferenceFormula { Kind = common.Kind, Citation = common.Citation, Caps = common.Caps, Of = of, CreditProgrammes = programmes, CreditGroup = group };
        }
    }
}
