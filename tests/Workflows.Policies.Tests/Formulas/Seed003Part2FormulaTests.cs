using Workflows.Policies.Tests.Loading;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Formulas;

/// <summary>The formula kinds added for seed 003 (policies 12–23) and 000 at their boundaries: points-score,
/// percentage-by-tier, lesser-of.</summary>
public class Seed003Part2FormulaTests
{
    private const string Points = """
        kind: points-score
        clause: 三1
        awardsClause: 三2
        scales:
          - { fact: base, labelZh: 甲, bands: [ { points: 3 }, { atLeast: 10, points: 5 }, { atLeast: 30, points: 10 } ] }
          - { fact: count, labelZh: 乙, bands: [ { atLeast: 1, points: 2 }, { atLeast: 10, points: 4 } ] }
        awards: [ { amount: 100 }, { atLeast: 7, amount: 200 }, { atLeast: 14, amount: 500 } ]
        """;

    private static Quote QuoteFormula(string formula, FactProfile facts, AwardHistory? history = null, int? cycle = null) =>
        new QuoteEngine(Yaml.Load(Yaml.Formula(formula)), WorkingDayCalendar.Default).Quote(new QuoteRequest("999-p", D("2025-06-30"), facts, history, cycle));

    private static string Block(string yaml) => "\n" + string.Join("\n", yaml.Split('\n').Select(l => "  " + l));

    [Fact]
    public void Registry_HasTheAddedKinds()
    {
        Assert.All(new[] { "points-score", "percentage-by-tier", "lesser-of" }, kind => Assert.Contains(kind, FormulaKinds.All.Keys));
    }

    [Theory]
    [InlineData(0, 1, 100)] // 3 + 2 = 5 → first award band
    [InlineData(9.99, 9, 100)] // 3 + 2 = 5
    [InlineData(10, 1, 200)] // 5 + 2 = 7: award edge, inclusive
    [InlineData(29.99, 10, 200)] // 5 + 4 = 9
    [InlineData(30, 10, 500)] // 10 + 4 = 14
    public void PointsScore_BandEdges_InclusiveBelow(decimal a, int b, decimal expected)
    {
        AssertAmount(expected, QuoteFormula(Block(Points), Of(("base", a), ("count", b))));
    }

    [Fact]
    public void PointsScore_BelowFirstBand_FailsScoreBand()
    {
        AssertFails("score-band", QuoteFormula(Block(Points), Of(("base", 50m), ("count", 0))));
    }

    [Fact]
    public void PointsScore_Trace_ShowsEveryIndicatorAndTheScore()
    {
        var quote = QuoteFormula(Block(Points), Of(("base", 12m), ("count", 3)));

        Assert.Contains(quote.Steps, s => s.TextZh == "甲 12：5 分");
        Assert.Contains(quote.Steps, s => s.TextZh == "乙 3：2 分");
        Assert.Contains(quote.Steps, s => s.TextZh.StartsWith("综合得分 S = 7 分", StringComparison.Ordinal));
        Assert.Equal(500m, Yaml.Load(Yaml.Formula(Block(Points))).Get("999-p").Formula.MaxAmount);
    }

