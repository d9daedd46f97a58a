using Workflows.Policies.Tests.Loading;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Engine;

public class MatcherTests
{
    private static readonly Matcher Matcher = new(TestFacts.Engine);

    [Fact]
    public void Match_LittleGiantProfile_ListsEligibleFirstWithEstimates()
    {
        var profile = Good001(("zjtxLevel", "national-little-giant"), ("rdExpensePreviousYear", 10000000m), ("rdExpense", 11800000m));

        var matches = Matcher.Match(profile, D("2025-06-30"));

        var zjtx = Assert.Single(matches, m => m.Programme.Id == "001-zjtx-award");
        Assert.Equal(QuoteOutcome.Eligible, zjtx.Outcome);
        Assert.Equal(800000m, zjtx.Estimate);
        var rd = Assert.Single(matches, m => m.Programme.Id == "001-rd-growth");
        Assert.Equal(80000m, rd.Estimate);
        Assert.DoesNotContain(matches, m => m.Programme.Id.StartsWith("004-", StringComparison.Ordinal));
        var firstIncomplete = matches.ToList().FindIndex(m => m.Outcome == QuoteOutcome.Incomplete);
        Assert.True(firstIncomplete > 0);
        Assert.All(matches.Skip(firstIncomplete), m => Assert.Equal(QuoteOutcome.Incomplete, m.Outcome));
    }

    [Fact]
    public void Match_IncompleteProgrammes_NameTheMissingFacts()
    {
        var matches = Matcher.Match(Good001(), D("2025-06-30"));

        var bamboo = Assert.Single(matches, m => m.Programme.Id == "001-spring-bamboo-rent");
        Assert.Equal(QuoteOutcome.Incomplete, bamboo.Outcome);
        Assert.Contains(bamboo.MissingFacts, f => f.Name == "headcount" && f.Unit == "人");
        Assert.Contains(bamboo.MissingFacts, f => f.Name == "springBambooRecognised");
    }

    [Fact]
    public void Match_KnownFactRulesAProgrammeOut_LeavesItOut()
    {
        var matches = Matcher.Match(Good001(("springBambooRecognised", false)), D("2025-06-30"));

        Assert.DoesNotContain(matches, m => m.Programme.Id == "001-spring-bamboo-rent");
    }

    [Fact]
    public void Match_GeneralConditionBroken_MatchesNothingThatNeedsIt()
    {
        var matches = Matcher.Match(Good001(("seriousDishonestyListed", true)), D("2025-06-30"));

        Assert.Empty(matches);
    }

    [Fact]
    public void Match_DiscretionaryProgramme_ShowsUpperBound()
    {
        var matches = Matcher.Match(Good001(("futureProjectSelected", true)), D("2025-06-30"));

        var poc = Assert.Single(matches, m => m.Programme.Id == "001-future-industry-poc");
        Assert.True(poc.EstimateIsUpperBound);
        Assert.Equal(2000000m, poc.Estimate);
    }

    [Fact]
    public void Match_TierUnknown_ShowsTheHighestTierAsUpperBound()
    {
        var match = Assert.Single(Matcher.Match(Good001(), D("2025-06-30")), m => m.Programme.Id == "001-zjtx-award");

        Assert.Equal(QuoteOutcome.Incomplete, match.Outcome);
        Assert.True(match.EstimateIsUpperBound);
        Assert.Equal(2000000m, match.Estimate);
    }

    [Fact]
    public void Match_In2024_Uses004()
    {
        var matches = Matcher.Match(Good004(("zjtxLevel", "beijing-zjtx"), ("newlyRelocated", false)), D("2024-06-30"));

        Assert.Equal(200000m, Assert.Single(matches, m => m.Programme.Id == "004-zjtx-award").Estimate);
        Assert.DoesNotContain(matches, m => m.Programme.Id.StartsWith("001-", StringComparison.Ordinal));
    }

    [Fact]
    public void Match_ClaimWindow_ReportsTheDeadline()
    {
        var yaml = Yaml.Document("""
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            stages:
              - { kind: claim-window, duration: { value: 60, days: working }, anchorFact: when, clause: 三 }
            """);
        var matcher = new Matcher(new QuoteEngine(Yaml.Load(yaml), WorkingDayCalendar.Default));

        var match = Assert.Single(matcher.Match(Of(("when", D("2024-09-20"))), D("2024-10-01")));

        var deadline = Assert.Single(match.Deadlines, d => d.Stage == StageKind.ClaimWindow);
        Assert.Equal(D("2024-12-18"), deadline.Date);
    }

    [Fact]
    public void Match_EveryProgramme_ReportsTheLastDayInForceWithItsClause()
    {
        var in2025 = Assert.Single(Matcher.Match(Good001(), D("2025-06-30")), m => m.Programme.Id == "001-zjtx-award");
        var end001 = Assert.Single(in2025.Deadlines, d => d.Stage == StageKind.Application);
        Assert.Equal(D("2027-12-31"), end001.Date);
        Assert.Equal("001 八(三)", end001.Citation.ToString());

        var in2024 = Assert.Single(Matcher.Match(Good004(("newlyRelocated", false)), D("2024-06-30")), m => m.Programme.Id == "004-zjtx-award");
        var end004 = Assert.Single(in2024.Deadlines, d => d.Stage == StageKind.Application);
        Assert.Equal(D("2025-04-10"), end004.Date);
        Assert.Equal("001 八(三)", end004.Citation.ToString());
    }

    [Fact]
    public void Match_MistypedFact_Throws()
    {
        Assert.Throws<FactException>(() => Matcher.Match(Good001(("headcount", "many")), D("2025-06-30")));
    }
}
