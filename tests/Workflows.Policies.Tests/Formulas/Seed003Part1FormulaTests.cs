using Workflows.Policies.Tests.Loading;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Formulas;

/// <summary>The formula additions made for seed 003 (policies 1–11) at their boundaries: fixed-by-bracket, percentage
/// brackets and year limits, rent subsidy without an area cap, non-yuan bases shown in their unit.</summary>
public class Seed003Part1FormulaTests
{
    private const string Brackets = """
        { kind: fixed-by-bracket, clause: 第一条, valueFact: base, brackets: [ { atLeast: 100, amount: 10 }, { atLeast: 500, amount: 30 }, { above: 1000, amount: 50 } ] }
        """;

    private const string RateBrackets = """
        { kind: percentage, clause: 第一条, baseFact: base, brackets: [ { atLeast: 500, rate: 0.05, cap: 50 }, { above: 1000, rate: 0.08, cap: 100 } ] }
        """;

    private static Quote QuoteFormula(string formula, FactProfile facts, AwardHistory? history = null, string on = "2025-06-30") =>
        new QuoteEngine(Yaml.Load(Yaml.Formula(formula)), WorkingDayCalendar.Default).Quote(new QuoteRequest("999-p", D(on), facts, history));

    [Theory]
    [InlineData(100, 10)]
    [InlineData(499.99, 10)]
    [InlineData(500, 30)]
    [InlineData(1000, 30)] // 'above' excludes its edge
    [InlineData(1000.01, 50)]
    [InlineData(99999, 50)]
    public void FixedByBracket_AtAndAroundEachEdge_PaysTheReachedBracket(decimal value, decimal expected)
    {
        AssertAmount(expected, QuoteFormula(Brackets, Of(("base", value))));
    }

    [Fact]
    public void FixedByBracket_BelowLowestEdge_FailsRuleBracket()
    {
        var quote = QuoteFormula(Brackets, Of(("base", 99.99m)));

        Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
        var failure = Assert.Single(quote.FailedRules);
        Assert.Equal("bracket", failure.RuleId);
        Assert.Contains("≥ ¥100.00", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ kind: fixed-by-bracket, clause: 第一条, valueFact: base, brackets: [ { atLeast: 500, amount: 30 }, { atLeast: 100, amount: 10 } ] }", "rising order")]
    [InlineData("{ kind: fixed-by-bracket, clause: 第一条, valueFact: base, brackets: [ { atLeast: 100, above: 100, amount: 10 } ] }", "exactly one of atLeast")]
    [InlineData("{ kind: fixed-by-bracket, clause: 第一条, valueFact: base, brackets: [] }", "must not be empty")]
    [InlineData("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.1, brackets: [ { atLeast: 1, rate: 0.1 } ] }", "either rate or brackets")]
    [InlineData("{ kind: percentage, clause: 第一条, baseFact: base }", "either rate or brackets")]
    [InlineData("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.1, maxYears: 0 }", "must be > 0")]
    [InlineData("{ kind: rent-subsidy, clause: 第一条, rateFact: base, areaFact: base, daysFact: count, maxRate: 1, maxArea: 10, areaCaps: [ { headcountBelow: 5, maxArea: 1 } ], headcountFact: count }", "not both")]
    public void Load_BadBracketsOrLimits_FailsNamingTheProblem(string formula, string expected)
    {
        var error = Yaml.LoadFails(Yaml.Formula(formula));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("999-p", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(499.99, "bracket")]
    [InlineData(500, "25")]
    [InlineData(1000, "50")]     // 5 % × 1000 = 50, the bracket's cap exactly
    [InlineData(1000.01, "80")]  // 8 % × 1000.01 = 80.0008 → 80.00
    [InlineData(1250, "100")]
    [InlineData(5000, "100")]    // capped
    public void PercentageBrackets_RateAndCapOfTheReachedBracket(decimal value, string expected)
    {
        var quote = QuoteFormula(RateBrackets, Of(("base", value)));

        if (expected == "bracket")
        {
            Assert.Equal(QuoteOutcome.NotEligible, quote.Outcome);
            Assert.Equal("bracket", Assert.Single(quote.FailedRules).RuleId);
        }
        else
        {
            AssertAmount(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), quote);
        }
    }

    [Theory]
    [InlineData(new[] { 2023, 2024 }, "max-years")] // 2025 would be a third year
    [InlineData(new[] { 2024 }, "100")]
    [InlineData(new[] { 2020 }, "100")]            // not consecutive: any two years
    public void PercentageMaxYears_CountsEarlierAwardYears(int[] earlierYears, string expected)
    {
        var history = new AwardHistory(earlierYears.Select(y => Award("999-p", y, 1m)).ToList());

        var quote = QuoteFormula("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.5, maxYears: 2 }", Of(("base", 200m)), history);

        if (expected == "max-years")
        {
            Assert.Equal("max-years", Assert.Single(quote.FailedRules).RuleId);
        }
        else
        {
            AssertAmount(100m, quote);
        }
    }

    [Theory]
    [InlineData(2023, true)]  // 2023, 2024, 2025: third consecutive year
    [InlineData(2022, false)] // 2025 would be year 4 counted from 2022
    public void PercentageMaxYearsConsecutive_CountsFromTheFirstAward(int firstYear, bool eligible)
    {
        var history = new AwardHistory([Award("999-p", firstYear, 1m)]);

        var quote = QuoteFormula("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.5, maxYears: 3, consecutive: true }", Of(("base", 200m)), history);

        Assert.Equal(eligible, quote.Eligible);
        if (!eligible)
        {
            Assert.Equal("max-years", Assert.Single(quote.FailedRules).RuleId);
        }
    }

    [Fact]
    public void RentSubsidy_NoAreaCap_CountsTheWholeArea()
    {
        var quote = QuoteFormula(
            "{ kind: rent-subsidy, clause: 第一条, rateFact: base, areaFact: minus, daysFact: count, maxRate: 1 }",
            Of(("base", 1.2m), ("minus", 50000m), ("count", 30)));

        AssertAmount(1500000m, quote); // min(1.2, 1) × 50,000 m² × 30 days
        Assert.Null(quote.Programme.Formula.MaxAmount);
    }

    [Fact]
    public void Percentage_BaseInAnotherUnit_StepShowsTheUnitNotYuan()
    {
        const string yaml = """
            document:
              id: "999"
              seed: 999_test.txt
              titleZh: 测试文件
              nameEn: Test document
              issuer: 测试
              effective: { from: 2024-01-01, to: 2026-12-31, clause: 附则 }
            facts:
              usd: { type: decimal, unit: 美元, min: 0, meaning: "US dollars" }
            programmes:
              - id: 999-p
                titleZh: 测试项目
                nameEn: Test programme
                bureau: 测试局
                clause: 第一条
                applicant: enterprise
                disbursement: { mode: on-application, clause: 第一条 }
                formula: { kind: percentage, clause: 第一条, baseFact: usd, rate: 0.02 }
            """;

        var quote = new QuoteEngine(Yaml.Load(yaml), WorkingDayCalendar.Default).Quote(new QuoteRequest("999-p", D("2025-06-30"), Of(("usd", 5500000m))));

        AssertAmount(110000m, quote);
        Assert.Contains(quote.Steps, s => s.TextEn == "5,500,000 美元 × 2% = ¥110,000.00");
    }
}
