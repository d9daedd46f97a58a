using FsCheck;
using FsCheck.Fluent;
using static Workflows.Policies.Tests.Catalogue.Seed003Part1;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Property tests over seed 003 policies 1–11: no award exceeds its caps, whatever the facts and history.</summary>
public class Seed003Part1PropertyTests
{
    /// <summary>Bool facts whose "good" value is false (a penalty, an exclusion, an accident …).</summary>
    private static readonly string[] NegativeFacts =
    [
        "pgPublicInstitutionOrOrgan", "pgDisqualifiedForViolation", "pgFundedTwoYearsWithoutExports", "pgDishonestConduct",
        "pgFinancialViolationPenaltyWithin3Years", "pgOperatorOrRepresentativeSeriouslyDishonest", "pgPilotBaseAccident",
        "pgMaintainedOnReview", "seriousDishonestyListed",
    ];

    public static TheoryData<string> CappedProgrammes()
    {
        var data = new TheoryData<string>();
        foreach (var p in Loaded.All.Where(p => p.Formula.IsMonetary && p.Formula.MaxAmount is not null))
        {
            data.Add(p.Id);
        }

        return data;
    }

    [Fact]
    public void CappedProgrammes_IncludeEveryKindWithACap()
    {
        var ids = CappedProgrammes().Cast<object[]>().Select(row => (string)row[0]).ToList();

        Assert.Contains("003-pg-listing-main-board", ids);   // conversion-difference
        Assert.Contains("003-pg-gjj-rnd", ids);              // percentage brackets
        Assert.Contains("003-pg-trade-odi", ids);            // fixed-by-bracket
        Assert.Contains("003-pg-fdi-cash", ids);             // shared yearly cap
        Assert.Contains("003-pg-sme-zjtx", ids);             // promotion-difference
        Assert.Contains("003-pg-fin-setup", ids);            // discretionary with bound
        Assert.True(ids.Count >= 55, $"only {ids.Count} capped programmes");
    }

    [Theory]
    [MemberData(nameof(CappedProgrammes))]
    public void Quote_AnyFactsAndHistory_NeverExceedsTheCaps(string programmeId)
    {
        var programme = Loaded.Get(programmeId);
        var max = programme.Formula.MaxAmount!.Value;
        var caps = programme.Formula.Caps;
        var gen =
            from facts in Gen.CollectToList(programme.Facts.Select(def => ValueGen(def).Select(v => (def.Name, v))))
            from history in HistoryGen(programme, max)
            select (facts: new FactProfile(facts.ToDictionary(p => p.Name, p => p.v)), history);

        // Some programmes pay only when several generated facts line up; a run of 100 cases can miss every paid case.
        // Each round checks the caps on 100 fresh cases; rounds repeat (at most 10) until a paid case has been seen.
        var paid = 0;
        for (int round = 0; round < 10 && paid == 0; round++)
        {
            Prop.ForAll(gen.ToArbitrary(), input =>
            {
                var quote = Seed003Part1.Engine.Quote(new QuoteRequest(programmeId, On, input.facts, input.history));
                if (quote.Amount is not { } amount)
                {
                    return true;
                }

                if (amount > 0m)
                {
                    Interlocked.Increment(ref paid);
                }

                var sameYear = input.history.Awards.Where(a => a.CycleYear == On.Year).Sum(a => a.Amount);
                var ever = input.history.Awards.Sum(a => a.Amount);
                return amount >= 0m && amount <= max
                    && (caps?.PerYear is null || amount == 0m || amount + sameYear <= caps.PerYear.Max)
                    && (caps?.Total is null || amount == 0m || amount + ever <= caps.Total.Max);
            }).QuickCheckThrowOnFailure();
        }

        Assert.True(paid > 0, $"no generated case of {programmeId} was paid in 10 rounds");
    }

    private static Gen<FactValue> ValueGen(FactDefinition def)
    {
        switch (def.Type)
        {
            case FactType.Bool:
                var good = !NegativeFacts.Contains(def.Name);
                return Gen.Frequency((19, Gen.Constant(good)), (1, Gen.Constant(!good))).Select(FactValue.Of);
            case FactType.Integer:
                var lo = (int)(def.Min ?? 0m);
                var hi = (int)Math.Min(def.Max ?? 60m, 60m);
                return Gen.Frequency((2, Gen.Choose(lo, Math.Min(hi, lo + 3))), (1, Gen.Choose(lo, hi))).Select(i => FactValue.Of((long)i));
            case FactType.Decimal when def.Unit == "ratio":
                return Gen.Choose(0, 100).Select(p => FactValue.Of(p / 100m));
            case FactType.Decimal:
                return
                    from units in Gen.Choose(0, 10_000)
                    from scale in Gen.Elements(1m, 100m, 10_000m, 100_000m, 1_000_000m)
                    select FactValue.Of(Math.Min(units * scale, def.Max ?? decimal.MaxValue));
            case FactType.Enum:
                return Gen.Elements(def.Values.ToArray()).Select(FactValue.Of);
            case FactType.Date:
                return Gen.Choose(0, 120).Select(d => FactValue.Of(On.AddDays(-d)));
            default:
                return Gen.Constant(FactValue.Of("x"));
        }
    }

    private static Gen<AwardHistory> HistoryGen(Programme programme, decimal max)
    {
        var award =
            from year in Gen.Choose(On.Year - 2, On.Year)
            from fraction in Gen.Choose(0, 100)
            select new AwardRecord(programme.Id, year, Money.Round(max * fraction / 100m), new DateOnly(year, 3, 1));
        return Gen.Frequency((1, Gen.Constant(new List<AwardRecord>())), (1, Gen.ListOf(award).Where(l => l.Count <= 2).Select(l => l.ToList())))
            .Select(l => new AwardHistory(l));
    }
}
