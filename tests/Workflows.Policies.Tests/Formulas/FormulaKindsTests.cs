using Workflows.Policies.Tests.Loading;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Formulas;

/// <summary>Each formula kind at its boundaries, on small test catalogues.</summary>
public class FormulaKindsTests
{
    private static Quote QuoteOf(string yaml, FactProfile facts, string on = "2025-06-30", AwardHistory? history = null, int? cycle = null) =>
        new QuoteEngine(Yaml.Load(yaml), WorkingDayCalendar.Default).Quote(new QuoteRequest("999-p", D(on), facts, history, cycle));

    private static Quote QuoteFormula(string formula, FactProfile facts, string on = "2025-06-30", AwardHistory? history = null) =>
        QuoteOf(Yaml.Formula(formula), facts, on, history);

    [Fact]
    public void Registry_HasEveryDocumentedKind()
    {
        string[] documented =
        [
            "fixed", "fixed-by-tier", "percentage", "banded-rate", "per-unit", "rent-subsidy", "matching", "interest-subsidy",
            "instalments", "promotion-difference", "conversion-difference", "discretionary", "benefit",
        ];

        Assert.All(documented, kind => Assert.Contains(kind, FormulaKinds.All.Keys));
    }

    [Theory]
    [InlineData(99.99, 0)]
    [InlineData(100, 10)]
    [InlineData(100.01, 10)] // 10.001 rounds to 10.00
    public void Percentage_MinBase_BelowGivesNothing(decimal baseAmount, decimal expected)
    {
        AssertAmount(expected, QuoteFormula("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.1, minBase: 100 }", Of(("base", baseAmount))));
    }

    [Theory]
    [InlineData(100.05, 50.03)] // 50.025 → 50.03 (half away from zero)
    [InlineData(100.03, 50.02)] // 50.015 → 50.02
    [InlineData(100.01, 50.01)] // 50.005 → 50.01
    public void Rounding_ToFen_HalfAwayFromZero(decimal baseAmount, decimal expected)
    {
        var quote = QuoteFormula("{ kind: percentage, clause: 第一条, baseFact: base, rate: 0.5 }", Of(("base", baseAmount)));

        AssertAmount(expected, quote);
        Assert.Contains(quote.Steps, s => s.TextZh.StartsWith("四舍五入至分", StringComparison.Ordinal));
    }

    [Fact]
    public void Percentage_BaseMinusFact_NegativeBaseGivesZero()
    {
        AssertAmount(0m, QuoteFormula("{ kind: percentage, clause: 第一条, baseFact: base, baseMinusFact: minus, rate: 0.2 }", Of(("base", 5m), ("minus", 10m))));
    }

    [Theory]
    [InlineData(3, 30000)]
    [InlineData(20, 200000)]
    [InlineData(21, 200000)] // maxUnits 20
    [InlineData(0, 0)]
    public void PerUnit_CountTimesAmount_AtMostMaxUnits(int count, decimal expected)
    {
        AssertAmount(expected, QuoteFormula("{ kind: per-unit, clause: 第一条, countFact: count, amountPerUnit: 10000, maxUnits: 20 }", Of(("count", count))));
    }

    [Fact]
    public void PerUnit_TotalCap_CountsEarlierYears()
    {
        var history = History(Award("999-p", 2024, 250000m));

        AssertAmount(50000m, QuoteFormula("{ kind: per-unit, clause: 第一条, countFact: count, amountPerUnit: 10000, caps: { total: 300000 } }", Of(("count", 10)), history: history));
    }

    [Theory]
    [InlineData(10000000, null, 200000)]
    [InlineData(10000000, 150000.0, 150000)]   // actual interest lower
    [InlineData(50000000, null, 500000)]       // yearly cap
    [InlineData(25000000, null, 500000)]       // exactly at the cap
    [InlineData(24999999, null, 499999.98)]
    public void InterestSubsidy_TwoPercentOfLoan_ActualInterestWhenLower_YearlyCap(decimal loan, double? interest, decimal expected)
    {
        var facts = Of(("loan", loan));
        if (interest is { } i)
        {
            facts = facts.With("interest", FactValue.Of((decimal)i));
        }

        AssertAmount(expected, QuoteFormula("{ kind: interest-subsidy, clause: 第一条, loanFact: loan, interestFact: interest, rate: 0.02, yearlyCap: 500000, maxYears: 3 }", facts));
    }

