using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Engine;

public class QuoteEngineTests
{
    [Fact]
    public void FromJson_NullValue_IsAMissingFact()
    {
        var facts = FactProfile.FromJson("""
            { "operatesInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": null, "zjtxLevel": "beijing-zjtx", "projectKey": "P-1" }
            """);

        var quote = Quote("001-zjtx-award", "2025-06-30", facts);

        Assert.Equal("P-1", facts.ProjectKey);
        Assert.Equal(QuoteOutcome.Incomplete, quote.Outcome);
        Assert.Equal("seriousDishonestyListed", Assert.Single(quote.MissingFacts).Name);
    }

    [Fact]
    public void Quote_FirstStep_NamesDocumentNumberClauseAndCycle()
    {
        var quote = Quote("001-zjtx-award", "2025-06-30", Good001(("zjtxLevel", "beijing-zjtx")));

        var first = quote.Steps[0];
        Assert.Equal("适用《北京经济技术开发区关于进一步激发创新活力 打造高精尖产业主阵地的若干意见》京技管发〔2025〕4号 三(六)：实施创新企业梯度培育计划（专精特新、隐形冠军、单项冠军）（2025 年度）", first.TextZh);
        Assert.Equal("001 三(六)", first.Citation.ToString());
        Assert.Null(first.Amount);
        Assert.Equal(300000m, quote.Steps[^1].Amount);
    }

    [Fact]
    public void Quote_EveryStepCitesASeedClause()
    {
        var quote = Quote("001-rd-growth", "2025-06-30", Good001(("rdExpensePreviousYear", 10000000m), ("rdExpense", 40000000m)));

        Assert.All(quote.Steps, s => Assert.Matches(@"^001 [一二三四五六七八九十]", s.Citation.ToString()));
        Assert.Contains(quote.Steps, s => s.TextEn.StartsWith("Yearly cap", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_ManyThreadsAtOnce_SameAnswers()
    {
        var facts = Good001(("rdExpensePreviousYear", 10000000m), ("rdExpense", 11800000m));
        var amounts = new decimal?[64];

        Parallel.For(0, amounts.Length, i => amounts[i] = Quote("001-rd-growth", "2025-06-30", facts).Amount);

        Assert.All(amounts, a => Assert.Equal(80000m, a));
    }
}
