namespace Workflows.Policies;

/// <summary>One dated value of a parameter.</summary>
/// <param name="From">First day (inclusive), or null when open.</param>
/// <param name="To">Last day (inclusive), or null when open.</param>
/// <param name="Value">The value.</param>
/// <param name="Citation">The clause stating it.</param>
public sealed record DatedValue(DateOnly? From, DateOnly? To, decimal Value, Citation Citation)
{
    /// <summary>Gets the period of the value.</summary>
    public DateRange Period => new(From, To);
}

/// <summary>A numeric formula parameter: one value, or values by effective date (OpenFisca style).</summary>
/// <param name="Name">Parameter name (its YAML key path).</param>
/// <param name="Values">The dated values; one open-ended value for a constant.</param>
public sealed record DatedParameter(string Name, IReadOnlyList<DatedValue> Values)
{
    /// <summary>Gets the largest value the parameter ever takes.</summary>
    public decimal Max => Values.Max(v => v.Value);

    /// <summary>Returns the entry in force on a date.</summary>
    /// <param name="date">The date.</param>
    /// <param name="programmeId">The programme, for the error message.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ParameterNotInForceException">No entry covers the date.</exception>
    public DatedValue On(DateOnly date, string programmeId) =>
        Values.FirstOrDefault(v => v.Period.Contains(date)) ?? throw new ParameterNotInForceException(programmeId, Name, date);
}

/// <summary>Caps applied after a formula kind's own computation.</summary>
/// <param name="PerProject">Cap of this award.</param>
/// <param name="PerYear">Cap of the cycle year's awards (this and earlier ones in the cap group).</param>
/// <param name="Total">Cap of all awards in the cap group, all years.</param>
/// <param name="Citation">Clause of the caps.</param>
/// <param name="Group">Cap group name, or null for this programme only.</param>
public sealed record Caps(DatedParameter? PerProject, DatedParameter? PerYear, DatedParameter? Total, Citation Citation, string? Group)
{
    /// <summary>Gets the lowest cap that bounds a single award, ignoring history, or null when uncapped.</summary>
    public decimal? SingleAwardBound =>
        new[] { PerProject, PerYear, Total }.Where(p => p is not null).Select(p => (decimal?)p!.Max).Min();
}
