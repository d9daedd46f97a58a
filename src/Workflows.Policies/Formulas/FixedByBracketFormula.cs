namespace Workflows.Policies;

/// <summary>The lower edge of a bracket of a number: <c>atLeast</c> (inclusive, 达 / 以上 / 含) or <c>above</c> (exclusive, 超过 / 不含).</summary>
/// <param name="Lower">The edge.</param>
/// <param name="Inclusive">Whether a value equal to the edge is in the bracket.</param>
public readonly record struct NumericBracket(decimal Lower, bool Inclusive)
{
    /// <summary>Returns whether a value reaches this bracket.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when the value is at (if inclusive) or above the edge.</returns>
    public bool Contains(decimal value) => Inclusive ? value >= Lower : value > Lower;

    /// <summary>Reads <c>atLeast</c> or <c>above</c> (exactly one).</summary>
    /// <param name="r">The bracket's mapping.</param>
    /// <returns>The edge.</returns>
    internal static NumericBracket Read(NodeReader r)
    {
        var atLeast = r.OptDecimal("atLeast");
        var above = r.OptDecimal("above");
        if ((atLeast is null) == (above is null))
        {
            throw r.Error(r.Path, "give exactly one of atLeast (inclusive) or above (exclusive)");
        }

        return atLeast is { } a ? new NumericBracket(a, true) : new NumericBracket(above!.Value, false);
    }

    /// <summary>Fails the load unless the edges rise strictly.</summary>
    /// <param name="reader">The formula's reader.</param>
    /// <param name="key">The list key.</param>
    /// <param name="edges">The edges in file order.</param>
    internal static void CheckAscending(NodeReader reader, string key, IReadOnlyList<NumericBracket> edges)
    {
        for (var i = 1; i < edges.Count; i++)
        {
            if (edges[i].Lower <= edges[i - 1].Lower)
            {
                throw reader.Error($"{reader.Field(key)}[{i}]", "brackets must be listed in rising order of their lower edge");
            }
        }
    }

    /// <summary>English text of the edge, e.g. "≥ 5,000,000 美元".</summary>
    /// <param name="shown">The edge formatted in the fact's unit.</param>
    /// <returns>The text.</returns>
    public string Describe(string shown) => (Inclusive ? "≥ " : "> ") + shown;

    /// <summary>Chinese text of the edge, e.g. "达到 5,000,000 美元（含）".</summary>
    /// <param name="shown">The edge formatted in the fact's unit.</param>
    /// <returns>The text.</returns>
    public string DescribeZh(string shown) => Inclusive ? $"达到 {shown}（含）" : $"超过 {shown}";
}

/// <summary>A bracket of a percentage's base with its own rate and optional cap.</summary>
/// <param name="Edge">The lower edge.</param>
/// <param name="Rate">The rate in the bracket.</param>
/// <param name="Cap">The most one award in the bracket can reach, if any.</param>
/// <param name="LabelZh">Chinese label, if any.</param>
public sealed record RateBracket(NumericBracket Edge, DatedParameter Rate, DatedParameter? Cap, string? LabelZh)
{
    /// <summary>Gets the lower edge value.</summary>
    public decimal Lower => Edge.Lower;

    /// <summary>Returns whether a base falls in this bracket or above.</summary>
    /// <param name="value">The base.</param>
    /// <returns>True when reached.</returns>
    public bool Contains(decimal value) => Edge.Contains(value);

    /// <inheritdoc cref="NumericBracket.Describe"/>
    public string Describe(string shown) => Edge.Describe(shown);

    /// <inheritdoc cref="NumericBracket.DescribeZh"/>
    public string DescribeZh(string shown) => Edge.DescribeZh(shown);

    internal static RateBracket Read(NodeReader b, Citation citation)
    {
        return new RateBracket(NumericBracket.Read(b), b.Parameter("rate", citation, 0), b.OptParameter("cap", citation, 0), b.OptString("labelZh"));
    }
}

/// <summary>A bracket of a number with a fixed amount.</summary>
/// <param name="Edge">The lower edge.</param>
/// <param name="Amount">The amount in yuan.</param>
/// <param name="LabelZh">Chinese label, if any.</param>
public sealed record AmountBracket(NumericBracket Edge, DatedParameter Amount, string? LabelZh);

/// <summary>
/// Kind <c>fixed-by-bracket</c>: a fixed amount chosen by the bracket a number falls in (the highest bracket whose
/// lower edge it reaches); a number below the lowest bracket fails rule <c>bracket</c>. E.g. 003 外资外贸 二二是(七):
/// outward investment of 100–500万美元 10万, 500（含）–1000万 30万, 1000（含）万以上 50万.
/// </summary>
public sealed class FixedByBracketFormula : Formula
{
    /// <summary>Gets the numeric fact the brackets apply to.</summary>
    public required string ValueFact { get; init; }

    /// <summary>Gets the brackets in rising order.</summary>
    public required IReadOnlyList<AmountBracket> Brackets { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [ValueFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => Brackets.Select(b => b.Amount);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => Brackets.Max(b => b.Amount.Max);

    internal override decimal? Compute(FormulaContext context)
    {
        var value = context.Decimal(ValueFact);
        var shown = PercentageFormula.Quantity(context, ValueFact, value);
        var bracket = Brackets.LastOrDefault(b => b.Edge.Contains(value));
        if (bracket is null)
        {
            var lowest = PercentageFormula.Quantity(context, ValueFact, Brackets[0].Edge.Lower);
            context.Fail(
                "bracket",
                $"{ValueFact} {shown} is below the lowest bracket ({Brackets[0].Edge.Describe(lowest)})",
                $"{shown} 未达到最低档（{Brackets[0].Edge.DescribeZh(lowest)}）",
                Citation);
            return 0m;
        }

        var amount = context.Param(bracket.Amount, Citation);
        var edge = PercentageFormula.Quantity(context, ValueFact, bracket.Edge.Lower);
        context.Step(
            $"{shown}，{bracket.LabelZh ?? bracket.Edge.DescribeZh(edge)}：{Money.Format(amount)}",
            $"{ValueFact} {shown}, bracket {bracket.Edge.Describe(edge)}: {Money.Format(amount)}",
            context.ParamCitation(bracket.Amount),
            amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "fixed-by-bracket";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var brackets = reader.List(
                "brackets",
                b => new AmountBracket(NumericBracket.Read(b), b.Parameter("amount", common.Citation, 0), b.OptString("labelZh")),
                required: true);
            NumericBracket.CheckAscending(reader, "brackets", brackets.Select(b => b.Edge).ToList());
            return new FixedByBracketFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                ValueFact = reader.Fact("valueFact", FactType.Decimal, FactType.Integer),
                Brackets = brackets,
            };
        }
    }
}
