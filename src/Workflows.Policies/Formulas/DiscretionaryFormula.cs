namespace Workflows.Policies;

/// <summary>An upper bound of a discretionary award: a fixed amount or a rate of a fact, optionally conditional.</summary>
/// <param name="Amount">The bound in yuan, or null.</param>
/// <param name="Rate">The rate, or null.</param>
/// <param name="OfFact">The fact the rate applies to.</param>
/// <param name="Citation">The clause.</param>
/// <param name="When">The bound applies only when this holds; null = always.</param>
public sealed record DiscretionaryBound(DatedParameter? Amount, DatedParameter? Rate, string? OfFact, Citation Citation, Condition? When);

/// <summary>Kind <c>discretionary</c> (一事一议 / 给予一定资助): the bureau decides the amount, bounded by any stated cap.</summary>
public sealed class DiscretionaryFormula : Formula
{
    /// <summary>Gets the fact holding the amount the bureau decided (yuan).</summary>
    public required string AmountFact { get; init; }

    /// <summary>Gets the bounds.</summary>
    public IReadOnlyList<DiscretionaryBound> Bounds { get; init; } = [];

    /// <inheritdoc/>
    public override bool IsDiscretionary => true;

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts =>
        new[] { AmountFact }.Concat(Bounds.SelectMany(b => (b.OfFact is null ? [] : new[] { b.OfFact }).Concat(b.When?.FactNames ?? [])));

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters =>
        Bounds.SelectMany(b => new[] { b.Amount, b.Rate }).Where(p => p is not null).Select(p => p!);

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount =>
        Bounds.Any(b => b.Rate is null && b.Amount is not null) ? Bounds.Where(b => b.Amount is not null).Max(b => b.Amount!.Max) : null;

    internal override decimal? Compute(FormulaContext context)
    {
        decimal? bound = null;
        Citation? boundCitation = null;
        foreach (var b in Bounds)
        {
            if (b.When is not null && !context.Holds(b.When))
            {
                continue;
            }

            var value = b.Amount is not null
                ? context.Param(b.Amount, b.Citation)
                : context.Decimal(b.OfFact!) * context.Param(b.Rate!, b.Citation);
            if (b.Rate is not null)
            {
                context.Step(
                    $"上限：{b.OfFact} × {PercentageFormula.Pct(context.Param(b.Rate, b.Citation))} = {Money.Format(value)}",
                    $"Bound: {b.OfFact} × {PercentageFormula.Pct(context.Param(b.Rate, b.Citation))} = {Money.Format(value)}",
                    b.Citation,
                    null);
            }

            if (bound is null || value < bound)
            {
                bound = value;
                boundCitation = b.Citation;
            }
        }

        if (context.EstimateMode)
        {
            context.ResultIsUpperBound = true;
            context.Step(
                bound is { } ub ? $"一事一议，金额由主管部门确定，最高 {Money.Format(ub)}" : "一事一议，金额由主管部门确定，未规定上限",
                bound is { } ub2 ? $"Discretionary: the bureau sets the amount, at most {Money.Format(ub2)}" : "Discretionary: the bureau sets the amount; no stated cap",
                boundCitation ?? Citation,
                bound);
            return bound;
        }

        var decided = context.Decimal(AmountFact);
        context.Step($"主管部门确定金额 {Money.Format(decided)}", $"Amount decided by the bureau: {Money.Format(decided)}", Citation, decided);
        if (bound is { } cap && decided > cap)
        {
            context.Step($"超过上限，按 {Money.Format(cap)} 支持", $"Above the stated cap: {Money.Format(cap)}", boundCitation!, cap);
            return cap;
        }

        return decided;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "discretionary";

        public override Formula Parse(NodeReader reader, FormulaCommon common) => new DiscretionaryFormula
        {
            Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
            AmountFact = reader.Fact("amountFact", FactType.Decimal, FactType.Integer),
            Bounds = reader.List("bounds", b =>
            {
                var amount = b.OptParameter("amount", common.Citation, 0);
                var rate = b.OptParameter("rate", common.Citation, 0);
                var of = b.OptFact("ofFact", FactType.Decimal, FactType.Integer);
                if ((amount is null) == (rate is null) || (rate is null) != (of is null))
                {
                    throw b.Error(b.Path, "a bound is either { amount } or { rate, ofFact }");
                }

                var citation = b.OptClause() ?? common.Citation;
                var when = b.OptMap("when") is { } w ? ReadWhen(w) : null;
                return new DiscretionaryBound(amount, rate, of, citation, when);
            }),
        };

        private static Condition ReadWhen(NodeReader w)
        {
            var c = CatalogueLoader.ReadCondition(w);
            w.Done();
            return c;
        }
    }
}
