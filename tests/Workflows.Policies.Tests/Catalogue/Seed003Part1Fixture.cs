using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>
/// The catalogue files of seed 003 policies 1–11 loaded on their own, with an effective period configured
/// (the compilation prints none, so the documents say <c>unknown</c>), and helpers to quote them.
/// </summary>
internal static class Seed003Part1
{
    public static readonly string[] Files =
    [
        "Catalogue/003-01-wenlv.yaml", "Catalogue/003-02-waizi.yaml", "Catalogue/003-03-jinrong.yaml", "Catalogue/003-04-shangshi.yaml",
        "Catalogue/003-05-zhichan.yaml", "Catalogue/003-06-gaoxin.yaml", "Catalogue/003-07-gaojingjian.yaml", "Catalogue/003-08-fuhuaqi.yaml",
        "Catalogue/003-09-jiasuqi.yaml", "Catalogue/003-10-zhongshi.yaml", "Catalogue/003-11-zhongxiao.yaml",
    ];

    public static readonly string[] DocumentIds =
    [
        "003-wenlv", "003-waizi", "003-jinrong", "003-shangshi", "003-zhichan", "003-gaoxin",
        "003-gaojingjian", "003-fuhuaqi", "003-jiasuqi", "003-zhongshi", "003-zhongxiao",
    ];

    /// <summary>The configured period used by the tests (a bureau would set its own).</summary>
    public static readonly DateRange Period = new(new DateOnly(2024, 2, 1), new DateOnly(2026, 12, 31));

    /// <summary>A date inside the configured period.</summary>
    public static readonly DateOnly On = new(2025, 6, 30);

    private static readonly Lazy<ProgrammeCatalogue> Lazy = new(() => Load(configure: true));

    public static ProgrammeCatalogue Loaded => Lazy.Value;

    public static QuoteEngine Engine { get; } = new(Loaded, WorkingDayCalendar.Default);

    public static IEnumerable<CatalogueSource> Sources() =>
        ProgrammeCatalogue.EmbeddedSources().Where(s => s.Name.StartsWith("Catalogue/003-", StringComparison.Ordinal) && Array.IndexOf(Files, s.Name) >= 0);

