using System.Globalization;

namespace Workflows.Policies;

/// <summary>An inclusive range of dates; either end may be open.</summary>
/// <param name="From">First day, or null when open.</param>
/// <param name="To">Last day (inclusive), or null when open.</param>
public readonly record struct DateRange(DateOnly? From, DateOnly? To)
{
    /// <summary>Returns whether <paramref name="date"/> lies in the range.</summary>
    /// <param name="date">The date to test.</param>
    /// <returns>True when inside, both ends inclusive.</returns>
    public bool Contains(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    /// <summary>Returns the range as text, e.g. <c>2023-11-29 … 2025-04-10</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(open)"} … {To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(open)"}";
}

/// <summary>Where a rule, parameter or programme comes from: seed document and clause.</summary>
/// <param name="SeedNumber">The seed number, e.g. <c>004</c>.</param>
/// <param name="Clause">The clause label as printed, e.g. <c>第四条</c> or <c>三(七)</c>.</param>
/// <param name="DocumentTitleZh">The document title when it is part of the citation (003's separate policies), else null.</param>
public sealed record Citation(string SeedNumber, string Clause, string? DocumentTitleZh = null)
{
    /// <summary>Returns the citation text, e.g. <c>004 第四条</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        DocumentTitleZh is null ? $"{SeedNumber} {Clause}" : $"{SeedNumber} {DocumentTitleZh} {Clause}";
}
