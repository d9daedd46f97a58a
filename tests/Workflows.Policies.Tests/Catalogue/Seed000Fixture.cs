namespace Workflows.Policies.Tests.Catalogue;

/// <summary>
/// The 000 catalogue file (E-Town talent measures) loaded on its own. Its effective period is cut off in the seed,
/// so the document says <c>unknown</c>; tests configure one, as a bureau would.
/// </summary>
internal static class Seed000
{
    public const string File = "Catalogue/000-yicheng-talent.yaml";

    /// <summary>The configured period used by the tests (a bureau would set its own).</summary>
    public static readonly DateRange Period = new(new DateOnly(2020, 1, 1), new DateOnly(2030, 12, 31));

    /// <summary>A date inside the configured period.</summary>
    public static readonly DateOnly On = new(2025, 6, 30);

    private static readonly Lazy<ProgrammeCatalogue> Lazy = new(() => Load(configure: true));

    public static ProgrammeCatalogue Loaded => Lazy.Value;

    public static QuoteEngine Engine { get; } = new(Loaded, WorkingDayCalendar.Default);

    public static ProgrammeCatalogue Load(bool configure)
    {
        var options = new CatalogueOptions { IncludeEmbedded = false };
        options.ExtraSources.Add(ProgrammeCatalogue.EmbeddedSources().Single(s => s.Name == File));
        if (configure)
        {
            options.EffectivePeriods["000"] = Period;
        }

        return ProgrammeCatalogue.Load(options);
    }

    /// <summary>Quotes with the general rule (target industry) met and the given extra facts.</summary>
    public static Quote Quote(string programmeId, string extraFactsJson, AwardHistory? history = null, int? cycleYear = null, string? projectKey = null)
    {
        var json = extraFactsJson.Trim();
        var facts = FactProfile.FromJson("""{ "ycTargetIndustry": true""" + (json == "{}" ? string.Empty : ", " + json.TrimStart('{').TrimStart()) + (json == "{}" ? " }" : string.Empty));
        if (projectKey is not null)
        {
            facts = facts.WithProjectKey(projectKey);
        }

        return Engine.Quote(new QuoteRequest(programmeId, On, facts, history, cycleYear));
    }

    public static AwardHistory History(params (string Programme, int Cycle, decimal Amount, string? Tier)[] awards) =>
        new(awards.Select(a => new AwardRecord(a.Programme, a.Cycle, a.Amount, new DateOnly(a.Cycle, 6, 30), a.Tier)).ToList());

    public static decimal Yuan(string amount) => Seed003Part2.Yuan(amount);

    public static void AssertAmount(Quote quote, decimal expected) => Seed003Part2.AssertAmount(quote, expected);

    public static void AssertBenefit(Quote quote) => Seed003Part2.AssertBenefit(quote);

    public static void AssertFails(Quote quote, string ruleId) => Seed003Part2.AssertFails(quote, ruleId);
}