    public static ProgrammeCatalogue Load(bool configure)
    {
        var options = new CatalogueOptions { IncludeEmbedded = false };
        foreach (var source in Sources())
        {
            options.ExtraSources.Add(source);
        }

        if (configure)
        {
            var present = ProgrammeCatalogue.Load(options).Documents.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in DocumentIds.Where(present.Contains))
            {
                options.EffectivePeriods[id] = Period;
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

    public static decimal Yuan(string amount) => decimal.Parse(amount, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>General facts that every programme of a document (or a group of its programmes) needs, so test rows list only what the clause is about.</summary>
    public static readonly IReadOnlyDictionary<string, string> Bases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["none"] = "{}",
        ["wenlv"] = """{ "pgRegisteredInDistrict": true, "pgTaxedInDistrict": true, "pgPublicInstitutionOrOrgan": false }""",
        ["outsider"] = """{ "pgRegisteredInDistrict": false, "pgTaxedInDistrict": false, "pgPublicInstitutionOrOrgan": true }""",
        ["fdi"] = """{ "pgRegisteredInDistrict": true, "independentLegalPerson": true, "pgDisqualifiedForViolation": false, "pgForeignInvestedEnterprise": true, "pgFitsDistrictDirection": true }""",
        ["trade"] = """{ "pgRegisteredInDistrict": true, "independentLegalPerson": true, "pgDisqualifiedForViolation": false, "pgTaxedInDistrict": true, "pgExportLicensed": true, "pgInDistrictStatistics": true, "pgFundedTwoYearsWithoutExports": false }""",
        ["listing"] = """{ "pgRegisteredInDistrict": true, "independentLegalPerson": true, "pgInDistrictStatistics": true }""",
        ["ip"] = """{ "pgRegisteredInDistrict": true, "pgFirstRightHolder": true }""",
        ["agtech"] = """{ "pgRegisteredInDistrict": true, "pgTaxedInDistrict": true }""",
        ["gjj"] = """{ "pgSoundFinancialManagement": true, "pgGoodOperation": true, "pgGoodCredit": true, "pgFitsAnnualPriorities": true, "pgDishonestConduct": false, "pgFinancialViolationPenaltyWithin3Years": false, "pgHighEndTechEnterprise": true }""",
        ["incubator"] = """{ "pgIncubatorInDistrict": true, "pgIncubatorRecognised": true }""",
        ["accelerator"] = """{ "pgAcceleratorApproved": true }""",
        ["resident"] = """{ "pgAcceleratorResident": true, "pgRegisteredInDistrict": true, "independentLegalPerson": true, "pgAcceleratorRelaxedEntry": false, "pgAnnualRevenue": 5000000, "pgTwoYearAverageRevenueGrowth": 0.2, "pgTechAndCommercialisedRevenueShare": 0.5, "pgTechIncomeShare": 0.1, "pgAcceleratorArea": 200, "pgMonthsInAccelerator": 12 }""",
        ["pilot"] = """{ "pgPilotBaseInDistrict": true, "pgPilotBaseFiled": true, "independentLegalPerson": true, "pgPilotBaseCapabilities": true, "pgOperatorOrRepresentativeSeriouslyDishonest": false, "pgPilotBaseEvaluation": "pass", "pgPilotBaseEvaluationPreviousYear": "pass", "pgPilotBaseAccident": false }""",
        ["sme"] = """{ "independentLegalPerson": true, "pgYearsInOperation": 2, "pgSoundFinancialManagement": true, "pgGoodOperation": true, "pgGoodCredit": true, "pgFitsAnnualPriorities": true }""",
    };

    /// <summary>The base facts of <paramref name="baseKey"/> overlaid with <paramref name="json"/>.</summary>
    public static string Facts(string baseKey, string json)
    {
        var merged = JsonNode.Parse(Bases[baseKey])!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(json)!.AsObject())
        {
            merged[name] = value?.DeepClone();
        }

        return merged.ToJsonString();
    }

    /// <summary>Asserts an expectation written as an amount (<c>"123.45"</c>), <c>"fails:rule-id"</c> or <c>"benefit"</c>.</summary>
    public static void AssertExpected(Quote quote, string expected)
    {
        if (expected.StartsWith("fails:", StringComparison.Ordinal))
        {
            AssertFails(quote, expected["fails:".Length..]);
        }
        else if (expected == "benefit")
        {
            Assert.Equal(QuoteOutcome.Eligible, quote.Outcome);
            Assert.Null(quote.Amount);
        }
        else
        {
            AssertAmount(quote, Yuan(expected));
        }
    }

    /// <summary>Asserts an eligible quote of exactly <paramref name="expected"/> yuan, showing the failures otherwise.</summary>
    public static void AssertAmount(Quote quote, decimal expected)
    {
        Assert.True(
            quote.Outcome == QuoteOutcome.Eligible,
            $"{quote.ProgrammeId}: expected eligible, got {quote.Outcome}: failed [{string.Join("; ", quote.FailedRules)}] missing [{string.Join(", ", quote.MissingFacts.Select(f => f.Name))}]");
        Assert.Equal(expected, quote.Amount);
    }

    /// <summary>Asserts a quote that fails the named rule.</summary>
    public static void AssertFails(Quote quote, string ruleId) =>
        Assert.True(
            quote.Outcome == QuoteOutcome.NotEligible && quote.FailedRules.Any(r => r.RuleId == ruleId),
            $"{quote.ProgrammeId}: expected failure '{ruleId}', got {quote.Outcome} amount {quote.Amount}: failed [{string.Join("; ", quote.FailedRules)}] missing [{string.Join(", ", quote.MissingFacts.Select(f => f.Name))}]");
}
