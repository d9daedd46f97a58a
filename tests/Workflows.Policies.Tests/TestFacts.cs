namespace Workflows.Policies.Tests;

/// <summary>Builds fact profiles and quotes for tests.</summary>
internal static class TestFacts
{
    /// <summary>The 004 and 001 files only, so the files other seeds' authors are writing cannot break these tests
    /// (CatalogueCoverageTests loads every file together).</summary>
    public static readonly ProgrammeCatalogue Own = ProgrammeCatalogue.FromYaml(
        [.. ProgrammeCatalogue.EmbeddedSources().Where(s => s.Name.StartsWith("Catalogue/004-", StringComparison.Ordinal) || s.Name.StartsWith("Catalogue/001-", StringComparison.Ordinal))]);

    public static readonly QuoteEngine Engine = new(Own, WorkingDayCalendar.Default);

    /// <summary>004's general conditions, all met.</summary>
    public static FactProfile Good004(params (string Name, object Value)[] extra) => Of(
        [("registeredInArea", true), ("majorPenaltyWithin3Years", false), ("criminalRecordWithin3Years", false), ("seriousDishonestyListed", false), .. extra]);

    /// <summary>001's general conditions, all met.</summary>
    public static FactProfile Good001(params (string Name, object Value)[] extra) => Of(
        [("operatesInArea", true), ("majorPenaltyWithin3Years", false), ("criminalRecordWithin3Years", false), ("seriousDishonestyListed", false), .. extra]);

    public static FactProfile Of(params (string Name, object Value)[] facts)
    {
        var dict = new Dictionary<string, FactValue>();
        foreach (var (name, value) in facts)
        {
            dict[name] = value switch
            {
                decimal d => FactValue.Of(d),
                int i => FactValue.Of((long)i),
                long l => FactValue.Of(l),
                bool b => FactValue.Of(b),
                DateOnly date => FactValue.Of(date),
                string s => FactValue.Of(s),
                _ => throw new ArgumentException($"unsupported test value {value}"),
            };
        }

        return new FactProfile(dict);
    }

    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static Quote Quote(string programmeId, string on, FactProfile facts, AwardHistory? history = null, int? cycle = null) =>
        Engine.Quote(new QuoteRequest(programmeId, D(on), facts, history, cycle));

    public static AwardHistory History(params AwardRecord[] awards) => new(awards);

    public static AwardRecord Award(string programmeId, int cycle, decimal amount, string? tier = null, string? projectKey = null) =>
        new(programmeId, cycle, amount, new DateOnly(cycle, 12, 1), tier, projectKey);

    /// <summary>Asserts an eligible quote with the exact amount.</summary>
    public static void AssertAmount(decimal expected, Quote quote)
    {
        Assert.True(quote.Eligible, $"{quote.ProgrammeId}: {quote.Outcome}; failed: {string.Join("; ", quote.FailedRules)}; missing: {string.Join(", ", quote.MissingFacts.Select(f => f.Name))}");
        Assert.Equal(expected, quote.Amount);
    }

    public static void AssertFails(string ruleId, Quote quote)
    {
        Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
        Assert.Contains(quote.FailedRules, r => r.RuleId == ruleId);
        Assert.Null(quote.Amount);
    }
}
