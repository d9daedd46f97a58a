namespace Workflows.Policies;

/// <summary>A rate tier: the rate applied to the base when the tier fact has this value.</summary>
/// <param name="Key">The enum value of the tier fact.</param>
/// <param name="Rate">The rate (ratio).</param>
/// <param name="LabelZh">Chinese label.</param>
public sealed record RateTier(string Key, DatedParameter Rate, string? LabelZh);

/// <summary>
/// Kind <c>percentage-by-tier</c>: rate × base where the rate is chosen by an enum fact (003 人才安居 A 类 100% /
/// B 类 80% / C 类 60% of the rent; 000 个人经济贡献 50% / 15% / 8% by talent tier), optionally for at most N years.
/// </summary>
public sealed class PercentageByTierFormula : Formula, IValidatesAgainstFacts
{
    /// <summary>Gets the enum fact choosing the rate.</summary>
    public required string TierFact { get; init; }

    /// <summary>Gets the base fact (yuan).</summary>
    public required string BaseFact { get; init; }

    /// <summary>Gets the rate tiers.</summary>
    public required IReadOnlyList<RateTier> Tiers { get; init; }

    /// <summary>Gets the maximum number of years, if any (counted as for rent subsidies).</summary>
    public int? MaxYears { get; init; }

    /// <summary>Gets a value indicating whether the years must be consecutive from the first award.</summary>
    public bool Consecutive { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [TierFact, BaseFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Tiers.Select(t => t.Rate);

    internal override decimal? Compute(FormulaContext context)
    {
        var key = context.Text(TierFact);
        var tier = Tiers.FirstOrDefault(t => t.Key == key);
        if (tier is null)
        {
            context.Fail("tier", $"'{key}' is not a tier this clause supports ({string.Join(", ", Tiers.Select(t => t.Key))})", $"{key} 不属于本条支持的类别", Citation);
            return 0m;
        }

        if (!YearLimit.Check(context, MaxYears, Consecutive, Citation, Caps?.Group))
        {
            return 0m;
        }

        var baseAmount = context.Decimal(BaseFact);
        var rate = context.Param(tier.Rate, Citation);
        var amount = baseAmount * rate;
        context.Step(
            $"{tier.LabelZh ?? tier.Key}：{Money.Format(baseAmount)} × {PercentageFormula.Pct(rate)} = {Money.Format(amount)}",
            $"Tier {tier.Key}: {Money.Format(baseAmount)} × {PercentageFormula.Pct(rate)} = {Money.Format(amount)}",
            context.ParamCitation(tier.Rate),
            amount);
        return amount;
    }

    /// <inheritdoc/>
    string? IValidatesAgainstFacts.Check(IReadOnlyDictionary<string, FactDefinition> facts)
    {
        if (!facts.TryGetValue(TierFact, out var def))
        {
            return null;
        }

        var bad = Tiers.FirstOrDefault(t => !def.Values.Contains(t.Key, StringComparer.Ordinal));
        return bad is null ? null : $"tiers: key '{bad.Key}' is not a value of enum fact '{TierFact}' ({string.Join(", ", def.Values)})";
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "percentage-by-tier";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var tiers = reader.List("tiers", t => new RateTier(t.String("key"), t.Parameter("rate", common.Citation, 0), t.OptString("labelZh")), required: true);
            var dup = tiers.GroupBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null)
            {
                throw reader.Error(reader.Field("tiers"), $"duplicate tier key '{dup.Key}'");
            }

            var maxYears = reader.OptInt("maxYears");
            return new PercentageByTierFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                TierFact = reader.Fact("tierFact", FactType.Enum),
                BaseFact = reader.Fact("baseFact", FactType.Decimal, FactType.Integer),
                Tiers = tiers,
                MaxYears = maxYears is null or > 0 ? maxYears : throw reader.Error(reader.Field("maxYears"), "must be > 0"),
                Consecutive = reader.Bool("consecutive", false),
            };
        }
    }
}
