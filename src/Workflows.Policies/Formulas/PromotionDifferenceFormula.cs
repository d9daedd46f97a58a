namespace Workflows.Policies;

/// <summary>Kind <c>promotion-difference</c> (晋级享受差额): a tiered award where a firm paid a lower ladder tier before
/// (in this programme or any programme of the same credit group) gets only the difference.</summary>
public sealed class PromotionDifferenceFormula : Formula, IValidatesAgainstFacts
{
    /// <summary>Gets the enum fact choosing the tier.</summary>
    public required string TierFact { get; init; }

    /// <summary>Gets the tiers.</summary>
    public required IReadOnlyList<Tier> Tiers { get; init; }

    /// <summary>Gets the credit group linking programmes whose earlier awards are credited.</summary>
    public required string CreditGroup { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [TierFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Tiers.Select(t => t.Amount);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Tiers.Max(t => t.Amount.Max);

    internal override decimal? Compute(FormulaContext context)
    {
        if (FixedByTierFormula.ChooseTier(context, TierFact, Tiers, Citation) is not var (tier, amount))
        {
            return 0m;
        }

        if (!tier.Ladder)
        {
            return amount;
        }

        var credited = CreditedAwards(context).ToList();
        if (credited.Count == 0)
        {
            return amount;
        }

        var paid = credited.Sum(a => a.Amount);
        var difference = amount - paid;
        if (difference <= 0m)
        {
            context.Fail(
                "already-paid",
                $"Already paid {Money.Format(paid)} at this or a higher level; one enterprise is not supported twice",
                $"已享受同级或更高级别奖励 {Money.Format(paid)}，单个企业不重复支持",
                Citation);
            return 0m;
        }

        context.Step(
            $"晋级享受差额：{Money.Format(amount)} − 已获 {Money.Format(paid)}（{string.Join("、", credited.Select(a => $"{a.ProgrammeId} {a.Tier} {a.CycleYear}"))}）= {Money.Format(difference)}",
            $"Promotion difference: {Money.Format(amount)} − {Money.Format(paid)} already paid ({string.Join(", ", credited.Select(a => $"{a.ProgrammeId} {a.Tier} {a.CycleYear}"))}) = {Money.Format(difference)}",
            Citation,
            difference);
        return difference;
    }

    /// <summary>Earlier awards of the credit group whose tier is on that programme's ladder (an award without a tier counts).</summary>
    private IEnumerable<AwardRecord> CreditedAwards(FormulaContext context)
    {
        var members = context.Catalogue.All
            .Where(p => p.Formula is PromotionDifferenceFormula f && f.CreditGroup == CreditGroup)
            .ToDictionary(p => p.Id, p => (PromotionDifferenceFormula)p.Formula, StringComparer.Ordinal);
        members[context.Programme.Id] = this;
        return context.History.Awards.Where(a =>
            members.TryGetValue(a.ProgrammeId, out var f) &&
            (a.Tier is null || f.Tiers.Any(t => t.Key == a.Tier && t.Ladder)));
    }

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts) => TierChecks.Check(TierFact, Tiers, facts);

    private sealed class Parser : FormulaKind
    {
        public override string Name => "promotion-difference";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new PromotionDifferenceFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            TierFact = reader.Fact("tierFact", FactType.Enum),
            Tiers = TierChecks.Read(reader, common, ladder: true),
            CreditGroup = reader.String("creditGroup"),
        };
    }
}
