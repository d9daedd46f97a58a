using static Workflows.Policies.Tests.Catalogue.Seed003Part2;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 12–23: loading and citations; 12 (exit guidance fund, points-scored).</summary>
public partial class Seed003Part2Tests
{
    private const string ExitBase = """{ "pgRegisteredInDistrict": true, "pgInExitPlan": true, """;

    [Fact]
    public void Load_Part2FilesAlone_LoadAndCiteTheirTitle()
    {
        Assert.Equal(Files.Length, Sources().Count());
        Assert.NotEmpty(Loaded.All);
        foreach (var p in Loaded.All)
        {
            Assert.StartsWith("003-pg-", p.Id, StringComparison.Ordinal);
            Assert.StartsWith("003 " + p.Document.TitleZh + " ", p.Citation.ToString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.Bureau), p.Id);
            Assert.All(p.Interpretations, i => Assert.Contains("Test", i.Note ?? string.Empty, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Load_WithoutConfiguredPeriod_QuoteNamesTheDocument()
    {
        var engine = new QuoteEngine(Load(configure: false), WorkingDayCalendar.Default);

        var e = Assert.Throws<EffectivePeriodUnknownException>(() =>
            engine.Quote(new QuoteRequest("003-pg-exit-guidance-fund", On, FactProfile.FromJson("{}"))));

        Assert.Contains("003-tuichu", e.Message, StringComparison.Ordinal);
    }

    private static Quote Exit(decimal energy, decimal tax, decimal land, int employees) =>
        Quote("003-pg-exit-guidance-fund", ExitBase + $$"""
            "pgExitEnergySaving": {{energy}}, "pgExitTaxContribution": {{tax}}, "pgExitLandArea": {{land}}, "pgExitEmployees": {{employees}} }
            """);

    [Fact]
    public void ExitFund_WorkedExample_SumsFourScalesAndReadsTheTable()
    {
        // A 120 吨标煤 → 20; B 200万 → 15; C 25000 m² → 12; D 70 人 → 12; S = 59 → 50 ≤ S < 60 → 90万.
        var quote = Exit(120m, 2000000m, 25000m, 70);

        AssertAmount(quote, 900000m);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains("综合得分 S = 59", StringComparison.Ordinal));
    }

    [Fact]
    public void ExitFund_MinimumOfEveryScale_Scores10AndGets15Wan()
    {
        // 3 + 3 + 2 + 2 = 10: the 5万 row (S < 5) is unreachable.
        AssertAmount(Exit(0m, 0m, 0m, 1), 150000m);
    }

    [Fact]
    public void ExitFund_NoEmployees_FailsScoreBand()
    {
        AssertFails(Exit(600m, 6000000m, 70000m, 0), "score-band");
    }

    [Fact]
    public void ExitFund_FullMarks_Gets300Wan()
    {
        AssertAmount(Exit(500m, 5000000m, 60000m, 100), 3000000m);
    }

    [Fact]
    public void ExitFund_Score95_Gets210Wan()
    {
        // A 499.99 → 25, B 30, C 20, D 20: S = 95 → 90 ≤ S < 100 → 210万; 300万 needs S = 100.
        AssertAmount(Exit(499.99m, 5000000m, 60000m, 100), 2100000m);
    }

    [Theory]
    [InlineData(9.99, 1, 3)]
    [InlineData(10, 1, 5)]
    [InlineData(29.99, 1, 5)]
    [InlineData(30, 1, 10)]
    [InlineData(49.99, 59, 10)]
    [InlineData(50, 59, 15)]
    [InlineData(199.99, 59, 20)]
    [InlineData(200, 59, 25)]
    [InlineData(500, 59, 30)]
    public void ExitFund_BandEdges_AreInclusiveBelow(decimal energy, int employees, int energyPoints)
    {
        var quote = Exit(energy, 0m, 0m, employees);

        Assert.Contains(quote.Steps, s => s.TextZh.StartsWith($"能源节约量 A（吨标煤） {energy}：{energyPoints} 分", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(99999.99, 9999.99, 9, 3 + 3 + 4 + 2)]
    [InlineData(99999.99, 1999.99, 9, 3 + 3 + 2 + 2)]
    [InlineData(100000, 10000, 10, 3 + 5 + 8 + 4)]
    [InlineData(5000000, 60000, 100, 3 + 30 + 20 + 20)]
    public void ExitFund_TaxLandEmployeeEdges_ScoreAsPrinted(decimal tax, decimal land, int employees, int expectedScore)
    {
        var quote = Exit(0m, tax, land, employees);

        Assert.Contains(quote.Steps, s => s.TextZh.Contains($"综合得分 S = {expectedScore} 分", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10, 0, 0, 1, 12, 150000)] // S = 5 + 3 + 2 + 2 = 12 → 5 ≤ S < 20
    [InlineData(30, 100000, 10000, 10, 27, 300000)] // 10 + 5 + 8 + 4 = 27 → 20 ≤ S < 35
    [InlineData(50, 500000, 10000, 10, 37, 600000)] // 15 + 10 + 8 + 4 = 37 → 35 ≤ S < 50
    [InlineData(100, 1500000, 20000, 30, 55, 900000)] // 20 + 15 + 12 + 8 = 55
    [InlineData(200, 1500000, 20000, 30, 60, 1200000)] // 25 + 15 + 12 + 8 = 60 (edge)
    [InlineData(200, 3000000, 20000, 60, 69, 1200000)] // 25 + 20 + 12 + 12 = 69
    [InlineData(200, 3000000, 35000, 60, 73, 1500000)] // 25 + 20 + 16 + 12 = 73
    [InlineData(500, 4000000, 35000, 80, 87, 1800000)] // 30 + 25 + 16 + 16 = 87
    [InlineData(500, 5000000, 35000, 80, 92, 2100000)] // 30 + 30 + 16 + 16 = 92
    public void ExitFund_Scores_MapToTheAwardTable(decimal energy, decimal tax, decimal land, int employees, int score, decimal expected)
    {
        var quote = Exit(energy, tax, land, employees);

        AssertAmount(quote, expected);
        Assert.Contains(quote.Steps, s => s.TextZh.Contains($"综合得分 S = {score} 分", StringComparison.Ordinal));
    }

    [Fact]
    public void ExitFund_NotInExitPlan_FailsRule()
    {
        var quote = Quote("003-pg-exit-guidance-fund", """
            { "pgRegisteredInDistrict": true, "pgInExitPlan": false, "pgExitEnergySaving": 1, "pgExitTaxContribution": 1, "pgExitLandArea": 1, "pgExitEmployees": 1 }
            """);

        AssertFails(quote, "in-exit-plan");
    }
}
