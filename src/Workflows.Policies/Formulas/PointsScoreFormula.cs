namespace Workflows.Policies;

/// <summary>A band of a points scale or of the award table: from <paramref name="AtLeast"/> (inclusive) up to the next band.</summary>
/// <param name="AtLeast">Lowest value of the band, or null for the open-ended first band ("A &lt; 10").</param>
/// <param name="Points">Points given (scales only).</param>
/// <param name="Amount">Amount given (award table only).</param>
public sealed record ScoreBand(decimal? AtLeast, decimal? Points, DatedParameter? Amount);

/// <summary>One scored indicator: a numeric fact mapped to points by bands.</summary>
/// <param name="Fact">The fact.</param>
/// <param name="LabelZh">Chinese label of the indicator.</param>
/// <param name="Citation">The clause of its scale.</param>
/// <param name="Bands">Bands in ascending order.</param>
public sealed record ScoreScale(string Fact, string? LabelZh, Citation Citation, IReadOnlyList<ScoreBand> Bands);

/// <summary>
/// Kind <c>points-score</c>: each indicator's value earns points by bands, the points are summed into a score S,
/// and the amount is read from an award table banded by S (003 平谷区一般制造业企业调整退出引导资金管理辦法 三:
/// 百分制, four indicators, 5万 … 300万 by S). A value below every band of a scale fails rule <c>score-band</c>.
/// </summary>
public sealed class PointsScoreFormula : Formula
{
    /// <summary>Gets the scored indicators.</summary>
    public required IReadOnlyList<ScoreScale> Scales { get; init; }

    /// <summary>Gets the award table by score, ascending.</summary>
    public required IReadOnlyList<ScoreBand> Awards { get; init; }

    /// <summary>Gets the clause of the award table.</summary>
    public required Citation AwardsCitation { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => Scales.Select(s => s.Fact).Distinct(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Awards.Select(a => a.Amount!);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Awards.Max(a => a.Amount!.Max);

    /// <summary>Returns the band a value falls in: the last band whose lower bound it reaches, or null below them all.</summary>
    /// <param name="bands">Bands, ascending.</param>
    /// <param name="value">The value.</param>
    /// <returns>The band, or null.</returns>
    internal static ScoreBand? BandOf(IReadOnlyList<ScoreBand> bands, decimal value) =>
        bands.LastOrDefault(b => b.AtLeast is null || value >= b.AtLeast);

    internal override decimal? Compute(FormulaContext context)
    {
        var score = 0m;
        foreach (var scale in Scales)
        {
            var value = context.Decimal(scale.Fact);
            var band = BandOf(scale.Bands, value);
            if (band is null)
            {
                context.Fail(
                    "score-band",
                    $"{scale.Fact} = {value} is below every band of the scale (lowest: {scale.Bands[0].AtLeast})",
                    $"{scale.LabelZh ?? scale.Fact} {value} 不在评分标准的任何档次内",
                    scale.Citation);
                return 0m;
            }

            score += band.Points!.Value;
            context.Step(
                $"{scale.LabelZh ?? scale.Fact} {value}：{band.Points} 分",
                $"{scale.Fact} {value}: {band.Points} points",
                scale.Citation,
                null);
        }

        var award = BandOf(Awards, score)!;
        var amount = context.Param(award.Amount!, AwardsCitation);
        context.Step($"综合得分 S = {score} 分，资金额度 {Money.Format(amount)}", $"Score S = {score}: {Money.Format(amount)}", context.ParamCitation(award.Amount!), amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "points-score";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var scales = reader.List(
                "scales",
                s =>
                {
                    var fact = s.Fact("fact", FactType.Decimal, FactType.Integer);
                    var label = s.OptString("labelZh");
                    var citation = s.OptClause() ?? common.Citation;
                    var bands = ReadBands(s, "bands", b => new ScoreBand(b.OptDecimal("atLeast"), b.Decimal("points"), null));
                    return new ScoreScale(fact, label, citation, bands);
                },
                required: true);
            var awardsCitation = reader.OptClause("awardsClause") ?? common.Citation;
            var awards = ReadBands(reader, "awards", b => new ScoreBand(b.OptDecimal("atLeast"), null, b.Parameter("amount", awardsCitation, 0)));
            if (awards[0].AtLeast is { } lowest && lowest > 0m)
            {
                throw reader.Error($"{reader.Field("awards")}[0].atLeast", "the award table must cover every score from 0 (omit atLeast or use 0)");
            }

            return new PointsScoreFormula { Kind = common.Kind, Citation = common.Citation, Caps = common.Caps, Scales = scales, Awards = awards, AwardsCitation = awardsCitation };
        }

        private static IReadOnlyList<ScoreBand> ReadBands(NodeReader reader, string key, Func<NodeReader, ScoreBand> read)
        {
            var bands = reader.List(key, read, required: true);
            for (var i = 0; i < bands.Count; i++)
            {
                if (i > 0 && bands[i].AtLeast is null)
                {
                    throw reader.Error($"{reader.Field(key)}[{i}].atLeast", "only the first band may omit atLeast");
                }

                if (i > 0 && bands[i - 1].AtLeast is { } previous && bands[i].AtLeast <= previous)
                {
                    throw reader.Error($"{reader.Field(key)}[{i}].atLeast", "bands must ascend");
                }
            }

            return bands;
        }
    }
}
