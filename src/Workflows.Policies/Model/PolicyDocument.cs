namespace Workflows.Policies;

/// <summary>A policy document (one version of a policy) as catalogued.</summary>
public sealed class PolicyDocument
{
    /// <summary>Gets the version id, e.g. <c>004</c> or <c>001</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the seed file name.</summary>
    public required string Seed { get; init; }

    /// <summary>Gets the seed number (first three characters of the seed file name).</summary>
    public string SeedNumber => Seed.Length >= 3 ? Seed[..3] : Seed;

    /// <summary>Gets the Chinese title.</summary>
    public required string TitleZh { get; init; }

    /// <summary>Gets the English name.</summary>
    public required string NameEn { get; init; }

    /// <summary>Gets the document number, e.g. 京技管发〔2023〕32号.</summary>
    public string? Number { get; init; }

    /// <summary>Gets the issuing body.</summary>
    public required string Issuer { get; init; }

    /// <summary>Gets the date of issue, when the seed shows it.</summary>
    public DateOnly? Issued { get; init; }

    /// <summary>Gets the effective period as stated; null when the seed does not state it (<see cref="PeriodUnknown"/>).</summary>
    public DateRange? StatedPeriod { get; init; }

    /// <summary>Gets a value indicating whether the seed does not state the period (it must come from configuration).</summary>
    public bool PeriodUnknown => StatedPeriod is null;

    /// <summary>Gets the citation of the period.</summary>
    public required Citation PeriodCitation { get; init; }

    /// <summary>Gets the earlier documents this one abolishes, and from when.</summary>
    public IReadOnlyList<DocumentReplacement> Replaces { get; init; } = [];

    /// <summary>Gets the cycle years of earlier documents judged under this one (001 附则(三): 2024).</summary>
    public IReadOnlyList<int> CarryOverCycles { get; init; } = [];

    /// <summary>Gets the stated cycle years, or null to derive them from the effective period.</summary>
    public (int From, int To)? CycleYears { get; init; }

    /// <summary>Gets the rules every programme of the document must pass.</summary>
    public IReadOnlyList<EligibilityRule> GeneralRules { get; init; } = [];

    /// <summary>Gets a value indicating whether citations include the document title.</summary>
    public bool CiteTitle { get; init; }

    /// <summary>Gets free notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the catalogue file that defined the document.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Builds a citation of a clause of this document.</summary>
    /// <param name="clause">The clause label.</param>
    /// <returns>The citation.</returns>
    public Citation Cite(string clause) => new(SeedNumber, clause, CiteTitle ? TitleZh : null);
}

/// <summary>An earlier document abolished by a later one.</summary>
/// <param name="DocumentId">The earlier document's id.</param>
/// <param name="From">The first day the later document rules; the earlier one ends the day before.</param>
/// <param name="Citation">The clause that abolishes it.</param>
public sealed record DocumentReplacement(string DocumentId, DateOnly From, Citation Citation);
