using System.Globalization;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>
/// The catalogue files of seed 003 policies 12–23 loaded on their own, with an effective period configured
/// (the compilation prints none, so the documents say <c>unknown</c>), and helpers to quote them.
/// </summary>
internal static class Seed003Part2
{
    public static readonly string[] Files =
    [
        "Catalogue/003-12-tuichu.yaml", "Catalogue/003-13-jiqun.yaml", "Catalogue/003-14-jiaoyu.yaml", "Catalogue/003-15-yiliao.yaml",
        "Catalogue/003-16-huishang.yaml", "Catalogue/003-17-rencai.yaml", "Catalogue/003-18-anju.yaml", "Catalogue/003-19-juzhuzheng.yaml",
        "Catalogue/003-20-rouxing.yaml", "Catalogue/003-21-gongzuoshi.yaml", "Catalogue/003-22-boshihou.yaml", "Catalogue/003-23-biyesheng.yaml",
    ];

    /// <summary>The configured period used by the tests (a bureau would set its own).</summary>
    public static readonly DateRange Period = new(new DateOnly(2024, 2, 1), new DateOnly(2027, 12, 31));

    /// <summary>A date inside the configured period.</summary>
    public static readonly DateOnly On = new(2025, 6, 30);

    private static readonly Lazy<ProgrammeCatalogue> Lazy = new(() => Load(configure: true));

    public static ProgrammeCatalogue Loaded => Lazy.Value;

    public static QuoteEngine Engine { get; } = new(Loaded, WorkingDayCalendar.Default);

    public static IEnumerable<CatalogueSource> Sources() =>
        ProgrammeCatalogue.EmbeddedSources().Where(s => Array.IndexOf(Files, s.Name) >= 0);

    public static ProgrammeCatalogue Load(bool configure)
    {
        var options = new CatalogueOptions { IncludeEmbedded = false };
        foreach (var source in Sources())
        {
            options.ExtraSources.Add(source);
        }

        if (configure)
        {
            foreach (var doc in ProgrammeCatalogue.Load(options).Documents.Where(d => d.Id.StartsWith("003-", StringComparison.Ordinal)))
            {
                options.EffectivePeriods[doc.Id] = Period;
            }
        }

        return ProgrammeCatalogue.Load(options);
    }

    public static Quote Quote(string programmeId, string factsJson, AwardHistory? history = null, DateOnly? on = null, int? cycleYear = null, string? projectKey = null)
    {
        var facts = FactProfile.FromJson(factsJson);
        if (projectKey is not null)
        {
            facts = facts.WithProjectKey(projectKey);
        }

        return Engine.Quote(new QuoteRequest(programmeId, on ?? On, facts, history, cycleYear));
    }

    public static AwardHistory History(params (string Programme, int Cycle, decimal Amount)[] awards) =>
        new(awards.Select(a => new AwardRecord(a.Programme, a.Cycle, a.Amount, new DateOnly(a.Cycle, 6, 30))).ToList());

    public static AwardHistory ProjectHistory(string projectKey, params (string Programme, int Cycle, decimal Amount)[] awards) =>
        new(awards.Select(a => new AwardRecord(a.Programme, a.Cycle, a.Amount, new DateOnly(a.Cycle, 6, 30), null, projectKey)).ToList());

    public static decimal Yuan(string amount) => decimal.Parse(amount, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Asserts an eligible quote of exactly <paramref name="expected"/> yuan, showing the failures otherwise.</summary>
    public static void AssertAmount(Quote quote, decimal expected)
    {
        Assert.True(
            quote.Outcome == QuoteOutcome.Eligible,
            $"{quote.ProgrammeId}: expected eligible, got {quote.Outcome}: failed [{string.Join("; ", quote.FailedRules)}] missing [{string.Join(", ", quote.MissingFacts.Select(f => f.Name))}]");
        Assert.Equal(expected, quote.Amount);
    }

    /// <summary>Asserts an eligible quote with no amount (a non-monetary benefit).</summary>
    public static void AssertBenefit(Quote quote)
    {
        Assert.True(
            quote.Outcome == QuoteOutcome.Eligible,
            $"{quote.ProgrammeId}: expected eligible, got {quote.Outcome}: failed [{string.Join("; ", quote.FailedRules)}] missing [{string.Join(", ", quote.MissingFacts.Select(f => f.Name))}]");
        Assert.Null(quote.Amount);
        Assert.False(quote.Programme.Formula.IsMonetary);
    }

    /// <summary>Asserts a quote that fails the named rule.</summary>
    public static void AssertFails(Quote quote, string ruleId)
    {
        Assert.True(quote.Outcome == QuoteOutcome.NotEligible, $"{quote.ProgrammeId}: expected not eligible ({ruleId}), got {quote.Outcome} {quote.Amount}");
        Assert.Contains(quote.FailedRules, r => r.RuleId == ruleId);
        Assert.Null(quote.Amount);
    }
}
