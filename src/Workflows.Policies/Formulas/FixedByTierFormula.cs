namespace Workflows.Policies;

/// <summary>A tier of a tiered award.</summary>
/// <param name="Key">The enum value of the tier fact.</param>
/// <param name="Amount">The amount.</param>
/// <param name="LabelZh">Chinese label.</param>
/// <param name="Ladder">Whether the tier is on the promotion ladder (promotion-difference only).</param>
public sealed record Tier(string Key, DatedParameter Amount, string? LabelZh, bool Ladder = true);

/// <summary>Kind <c>fixed-by-tier</c>: an amount chosen by an enum fact.</summary>
public sealed class FixedByTierFormula : Formula, IValidatesAgainstFacts
{
    /// <summary>Gets the enum fact choosing the tier.</summary>
    public required string TierFact { get; init; }

    /// <summary>Gets the tiers.</summary>
    public required IReadOnlyList<Tier> Tiers { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [TierFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Tiers.Select(t => t.Amount);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Tiers.Max(t => t.Amount.Max);

    internal override decimal? Compute(FormulaContext context)
    {
        return ChooseTier(context, TierFact, Tiers, Citation) is { } chosen ? chosen.Amount : 0m;
    }

    /// <summary>Finds the tier named by the tier fact and writes its step; a tier the clause lacks is a failed rule.</summary>
    /// <param name="context">Facts, history, date, trace.</param>
    /// <param name="tierFact">The fact naming the tier.</param>
    /// <param name="tiers">The clause's tiers.</param>
    /// <param name="citation">The clause.</param>
    /// <returns>The tier and its amount, or null when the fact names no tier of the clause.</returns>
    internal static (Tier Tier, decimal Amount)? ChooseTier(FormulaContext context, string tierFact, IReadOnlyList<Tier> tiers, Citation citation)
    {
        var key = context.Text(tierFact);
        var tier = tiers.FirstOrDefault(t => t.Key == key);
        if (tier is null)
        {
            context.Fail("tier", $"'{key}' is not a tier this clause supports ({string.Join(", ", tiers.Select(t => t.Key))})", $"{key} 不属于本条支持的类别", citation);
            return null;
        }

        var amount = context.Param(tier.Amount, citation);
        context.Step($"{tier.LabelZh ?? tier.Key}：{Money.Format(amount)}", $"Tier {tier.Key}: {Money.Format(amount)}", context.ParamCitation(tier.Amount), amount);
        return (tier, amount);
    }

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts) => TierChecks.Check(TierFact, Tiers, facts);

    private sealed class Parser : FormulaKind
    {
        public override string Name => "fixed-by-tier";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new FixedByTierFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            TierFact = reader.Fact("tierFact", FactType.Enum),
            Tiers = TierChecks.Read(reader, common, ladder: false),
        };
    }
}

/// <summary>Reading and checking tier lists.</summary>
internal static class TierChecks
{
    public static IReadOnlyList<Tier> Read(NodeReader reader, FormulaCommon common, bool ladder)
    {
        var tiers = reader.List("tiers", t => new Tier(
            t.String("key"), t.Parameter("amount", common.Citation, 0), t.OptString("labelZh"), ladder ? t.Bool("ladder", true) : true), required: true);
        var dup = tiers.GroupBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? tiers : throw reader.Error(reader.Field("tiers"), $"duplicate tier key '{dup.Key}'");
    }

    public static string? Check(string tierFact, IReadOnlyList<Tier> tiers, IReadOnlyDictionary<string, FactDefinition> facts)
    {
        if (!facts.TryGetValue(tierFact, out var def))
        {
            return null;
        }

        var bad = tiers.FirstOrDefault(t => !def.Values.Contains(t.Key, StringComparer.Ordinal));
        return bad is null ? null : $"tiers: key '{bad.Key}' is not a value of enum fact '{tierFact}' ({string.Join(", ", def.Values)})";
    }
}
