namespace Workflows.Policies;

/// <summary>
/// Kind <c>percentage</c>: rate × base (base = a fact, optionally minus another), with an optional minimum base;
/// optionally the rate (and a cap) chosen by brackets of the base, and a limit of N (consecutive) years.
/// </summary>
public sealed class PercentageFormula : Formula
{
    /// <summary>Gets the base fact (yuan).</summary>
    public required string BaseFact { get; init; }

    /// <summary>Gets the fact subtracted from the base (e.g. a target value), if any.</summary>
    public string? BaseMinusFact { get; init; }

    /// <summary>Gets the rate (ratio); null when <see cref="Brackets"/> set the rate.</summary>
    public DatedParameter? Rate { get; init; }

    /// <summary>Gets the brackets of the base, ascending, each with its own rate and cap (empty: one <see cref="Rate"/>).</summary>
    public IReadOnlyList<RateBracket> Brackets { get; init; } = [];

    /// <summary>Gets the most years the programme pays for, if limited.</summary>
    public int? MaxYears { get; init; }

    /// <summary>Gets a value indicating whether <see cref="MaxYears"/> counts consecutive years from the first award.</summary>
    public bool Consecutive { get; init; }

    /// <summary>Gets the minimum base, if any.</summary>
    public DatedParameter? MinBase { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => BaseMinusFact is null ? [BaseFact] : [BaseFact, BaseMinusFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters =>
        new[] { Rate, MinBase }.Concat(Brackets.SelectMany(b => new[] { b.Rate, b.Cap })).Where(p => p is not null).Select(p => p!);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount =>
        Brackets.Count > 0 && Brackets.All(b => b.Cap is not null) ? Brackets.Max(b => b.Cap!.Max) : null;

    internal override decimal? Compute(FormulaContext context)
    {
        if (!YearLimit.Check(context, MaxYears, Consecutive, Citation, Caps?.Group))
        {
            return 0m;
        }

        var base0 = context.Decimal(BaseFact);
        var baseAmount = base0;
        if (BaseMinusFact is not null)
        {
            var minus = context.Decimal(BaseMinusFact);
            baseAmount = Math.Max(0m, base0 - minus);
            context.Step(
                $"计算基数 = {BaseFact} {Quantity(context, BaseFact, base0)} − {BaseMinusFact} {Quantity(context, BaseMinusFact, minus)} = {Quantity(context, BaseFact, baseAmount)}",
                $"Base = {BaseFact} {Quantity(context, BaseFact, base0)} − {BaseMinusFact} {Quantity(context, BaseMinusFact, minus)} = {Quantity(context, BaseFact, baseAmount)}",
                Citation,
                null);
        }

        if (MinBase is not null)
        {
            var min = context.Param(MinBase, Citation);
            if (baseAmount < min)
            {
                context.Step($"基数 {Money.Format(baseAmount)} 低于起点 {Money.Format(min)}，不予支持", $"Base {Money.Format(baseAmount)} is below the threshold {Money.Format(min)}: nothing", context.ParamCitation(MinBase), 0m);
                return 0m;
            }
        }

        if (Brackets.Count > 0)
        {
            return ComputeBracket(context, baseAmount);
        }

        var rate = context.Param(Rate!, Citation);
        var amount = baseAmount * rate;
        var shown = Quantity(context, BaseFact, baseAmount);
        context.Step(
            $"{shown} × {Pct(rate)} = {Money.Format(amount)}",
            $"{shown} × {Pct(rate)} = {Money.Format(amount)}",
            context.ParamCitation(Rate!),
            amount);
        return amount;
    }

    private decimal ComputeBracket(FormulaContext context, decimal baseAmount)
    {
        var shown = Quantity(context, BaseFact, baseAmount);
        var bracket = Brackets.LastOrDefault(b => b.Contains(baseAmount));
        if (bracket is null)
        {
            var lowest = Brackets[0];
            context.Fail(
                "bracket",
                $"{BaseFact} {shown} is below the lowest bracket ({lowest.Describe(Quantity(context, BaseFact, lowest.Lower))})",
                $"{shown} 未达到最低档（{lowest.DescribeZh(Quantity(context, BaseFact, lowest.Lower))}）",
                Citation);
            return 0m;
        }

        var rate = context.Param(bracket.Rate, Citation);
        var amount = baseAmount * rate;
        var label = bracket.LabelZh ?? bracket.DescribeZh(Quantity(context, BaseFact, bracket.Lower));
        context.Step(
            $"{label}：{shown} × {Pct(rate)} = {Money.Format(amount)}",
            $"Bracket {bracket.Describe(Quantity(context, BaseFact, bracket.Lower))}: {shown} × {Pct(rate)} = {Money.Format(amount)}",
            context.ParamCitation(bracket.Rate),
            amount);
        if (bracket.Cap is not null)
        {
            var cap = context.Param(bracket.Cap, Citation);
            if (amount > cap)
            {
                amount = cap;
                context.Step($"该档最高 {Money.Format(cap)}", $"Bracket cap {Money.Format(cap)}", context.ParamCitation(bracket.Cap), amount);
            }
        }

        return amount;
    }

    /// <summary>Formats a fact's value for a trace step: money as yuan, other units (美元, 平方米, 人次 …) as a number and the unit.</summary>
    /// <param name="context">The quote context (for the fact's definition).</param>
    /// <param name="fact">The fact name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    internal static string Quantity(FormulaContext context, string fact, decimal value) =>
        context.Catalogue.Facts.TryGetValue(fact, out var def) && def.Unit is { } unit && unit != "元"
            ? value.ToString("#,0.####", System.Globalization.CultureInfo.InvariantCulture) + " " + unit
            : Money.Format(value);

    internal static string Pct(decimal ratio) => (ratio * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private sealed class Parser : FormulaKind
    {
        public override string Name => "percentage";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var rate = reader.OptParameter("rate", common.Citation, 0);
            var brackets = reader.List("brackets", b => RateBracket.Read(b, common.Citation));
            if ((rate is null) == (brackets.Count == 0))
            {
                throw reader.Error(reader.Field("rate"), "give either rate or brackets (not both)");
            }

            NumericBracket.CheckAscending(reader, "brackets", brackets.Select(b => b.Edge).ToList());
            var maxYears = reader.OptInt("maxYears");
            return new PercentageFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                BaseFact = reader.Fact("baseFact", FactType.Decimal, FactType.Integer),
                BaseMinusFact = reader.OptFact("baseMinusFact", FactType.Decimal, FactType.Integer),
                Rate = rate,
                Brackets = brackets,
                MinBase = reader.OptParameter("minBase", common.Citation, 0),
                MaxYears = maxYears is null or > 0 ? maxYears : throw reader.Error(reader.Field("maxYears"), "must be > 0"),
                Consecutive = reader.Bool("consecutive", false),
            };
        }
    }
}