    [Fact]
    public void InterestSubsidy_FourthYear_Fails()
    {
        const string formula = "{ kind: interest-subsidy, clause: 第一条, loanFact: loan, rate: 0.02, maxYears: 3 }";
        var twoYears = History(Award("999-p", 2024, 1m), Award("999-p", 2025, 1m));
        AssertAmount(2000m, QuoteFormula(formula, Of(("loan", 100000m)), "2026-03-01", twoYears));

        var threeYears = History(Award("999-p", 2023, 1m), Award("999-p", 2024, 1m), Award("999-p", 2025, 1m));
        AssertFails("max-years", QuoteFormula(formula, Of(("loan", 100000m)), "2026-03-01", threeYears));
    }

    [Fact]
    public void Instalments_Fractions_LastTakesTheRemainder()
    {
        var yaml = Yaml.Document("""
            formula: { kind: instalments, clause: 第一条, of: { kind: fixed, clause: 第一条, amount: 100.01 }, schedule: [ { year: 1, fraction: 0.4 }, { year: 2, fraction: 0.3 }, { year: 3, fraction: 0.3 } ] }
            """).Replace("disbursement: { mode: on-application", "disbursement: { mode: instalments", StringComparison.Ordinal);

        var quote = QuoteOf(yaml, FactProfile.Empty);

        AssertAmount(100.01m, quote);
        Assert.Equal([new Instalment(1, 2025, 40.00m), new Instalment(2, 2026, 30.00m), new Instalment(3, 2027, 30.01m)], quote.Instalments);
        Assert.Equal(DisbursementMode.Instalments, quote.Disbursement);
    }

    [Fact]
    public void Instalments_FixedAmountsForTwoConsecutiveYears()
    {
        var yaml = Yaml.Document("""
            formula: { kind: instalments, clause: 第一条, schedule: [ { year: 1, amount: 100000 }, { year: 2, amount: 100000 } ] }
            """).Replace("disbursement: { mode: on-application", "disbursement: { mode: instalments", StringComparison.Ordinal);

        var quote = QuoteOf(yaml, FactProfile.Empty);

        AssertAmount(200000m, quote);
        Assert.Equal([new Instalment(1, 2025, 100000m), new Instalment(2, 2026, 100000m)], quote.Instalments);
    }

    [Fact]
    public void Instalments_TotalCappedByEarlierAwards_ScheduleKeepsItsProportions()
    {
        var yaml = Yaml.Document("""
            formula: { kind: instalments, clause: 第一条, of: { kind: fixed, clause: 第一条, amount: 300000 }, schedule: [ { year: 1, fraction: 0.5 }, { year: 2, fraction: 0.5 } ], caps: { total: 400000 } }
            """).Replace("disbursement: { mode: on-application", "disbursement: { mode: instalments", StringComparison.Ordinal);

        var quote = QuoteOf(yaml, FactProfile.Empty, history: History(Award("999-p", 2024, 200000m)));

        AssertAmount(200000m, quote);
        Assert.Equal([new Instalment(1, 2025, 100000m), new Instalment(2, 2026, 100000m)], quote.Instalments);
    }

    [Fact]
    public void OneOffAward_HasOneInstalmentInItsCycle()
    {
        var quote = QuoteFormula("{ kind: fixed, clause: 第一条, amount: 7 }", FactProfile.Empty);

        Assert.Equal([new Instalment(1, 2025, 7m)], quote.Instalments);
    }

    [Fact]
    public void ConversionDifference_CreditsEarlierAwardOfTheNamedProgramme()
    {
        var yaml = Yaml.Formula("{ kind: conversion-difference, clause: 第一条, of: { kind: fixed, clause: 第一条, amount: 5000000 }, creditProgrammes: [999-p] }");

        AssertAmount(5000000m, QuoteOf(yaml, FactProfile.Empty));
        AssertAmount(4000000m, QuoteOf(yaml, FactProfile.Empty, history: History(Award("999-p", 2024, 1000000m))));
        AssertFails("already-paid", QuoteOf(yaml, FactProfile.Empty, history: History(Award("999-p", 2024, 5000000m))));
    }