    [Fact]
    public void PointsScore_BandsNotAscending_LoadFailsNamingTheField()
    {
        var e = Yaml.LoadFails(Yaml.Formula(Block(Points.Replace("{ atLeast: 30, points: 10 }", "{ atLeast: 5, points: 10 }", StringComparison.Ordinal))));

        Assert.Contains("scales[0].bands[2].atLeast", e.Message, StringComparison.Ordinal);
        Assert.Contains("ascend", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PointsScore_AwardTableNotFromZero_LoadFails()
    {
        var e = Yaml.LoadFails(Yaml.Formula(Block(Points.Replace("awards: [ { amount: 100 },", "awards: [ { atLeast: 1, amount: 100 },", StringComparison.Ordinal))));

        Assert.Contains("awards[0].atLeast", e.Message, StringComparison.Ordinal);
    }

    private const string ByTier = "{ kind: percentage-by-tier, clause: 第一条, tierFact: level, baseFact: base, tiers: [ { key: low, rate: 0.6 }, { key: high, rate: 1 } ] }";

    [Theory]
    [InlineData("low", 100.01, 60.01)] // 60.006 → 60.01
    [InlineData("high", 100.01, 100.01)]
    public void PercentageByTier_RateChosenByTier(string level, decimal baseAmount, decimal expected)
    {
        AssertAmount(expected, QuoteFormula(ByTier, Of(("level", level), ("base", baseAmount))));
    }

    [Fact]
    public void PercentageByTier_TierNotListed_FailsTier()
    {
        AssertFails("tier", QuoteFormula(ByTier.Replace("{ key: high, rate: 1 } ", string.Empty, StringComparison.Ordinal).Replace("0.6 },", "0.6 }", StringComparison.Ordinal), Of(("level", "high"), ("base", 1m))));
    }

    [Fact]
    public void PercentageByTier_KeyNotInEnum_LoadFails()
    {
        var e = Yaml.LoadFails(Yaml.Formula(ByTier.Replace("key: low", "key: middle", StringComparison.Ordinal)));

        Assert.Contains("'middle' is not a value of enum fact 'level'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PercentageByTier_MaxYearsConsecutive_StopsAfterTheLast()
    {
        var formula = ByTier.Replace("baseFact: base,", "baseFact: base, maxYears: 2, consecutive: true,", StringComparison.Ordinal);
        var yearOne = History(Award("999-p", 2024, 1m));
        var longAgo = History(Award("999-p", 2023, 1m));

        AssertAmount(10m, QuoteFormula(formula, Of(("level", "high"), ("base", 10m)), yearOne));
        AssertFails("max-years", QuoteFormula(formula, Of(("level", "high"), ("base", 10m)), longAgo));
    }

    private const string Lesser = "{ kind: lesser-of, clause: 第一条, caps: { total: 1000 }, of: [ { kind: percentage, clause: 第一条, baseFact: base, rate: 0.5 }, { kind: percentage, clause: 第一条, baseFact: minus, rate: 1.5 } ] }";

    [Theory]
    [InlineData(100, 40, 50)] // 50 < 60
    [InlineData(100, 30, 45)] // 45 < 50
    [InlineData(100, 33.33, 49.995)]
    public void LesserOf_TakesTheLowest(decimal a, decimal b, decimal expectedRaw)
    {
        var quote = QuoteFormula(Lesser, Of(("base", a), ("minus", b)));

        AssertAmount(Money.Round(expectedRaw), quote);
        Assert.Contains(quote.Steps, s => s.TextZh.StartsWith("取以上各项中的较低者", StringComparison.Ordinal));
    }

    [Fact]
    public void LesserOf_OuterTotalCap_AppliesAfterTheMinimum()
    {
        AssertAmount(200m, QuoteFormula(Lesser, Of(("base", 10000m), ("minus", 10000m)), History(Award("999-p", 2024, 800m))));
    }

    [Fact]
    public void LesserOf_OneFormulaOrABenefit_LoadFails()
    {
        var one = Yaml.LoadFails(Yaml.Formula("{ kind: lesser-of, clause: 第一条, of: [ { kind: fixed, clause: 第一条, amount: 1 } ] }"));
        var benefit = Yaml.LoadFails(Yaml.Formula("{ kind: lesser-of, clause: 第一条, of: [ { kind: fixed, clause: 第一条, amount: 1 }, { kind: benefit, clause: 第一条, descriptionZh: 甲, description: A } ] }"));

        Assert.Contains("at least two", one.Message, StringComparison.Ordinal);
        Assert.Contains("of[1].kind", benefit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LesserOf_MaxAmount_IsTheLowestBoundedInner()
    {
        var catalogue = Yaml.Load(Yaml.Formula("{ kind: lesser-of, clause: 第一条, of: [ { kind: fixed, clause: 第一条, amount: 300 }, { kind: percentage, clause: 第一条, baseFact: base, rate: 1 } ] }"));

        Assert.Equal(300m, catalogue.Get("999-p").Formula.MaxAmount);
    }
}
