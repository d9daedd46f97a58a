using FsCheck;
using FsCheck.Fluent;
using static Workflows.Policies.Tests.TestFacts;

namespace Workflows.Policies.Tests.Engine;

/// <summary>Property tests (FsCheck): awards never exceed their caps; promotions never pay more than the higher tier.</summary>
public class PropertyTests
{
    private static readonly string[] NegativeFacts = ["majorPenaltyWithin3Years", "criminalRecordWithin3Years", "seriousDishonestyListed"];

    public static TheoryData<string> CappedProgrammes()
    {
        var data = new TheoryData<string>();
        foreach (var p in Own.All.Where(p => p.Formula.IsMonetary && p.Formula.MaxAmount is not null))
        {
            data.Add(p.Id);
        }

        return data;
    }

    [Fact]
    public void CappedProgrammes_Cover004And001Caps()
    {
        var ids = CappedProgrammes().Cast<object[]>().Select(row => (string)row[0]).ToList();

        Assert.Contains("004-rd-growth", ids);
        Assert.Contains("004-service-voucher", ids);
        Assert.Contains("001-rd-growth", ids);
        Assert.Contains("001-major-project-matching", ids);
        Assert.Contains("001-incubator-operation", ids);
        Assert.Contains("001-zjtx-award", ids);
    }

    [Theory]
    [MemberData(nameof(CappedProgrammes))]
    public void Quote_AnyFactsAndHistory_NeverExceedsTheCaps(string programmeId)
    {
        var programme = Own.Get(programmeId);
        var on = programme.Document.Id == "004" ? D("2024-06-30") : D("2026-06-30");
        var max = programme.Formula.MaxAmount!.Value;
        var caps = programme.Formula.Caps;
        var gen =
            from facts in ProfileGen(programme)
            from history in HistoryGen(programme, max)
            select (facts, history);

        var paidQuotes = 0;
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var quote = TestFacts.Engine.Quote(new QuoteRequest(programmeId, on, input.facts, input.history));
            if (quote.Amount is not { } amount)
            {
                return true;
            }

            if (amount > 0m)
            {
                Interlocked.Increment(ref paidQuotes);
            }

            var sameYear = input.history.Awards.Where(a => a.ProgrammeId == programmeId && a.CycleYear == on.Year).Sum(a => a.Amount);
            var ever = input.history.Awards.Where(a => a.ProgrammeId == programmeId).Sum(a => a.Amount);
            return amount >= 0m && amount <= max
                && (caps?.PerYear is null || amount == 0m || amount + sameYear <= caps.PerYear.Max)
                && (caps?.Total is null || amount == 0m || amount + ever <= caps.Total.Max)
                && quote.Instalments.Sum(i => i.Amount) == amount;
        }).QuickCheckThrowOnFailure();

        // The generator must reach paying quotes, or the property would hold vacuously.
        Assert.True(paidQuotes > 0, $"no generated case of {programmeId} was paid");
    }

    [Fact]
    public void Promotion_AnySequenceOfLevels_NeverPaysMoreThanTheHigherTier()
    {
        string[] levels004 = ["beijing-zjtx", "national-little-giant"];
        string[] levels001 = ["beijing-zjtx", "national-little-giant", "beijing-hidden-champion", "national-single-champion"];
        var amounts004 = new Dictionary<string, decimal> { ["beijing-zjtx"] = 200000m, ["national-little-giant"] = 500000m };
        var amounts001 = new Dictionary<string, decimal>
        {
            ["beijing-zjtx"] = 300000m, ["national-little-giant"] = 800000m, ["beijing-hidden-champion"] = 1000000m, ["national-single-champion"] = 2000000m,
        };

        // A sequence of certification events: under 004 (2024) or 001 (2025–2027), each with a level.
        var step =
            from under004 in Gen.Elements(true, false)
            from level in Gen.Elements(under004 ? levels004 : levels001)
            select (under004, level);
        var sequences = Gen.ListOf(step).Where(s => s.Count <= 6);

        Prop.ForAll(sequences.ToArbitrary(), events =>
        {
            var history = new List<AwardRecord>();
            var highest = 0m;
            var year = 2025;
            foreach (var (under004, level) in events.OrderByDescending(e => e.under004))
            {
                var id = under004 ? "004-zjtx-award" : "001-zjtx-award";
                var on = under004 ? "2024-06-30" : $"{year}-06-30";
                var facts = (under004 ? Good004(("newlyRelocated", false)) : Good001()).With("zjtxLevel", FactValue.Of(level));
                var quote = Quote(id, on, facts, new AwardHistory(history));
                var tierAmount = under004 ? amounts004[level] : amounts001[level];
                highest = Math.Max(highest, tierAmount);
                if (quote.Amount is { } paid)
                {
                    if (paid <= 0m || paid > tierAmount)
                    {
                        return false;
                    }

                    history.Add(new AwardRecord(id, under004 ? 2024 : year, paid, D(on), level));
                }
                else if (quote.FailedRules.Any(r => r.RuleId != "already-paid"))
                {
                    return false;
                }

                if (!under004 && year < 2027)
                {
                    year++;
                }

                if (history.Sum(a => a.Amount) > highest)
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static Gen<FactProfile> ProfileGen(Programme programme)
    {
        var gens = programme.Facts.Select(def => ValueGen(def).Select(v => (def.Name, v)));
        return Gen.CollectToList(gens).Select(pairs => new FactProfile(pairs.ToDictionary(p => p.Name, p => p.v)));
    }

    private static Gen<FactValue> ValueGen(FactDefinition def)
    {
        switch (def.Type)
        {
            case FactType.Bool:
                var good = !NegativeFacts.Contains(def.Name);
                return Gen.Frequency((9, Gen.Constant(good)), (1, Gen.Constant(!good))).Select(FactValue.Of);
            case FactType.Integer:
                var lo = (int)(def.Min ?? 0m);
                var hi = (int)Math.Min(def.Max ?? 400m, 400m);
                return Gen.Frequency((1, Gen.Choose(lo, Math.Min(hi, lo + 4))), (2, Gen.Choose(lo, hi))).Select(i => FactValue.Of((long)i));
            case FactType.Decimal:
                return
                    from units in Gen.Choose(0, 1_000_000)
                    from scale in Gen.Elements(0.01m, 1m, 100m)
                    select FactValue.Of(Math.Min(units * scale, def.Max ?? decimal.MaxValue));
            case FactType.Enum:
                return Gen.Elements(def.Values.ToArray()).Select(FactValue.Of);
            case FactType.Date:
                return Gen.Choose(0, 900).Select(d => FactValue.Of(new DateOnly(2024, 1, 1).AddDays(d)));
            default:
                return Gen.Constant(FactValue.Of("x"));
        }
    }

    private static Gen<AwardHistory> HistoryGen(Programme programme, decimal max)
    {
        var award =
            from year in Gen.Choose(2024, 2026)
            from fraction in Gen.Choose(0, 100)
            select new AwardRecord(programme.Id, year, Money.Round(max * fraction / 100m), new DateOnly(year, 3, 1));
        return Gen.ListOf(award).Where(l => l.Count <= 3).Select(l => new AwardHistory(l.ToList()));
    }
}
