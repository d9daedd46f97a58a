using System.Globalization;

namespace Workflows.Policies;

/// <summary>A growth band: growth g with <see cref="Above"/> &lt; g ≤ <see cref="UpTo"/> gets <see cref="Rate"/>.</summary>
/// <param name="Above">Lower growth bound (exclusive, ratio).</param>
/// <param name="UpTo">Upper growth bound (inclusive, ratio), or null for the last band.</param>
/// <param name="Rate">The rate (ratio).</param>
public sealed record GrowthBand(decimal Above, decimal? UpTo, DatedParameter Rate);

/// <summary>Which increase the band rate applies to.</summary>
public enum BandBase
{
    /// <summary>The part above the threshold growth: current − previous × (1 + threshold).</summary>
    ExcessOverThreshold,

    /// <summary>The whole increase: current − previous.</summary>
    WholeIncrease,
}

/// <summary>How band rates combine.</summary>
public enum BandRateMode
{
    /// <summary>The band containing the growth gives one rate for the whole base.</summary>
    FlatByBand,

    /// <summary>Each band's rate applies to the part of the base inside that band (progressive).</summary>
    Marginal,
}

/// <summary>Kind <c>banded-rate</c>: support by growth band (001 三(七)).</summary>
public sealed class BandedRateFormula : Formula
{
    /// <summary>Gets the fact of the current year's value (yuan).</summary>
    public required string CurrentFact { get; init; }

    /// <summary>Gets the fact of the previous year's value (yuan).</summary>
    public required string PreviousFact { get; init; }

    /// <summary>Gets the growth above which support starts (ratio).</summary>
    public required decimal Threshold { get; init; }

    /// <summary>Gets the base reading.</summary>
    public required BandBase Base { get; init; }

    /// <summary>Gets the rate reading.</summary>
    public required BandRateMode RateMode { get; init; }

    /// <summary>Gets the bands, ascending.</summary>
    public required IReadOnlyList<GrowthBand> Bands { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [CurrentFact, PreviousFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Bands.Select(b => b.Rate);

    internal override decimal? Compute(FormulaContext context)
    {
        var current = context.Decimal(CurrentFact);
        var previous = context.Decimal(PreviousFact);
        if (previous <= 0m)
        {
            context.Fail("growth-base", "Growth cannot be computed: the previous year's value must be positive", "上年度数额须大于零方可计算增长", Citation);
            return 0m;
        }

        var growth = (current / previous) - 1m;
        context.Step(
            $"增长率 = {Money.Format(current)} ÷ {Money.Format(previous)} − 1 = {Pct(growth)}",
            $"Growth = {Money.Format(current)} ÷ {Money.Format(previous)} − 1 = {Pct(growth)}",
            Citation,
            null);
        if (growth <= Threshold)
        {
            context.Fail("growth-threshold", $"Growth {Pct(growth)} does not exceed {Pct(Threshold)}", $"增长率 {Pct(growth)} 未超过 {Pct(Threshold)}", Citation);
            return 0m;
        }

        var start = Base == BandBase.ExcessOverThreshold ? previous * (1m + Threshold) : previous;
        var baseAmount = current - start;
        context.Step(
            Base == BandBase.ExcessOverThreshold
                ? $"高出部分 = {Money.Format(current)} − {Money.Format(previous)} × (1 + {Pct(Threshold)}) = {Money.Format(baseAmount)}"
                : $"增长额 = {Money.Format(current)} − {Money.Format(previous)} = {Money.Format(baseAmount)}",
            Base == BandBase.ExcessOverThreshold
                ? $"Excess over {Pct(Threshold)} growth = {Money.Format(current)} − {Money.Format(previous)} × (1 + {Pct(Threshold)}) = {Money.Format(baseAmount)}"
                : $"Whole increase = {Money.Format(current)} − {Money.Format(previous)} = {Money.Format(baseAmount)}",
            Citation,
            null);

        if (RateMode == BandRateMode.FlatByBand)
        {
            var band = Bands.First(b => growth > b.Above && (b.UpTo is null || growth <= b.UpTo));
            var rate = context.Param(band.Rate, Citation);
            var amount = baseAmount * rate;
            context.Step(
                $"增长率处于 {Pct(band.Above)}–{(band.UpTo is { } u ? Pct(u) : "∞")} 区间，按 {Pct(rate)}：{Money.Format(baseAmount)} × {Pct(rate)} = {Money.Format(amount)}",
                $"Growth in band {Pct(band.Above)}–{(band.UpTo is { } u2 ? Pct(u2) : "∞")}: {Money.Format(baseAmount)} × {Pct(rate)} = {Money.Format(amount)}",
                context.ParamCitation(band.Rate),
                amount);
            return amount;
        }

        var total = 0m;
        for (var i = 0; i < Bands.Count; i++)
        {
            var band = Bands[i];
            var lower = i == 0 ? start : previous * (1m + band.Above);
            var upper = band.UpTo is { } up ? previous * (1m + up) : decimal.MaxValue;
            var part = Math.Max(0m, Math.Min(current, upper) - lower);
            if (part <= 0m)
            {
                continue;
            }

            var rate = context.Param(band.Rate, Citation);
            total += part * rate;
            context.Step(
                $"{Pct(band.Above)}–{(band.UpTo is { } u ? Pct(u) : "∞")} 段：{Money.Format(part)} × {Pct(rate)} = {Money.Format(part * rate)}",
                $"Band {Pct(band.Above)}–{(band.UpTo is { } u2 ? Pct(u2) : "∞")}: {Money.Format(part)} × {Pct(rate)} = {Money.Format(part * rate)}",
                context.ParamCitation(band.Rate),
                total);
        }

        return total;
    }

    private static string Pct(decimal ratio) => (ratio * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private sealed class Parser : FormulaKind
    {
        private static readonly Dictionary<string, BandBase> Bases = new(StringComparer.Ordinal)
        {
            ["excess-over-threshold"] = BandBase.ExcessOverThreshold, ["whole-increase"] = BandBase.WholeIncrease,
        };

        private static readonly Dictionary<string, BandRateMode> RateModes = new(StringComparer.Ordinal)
        {
            ["flat-by-band"] = BandRateMode.FlatByBand, ["marginal"] = BandRateMode.Marginal,
        };

        public override string Name => "banded-rate";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var threshold = reader.Decimal("threshold");
            var bands = reader.List("bands", b => new GrowthBand(b.Decimal("above"), b.OptDecimal("upTo"), b.Parameter("rate", common.Citation, 0)), required: true);
            if (bands[0].Above != threshold)
            {
                throw reader.Error(reader.Field("bands[0].above"), "the first band must start at the threshold");
            }

            for (var i = 0; i < bands.Count; i++)
            {
                var last = i == bands.Count - 1;
                if (last != (bands[i].UpTo is null))
                {
                    throw reader.Error($"{reader.Field("bands")}[{i}].upTo", last ? "the last band has no upTo" : "required on every band but the last");
                }

                if (!last && (bands[i].UpTo <= bands[i].Above || bands[i + 1].Above != bands[i].UpTo))
                {
                    throw reader.Error($"{reader.Field("bands")}[{i}]", "bands must be ascending and contiguous (next above = this upTo)");
                }
            }

            return new BandedRateFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                CurrentFact = reader.Fact("currentFact", FactType.Decimal, FactType.Integer),
                PreviousFact = reader.Fact("previousFact", FactType.Decimal, FactType.Integer),
                Threshold = threshold,
                Base = reader.Enum("base", Bases),
                RateMode = reader.Enum("rateMode", RateModes),
                Bands = bands,
            };
        }
    }
}