    [Fact]
    public void DatedParameter_ValueInForceOnTheQuoteDate_CitesItsClause()
    {
        const string formula = """{ kind: fixed, clause: 第一条, amount: [ { from: 2024-01-01, to: 2025-06-30, value: 100, clause: 第一条 }, { from: 2025-07-01, value: 150, clause: 补充通知 } ] }""";

        AssertAmount(100m, QuoteFormula(formula, FactProfile.Empty, "2025-06-30"));
        var later = QuoteFormula(formula, FactProfile.Empty, "2025-07-01");
        AssertAmount(150m, later);
        Assert.Contains(later.Steps, s => s.Citation.ToString() == "999 补充通知" && s.Amount == 150m);
    }

    [Fact]
    public void DatedParameter_DateNotCovered_Throws()
    {
        const string formula = """{ kind: fixed, clause: 第一条, amount: [ { from: 2025-01-01, value: 100 } ] }""";

        var e = Assert.Throws<ParameterNotInForceException>(() => QuoteFormula(formula, FactProfile.Empty, "2024-06-30"));
        Assert.Contains("formula.amount", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaimWindow_SixtyWorkingDaysAfterAnchor_LateClaimLapses()
    {
        var yaml = Yaml.Document("""
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            stages:
              - { kind: claim-window, duration: { value: 60, days: working }, anchorFact: when, clause: 三 }
            """);

        var inTime = QuoteOf(yaml, Of(("when", D("2024-09-20"))), "2024-12-18");
        AssertAmount(1m, inTime);
        Assert.Equal(D("2024-12-18"), Assert.Single(inTime.Deadlines, d => d.Stage == StageKind.ClaimWindow).Date);

        var late = QuoteOf(yaml, Of(("when", D("2024-09-20"))), "2024-12-19");
        AssertFails("claim-window", late);
        Assert.Contains("逾期视为自动放弃", late.FailedRules.Single().MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaimWindow_DeadlineIn2027_IsReportedAsUnknownNotGuessed()
    {
        var yaml = Yaml.Document("""
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            stages:
              - { kind: claim-window, duration: { value: 60, days: working }, anchorFact: when, clause: 三 }
            """);

        var quote = QuoteOf(yaml, Of(("when", D("2026-11-20"))), "2026-12-01");

        var deadline = Assert.Single(quote.Deadlines, d => d.Stage == StageKind.ClaimWindow);
        Assert.Null(deadline.Date);
        Assert.Contains("2027", deadline.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whole-increase", "flat-by-band", 180000)] // 10% × 1,800,000
    [InlineData("excess-over-threshold", "marginal", 55000)] // 5% × 500,000 + 10% × 300,000
    [InlineData("excess-over-threshold", "flat-by-band", 80000)]
    public void RdGrowth001_OtherReadings_ShowTheirAmounts(string baseReading, string rateMode, decimal expected)
    {
        var embedded = ProgrammeCatalogue.EmbeddedSources();
        var text001 = embedded.Single(s => s.Name == "Catalogue/001-2025-opinions.yaml").Yaml
            .Replace("base: excess-over-threshold", $"base: {baseReading}", StringComparison.Ordinal)
            .Replace("rateMode: flat-by-band", $"rateMode: {rateMode}", StringComparison.Ordinal);
        var catalogue = ProgrammeCatalogue.FromYaml(embedded.Single(s => s.Name == "Catalogue/004-zjtx-hitech-2023.yaml"), new CatalogueSource("Catalogue/001-2025-opinions.yaml", text001));
        var facts = Good001(("rdExpensePreviousYear", 10000000m), ("rdExpense", 11800000m));

        var quote = new QuoteEngine(catalogue, WorkingDayCalendar.Default).Quote(new QuoteRequest("001-rd-growth", D("2025-06-30"), facts));

        AssertAmount(expected, quote);
    }

    [Fact]
    public void Discretionary_ConditionalBoundWithUnknownCondition_IsIncomplete()
    {
        var quote = Quote("001-baicaixin", "2025-06-30", Good001(("baicaixinRecognised", true), ("rdInvestment", 200000000m), ("decidedAmount", 1m)));

        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Contains(quote.MissingFacts, f => f.Name == "outstandingDriver");
    }
}
