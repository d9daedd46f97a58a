namespace Workflows.Policies;

/// <summary>
/// An award formula: one of a small set of named kinds (see docs/catalogue-format.md §7). Each kind is one
/// class in <c>Formulas/</c> with a <see cref="FormulaKind"/> beside it; kinds are found by reflection.
/// </summary>
public abstract class Formula
{
    /// <summary>Gets the kind name, e.g. <c>fixed-by-tier</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the clause stating the amount.</summary>
    public required Citation Citation { get; init; }

    /// <summary>Gets the caps, if any.</summary>
    public Caps? Caps { get; init; }

    /// <summary>Gets the facts the formula needs (all must be given to compute an amount).</summary>
    public abstract IEnumerable<string> RequiredFacts { get; }

    /// <summary>Gets facts the formula reads when given (e.g. actual interest paid).</summary>
    public virtual IEnumerable<string> OptionalFacts => [];

    /// <summary>Gets a value indicating whether the formula yields money (false for benefits).</summary>
    public virtual bool IsMonetary => true;

    /// <summary>Gets a value indicating whether the amount is decided by the bureau (一事一议).</summary>
    public virtual bool IsDiscretionary => false;

    /// <summary>Gets the parameters, for listing and validation.</summary>
    public abstract IEnumerable<DatedParameter> Parameters { get; }

    /// <summary>Gets the largest amount one award can reach ignoring history, or null when unbounded.</summary>
    public decimal? MaxAmount => Min(KindMaxAmount, Caps?.SingleAwardBound);

    /// <summary>Gets the kind's own largest amount before caps, or null when unbounded.</summary>
    protected virtual decimal? KindMaxAmount => null;

    /// <summary>Gets the programme id the formula belongs to (set by the loader, for messages).</summary>
    public string ProgrammeId { get; internal set; } = string.Empty;

    /// <summary>Returns the lower of two optional bounds.</summary>
    /// <param name="a">First bound.</param>
    /// <param name="b">Second bound.</param>
    /// <returns>The lower, or the one that is set, or null.</returns>
    protected static decimal? Min(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>Computes the kind's raw amount (before rounding and caps); null for a benefit.</summary>
    /// <param name="context">Facts, history, date, trace.</param>
    /// <returns>The amount in yuan.</returns>
    internal abstract decimal? Compute(FormulaContext context);

    /// <summary>Computes the amount: the kind's computation, rounded to fen once, then the caps.</summary>
    /// <param name="context">Facts, history, date, trace.</param>
    /// <returns>The amount in yuan, or null for a benefit.</returns>
    internal decimal? Evaluate(FormulaContext context)
    {
        var raw = Compute(context);
        if (raw is not { } value)
        {
            return null;
        }

        var amount = Money.Round(value);
        if (amount != value)
        {
            context.Step($"四舍五入至分：{Money.Format(amount)}", $"Rounded to fen: {Money.Format(amount)}", Citation, amount);
        }

        return Caps is null ? amount : ApplyCaps(context, amount, Caps);
    }

    private decimal ApplyCaps(FormulaContext context, decimal amount, Caps caps)
    {
        if (caps.PerProject is { } perProject)
        {
            var cap = context.Param(perProject, caps.Citation);
            if (amount > cap)
            {
                amount = cap;
                context.Step($"单个项目最高 {Money.Format(cap)}，按上限支持", $"Capped at {Money.Format(cap)} per project", caps.Citation, amount);
            }
        }

        if (caps.PerYear is { } perYear)
        {
            var cap = context.Param(perYear, caps.Citation);
            var paid = context.PaidInCapGroup(caps.Group, context.CycleYear);
            var room = Math.Max(0m, cap - paid);
            if (room == 0m && amount > 0m)
            {
                context.Fail("yearly-cap-reached", $"The yearly cap of {Money.Format(cap)} is already used up in {context.CycleYear} ({Money.Format(paid)} awarded)", $"本年度已获 {Money.Format(paid)}，已达年度上限 {Money.Format(cap)}", caps.Citation);
                return 0m;
            }

            if (amount > room)
            {
                amount = room;
                context.Step(
                    $"年度支持金额最高 {Money.Format(cap)}，本年度已获 {Money.Format(paid)}，本次 {Money.Format(amount)}",
                    $"Yearly cap {Money.Format(cap)}; {Money.Format(paid)} already awarded in {context.CycleYear}; this award {Money.Format(amount)}",
                    caps.Citation,
                    amount);
            }
        }

        if (caps.Total is { } total)
        {
            var cap = context.Param(total, caps.Citation);
            var paid = context.PaidInCapGroup(caps.Group, null);
            var room = Math.Max(0m, cap - paid);
            if (room == 0m && amount > 0m)
            {
                context.Fail("total-cap-reached", $"The total cap of {Money.Format(cap)} is already used up ({Money.Format(paid)} awarded)", $"已获 {Money.Format(paid)}，已达累计上限 {Money.Format(cap)}", caps.Citation);
                return 0m;
            }

            if (amount > room)
            {
                amount = room;
                context.Step(
                    $"累计最高 {Money.Format(cap)}，已获 {Money.Format(paid)}，本次 {Money.Format(amount)}",
                    $"Total cap {Money.Format(cap)}; {Money.Format(paid)} already awarded; this award {Money.Format(amount)}",
                    caps.Citation,
                    amount);
            }
        }

        return amount;
    }
}

/// <summary>A formula kind: its YAML name and its parser. One subclass per kind, found by reflection.</summary>
internal abstract class FormulaKind
{
    /// <summary>Gets the kind name used in YAML.</summary>
    public abstract string Name { get; }

    /// <summary>Parses the kind's own keys (common keys are read by the loader).</summary>
    /// <param name="reader">The formula's YAML mapping.</param>
    /// <param name="common">Kind, clause and caps already read.</param>
    /// <returns>The formula.</returns>
    public abstract Formula Parse(NodeReader reader, FormulaCommon common);
}

/// <summary>Keys every formula has, read before the kind's parser runs.</summary>
/// <param name="Kind">Kind name.</param>
/// <param name="Citation">Clause.</param>
/// <param name="Caps">Caps, if any.</param>
internal sealed record FormulaCommon(string Kind, Citation Citation, Caps? Caps);

/// <summary>The registry of formula kinds, built once by reflection over this assembly.</summary>
internal static class FormulaKinds
{
    private static readonly Lazy<IReadOnlyDictionary<string, FormulaKind>> Registry = new(() =>
        typeof(FormulaKind).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(FormulaKind)))
            .Select(t => (FormulaKind)Activator.CreateInstance(t)!)
            .ToDictionary(k => k.Name, StringComparer.Ordinal));

    /// <summary>Gets every kind by name.</summary>
    public static IReadOnlyDictionary<string, FormulaKind> All => Registry.Value;
}

/// <summary>The money rule, stated once: amounts are decimal yuan rounded to fen half away from zero.</summary>
public static class Money
{
    /// <summary>Rounds to whole fen (0.01 yuan), half away from zero (四舍五入).</summary>
    /// <param name="yuan">Amount in yuan.</param>
    /// <returns>The rounded amount.</returns>
    public static decimal Round(decimal yuan) => Math.Round(yuan, 2, MidpointRounding.AwayFromZero);

    /// <summary>Formats an amount, e.g. <c>¥1,234,567.80</c>.</summary>
    /// <param name="yuan">Amount in yuan.</param>
    /// <returns>The text.</returns>
    public static string Format(decimal yuan) => "¥" + yuan.ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture);
}
