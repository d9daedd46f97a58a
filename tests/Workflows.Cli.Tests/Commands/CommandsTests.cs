using System.Text.Json;
using static Workflows.Cli.Tests.CliRunner;

namespace Workflows.Cli.Tests.Commands;

public class CommandsTests
{
    private const string Good001 = """
        { "operatesInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": false,
          "zjtxLevel": "national-little-giant", "rdExpensePreviousYear": 10000000, "rdExpense": 11800000 }
        """;

    [Fact]
    public void Programmes_Json_ListsEveryProgrammeWithCitationVersionPeriodKindAndFacts()
    {
        var (exit, output, error) = Run("programmes", "--json");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        using var doc = JsonDocument.Parse(output);
        var rd = doc.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "001-rd-growth");
        Assert.Equal("001 三(七)", rd.GetProperty("citation").GetString());
        Assert.Equal("001", rd.GetProperty("version").GetProperty("document").GetString());
        Assert.Equal("京技管发〔2025〕4号", rd.GetProperty("version").GetProperty("number").GetString());
        Assert.Equal("2025-04-11", rd.GetProperty("effective").GetProperty("from").GetString());
        Assert.Equal("banded-rate", rd.GetProperty("formula").GetProperty("kind").GetString());
        Assert.Contains(rd.GetProperty("facts").EnumerateArray(), f => f.GetProperty("name").GetString() == "rdExpensePreviousYear" && f.GetProperty("unit").GetString() == "元");
        var old = doc.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "004-zjtx-award");
        Assert.Equal("2025-04-10", old.GetProperty("effective").GetProperty("to").GetString());
    }

    [Fact]
    public void Programmes_On2024_ListsOnly004()
    {
        var (exit, output, _) = Run("programmes", "--on", "2024-06-30");

        Assert.Equal(0, exit);
        Assert.Contains("004-zjtx-award", output, StringComparison.Ordinal);
        Assert.DoesNotContain("001-zjtx-award", output, StringComparison.Ordinal);
        Assert.Contains("004 第一条", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Programmes_BadDate_ExitsTwoNamingIt()
    {
        var (exit, output, error) = Run("programmes", "--on", "2024-13-01");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("--on: '2024-13-01' is not a date", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_Json_AmountStepsAndCitations()
    {
        using var facts = new TempFile(Good001);

        var (exit, output, error) = Run("quote", "--programme", "001-rd-growth", "--on", "2025-06-30", "--facts", facts.Path, "--json");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("eligible").GetBoolean());
        Assert.Equal(80000m, root.GetProperty("amount").GetDecimal());
        Assert.Contains(root.GetProperty("steps").EnumerateArray(), s => s.GetProperty("citation").GetString() == "001 三(七)");
    }

    [Fact]
    public void Quote_WithHistory_PaysThePromotionDifference()
    {
        using var facts = new TempFile(Good001);
        using var history = new TempFile("""[ { "programmeId": "004-zjtx-award", "cycleYear": 2024, "amount": 200000, "date": "2024-09-30", "tier": "beijing-zjtx" } ]""");

        var (exit, output, _) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path, "--history", history.Path);

        Assert.Equal(0, exit);
        Assert.Contains("¥600,000.00", output, StringComparison.Ordinal);
        Assert.Contains("晋级享受差额", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_NotEligible_ExitsZeroAndNamesTheRule()
    {
        using var facts = new TempFile(Good001.Replace("\"seriousDishonestyListed\": false", "\"seriousDishonestyListed\": true", StringComparison.Ordinal));

        var (exit, output, _) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path);

        Assert.Equal(0, exit);
        Assert.Contains("NotEligible", output, StringComparison.Ordinal);
        Assert.Contains("not-seriously-dishonest", output, StringComparison.Ordinal);
        Assert.Contains("001 八(一)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001-nope", "2025-06-30", "Unknown programme '001-nope'")]
    [InlineData("004-zjtx-award", "2025-06-30", "not in force on 2025-06-30")]
    [InlineData("001-zjtx-award", "2028-01-02", "not in force on 2028-01-02")]
    public void Quote_BadProgrammeOrDate_ExitsTwo(string programme, string on, string message)
    {
        using var facts = new TempFile(Good001);

        var (exit, output, error) = Run("quote", "--programme", programme, "--on", on, "--facts", facts.Path);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "operatesInArea": "yes" }""", "Fact 'operatesInArea'")]
    [InlineData("""{ "zjtxLevel": "gold" }""", "'gold' is not one of")]
    [InlineData("""[1, 2]""", "must be one JSON object")]
    [InlineData("""{ "zjtxLevel": """, "not valid JSON")]
    public void Quote_BadFacts_ExitsTwoNamingTheProblem(string json, string message)
    {
        using var facts = new TempFile(json);

        var (exit, _, error) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_MissingFact_ExitsTwoNamingItsTypeAndMeaning()
    {
        using var facts = new TempFile("""{ "operatesInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": false }""");

        var (exit, _, error) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path);

        Assert.Equal(2, exit);
        Assert.Contains("missing facts for 001-zjtx-award: zjtxLevel (one of:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_MissingFactsFile_ExitsTwo()
    {
        var (exit, _, error) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", "/nonexistent/facts.json");

        Assert.Equal(2, exit);
        Assert.Contains("--facts: cannot read '/nonexistent/facts.json'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_BadHistoryEntry_ExitsTwoNamingIndexAndKey()
    {
        using var facts = new TempFile(Good001);
        using var history = new TempFile("""[ { "programmeId": "001-zjtx-award", "cycleYear": 2025, "amount": -5, "date": "2025-01-01" } ]""");

        var (exit, _, error) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path, "--history", history.Path);

        Assert.Equal(2, exit);
        Assert.Contains("history[0].amount", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_MissingRequiredOption_ExitsNonZero()
    {
        var (exit, _, error) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30");

        Assert.NotEqual(0, exit);
        Assert.Contains("--facts", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_CarryOverCycle_IsAccepted()
    {
        using var facts = new TempFile(Good001);

        var (exit, output, _) = Run("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path, "--cycle", "2024", "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2024, doc.RootElement.GetProperty("cycleYear").GetInt32());
        Assert.Equal(800000m, doc.RootElement.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public void Match_Json_EligibleWithEstimatesAndIncompleteWithMissingFacts()
    {
        using var facts = new TempFile(Good001);

        var (exit, output, _) = Run("match", "--facts", facts.Path, "--on", "2025-06-30", "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var all = doc.RootElement.EnumerateArray().ToList();
        var zjtx = all.Single(m => m.GetProperty("programme").GetString() == "001-zjtx-award");
        Assert.Equal("Eligible", zjtx.GetProperty("outcome").GetString());
        Assert.Equal(800000m, zjtx.GetProperty("estimate").GetDecimal());
        var bamboo = all.Single(m => m.GetProperty("programme").GetString() == "001-spring-bamboo-rent");
        Assert.Equal("Incomplete", bamboo.GetProperty("outcome").GetString());
        Assert.Contains(bamboo.GetProperty("missingFacts").EnumerateArray(), f => f.GetProperty("name").GetString() == "headcount");
    }

    [Fact]
    public void Match_Text_SaysWhatIsStillUnknown()
    {
        using var facts = new TempFile(Good001);

        var (exit, output, _) = Run("match", "--facts", facts.Path, "--on", "2025-06-30");

        Assert.Equal(0, exit);
        Assert.Contains("still unknown: ", output, StringComparison.Ordinal);
        Assert.Contains("programmes may apply on 2025-06-30", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-09-30", "1", "2024-10-08")]
    [InlineData("2025-01-27", "4", "2025-02-08")]
    public void WorkdaysAdd_AcrossHolidays(string from, string days, string expected)
    {
        var (exit, output, _) = Run("workdays", "add", "--from", from, "--days", days);

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public void WorkdaysBetween_Json()
    {
        var (exit, output, _) = Run("workdays", "between", "--from", "2025-01-25", "--to", "2025-02-09", "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(6, doc.RootElement.GetProperty("workingDays").GetInt32());
    }

    [Fact]
    public void Workdays_Into2027_ExitsTwoNamingTheYear()
    {
        var (exit, output, error) = Run("workdays", "add", "--from", "2026-12-30", "--days", "5");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("2027", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkdaysBetween_ToBeforeFrom_ExitsTwo()
    {
        var (exit, _, error) = Run("workdays", "between", "--from", "2025-02-09", "--to", "2025-01-25");

        Assert.Equal(2, exit);
        Assert.Contains("is before --from", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DescribesFactsAndHistoryFiles()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("Facts files are one JSON object", output, StringComparison.Ordinal);
        Assert.Contains("workdays", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Period_BadFormat_ExitsTwo()
    {
        var (exit, _, error) = Run("programmes", "--period", "000:2024");

        Assert.Equal(2, exit);
        Assert.Contains("expected DOC=FROM..TO", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Period_ForADocument_ChangesItsPeriod()
    {
        var (exit, output, _) = Run("programmes", "--period", "001=2025-05-01..2026-12-31", "--on", "2025-04-20");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("001-zjtx-award", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Executable_RealProcess_QuotesAndFailsWithExitCodes()
    {
        using var facts = new TempFile(Good001);

        var ok = RunProcess("quote", "--programme", "001-zjtx-award", "--on", "2025-06-30", "--facts", facts.Path, "--json");
        Assert.True(ok.Exit == 0, ok.Err);
        using (var doc = JsonDocument.Parse(ok.Out))
        {
            Assert.Equal(800000m, doc.RootElement.GetProperty("amount").GetDecimal());
        }

        var bad = RunProcess("workdays", "add", "--from", "2026-12-30", "--days", "5");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("2027", bad.Err, StringComparison.Ordinal);
    }
}
