namespace Workflows.Policies;

/// <summary>Kind <c>interest-subsidy</c>: min(loan × rate, actual interest), capped per year, for at most N years.</summary>
public sealed class InterestSubsidyFormula : Formula
{
    /// <summary>Gets the fact of the loan amount (yuan).</summary>
    public required string LoanFact { get; init; }

    /// <summary>Gets the fact of the interest actually paid (yuan), if used.</summary>
    public string? InterestFact { get; init; }

    /// <summary>Gets the subsidy rate (ratio of the loan).</summary>
    public required DatedParameter Rate { get; init; }

    /// <summary>Gets the yearly cap, if any.</summary>
    public DatedParameter? YearlyCap { get; init; }

    /// <summary>Gets the maximum number of years, if any.</summary>
    public int? MaxYears { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts => [LoanFact];

    /// <inheritdoc/>
    public override IEnumerable<string> OptionalFacts => InterestFact is null ? [] : [InterestFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters => YearlyCap is null ? [Rate] : [Rate, YearlyCap];

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount => YearlyCap?.Max;

    internal override decimal? Compute(FormulaContext context)
    {
        if (!YearLimit.Check(context, MaxYears, consecutive: false, Citation, Caps?.Group))
        {
            return 0m;
        }

        var loan = context.Decimal(LoanFact);
        var rate = context.Param(Rate, Citation);
        var amount = loan * rate;
        context.Step($"贷款 {Money.Format(loan)} × {PercentageFormula.Pct(rate)} = {Money.Format(amount)}", $"Loan {Money.Format(loan)} × {PercentageFormula.Pct(rate)} = {Money.Format(amount)}", context.ParamCitation(Rate), amount);
        if (InterestFact is not null && context.Has(InterestFact))
        {
            var paid = context.Decimal(InterestFact);
            if (paid < amount)
            {
                amount = paid;
                context.Step($"实际支付利息 {Money.Format(paid)} 较低，按实际利息", $"Actual interest {Money.Format(paid)} is lower: used", Citation, amount);
            }
        }

        if (YearlyCap is not null)
        {
            var cap = context.Param(YearlyCap, Citation);
            if (amount > cap)
            {
                amount = cap;
                context.Step($"每年最高 {Money.Format(cap)}", $"Yearly cap {Money.Format(cap)}", context.ParamCitation(YearlyCap), amount);
            }
        }

        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "interest-subsidy";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var maxYears = reader.OptInt("maxYears");
            return new InterestSubsidyFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                LoanFact = reader.Fact("loanFact", FactType.Decimal, FactType.Integer),
                InterestFact = reader.OptFact("interestFact", FactType.Decimal, FactType.Integer),
                Rate = reader.Parameter("rate", common.Citation, 0),
                YearlyCap = reader.OptParameter("yearlyCap", common.Citation, 0),
                MaxYears = maxYears is null or > 0 ? maxYears : throw reader.Error(reader.Field("maxYears"), "must be > 0"),
            };
        }
    }
}
