using FsCheck;
using FsCheck.Fluent;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>
/// Property tests over 003 policies 12–23 and 000: whatever the facts and the history, an award is never negative,
/// never above the programme's largest amount, and never breaks its yearly or total cap.
/// </summary>
public class Seed003Part2PropertyTests
{
    /// <summary>Bool facts that must be false for a quote to pass (a home already owned, a violation, a restricted industry …).</summary>
    private static readonly HashSet<string> MustBeFalse = new(StringComparer.Ordinal)
    {
        "pgFamilyOwnsHomeInDistrict", "pgFamilyOwnsPropertyHomeInDistrict", "pgFamilyOwnsRuralSelfBuiltHome", "pgHousingViolationRecord",
        "pgEmployerRestrictedIndustry",
    };

    private static readonly DateOnly On = new(2025, 6, 30);

    public static TheoryData<string, bool> Bounded()
    {
        var data = new TheoryData<string, bool>();
        foreach (var p in Seed003Part2.Loaded.All.Where(p => p.Formula.IsMonetary && p.Formula.MaxAmount is not null))
        {
            data.Add(p.Id, false);
        }

        foreach (var p in Seed000.Loaded.All.Where(p => p.Formula.IsMonetary && p.Formula.MaxAmount is not null))
        {
            data.Add(p.Id, true);
        }

        return data;
    }

    [Fact]
    public void Bounded_CoversTheCappedKinds()
    {
        var ids = Bounded().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("003-pg-exit-guidance-fund", ids);            // points-score
        Assert.Contains("003-pg-talent-settling-subsidy", ids);       // promotion-difference
        Assert.Contains("003-pg-flexible-weekend-expert-grant", ids); // percentage with a per-project cap
        Assert.Contains("003-pg-graduate-flexible-insurance-subsidy", ids); // per-unit with a total cap
        Assert.Contains("000-yc-startup-rent", ids);                  // lesser-of with a total cap
        Assert.Contains("000-yc-distinguished-talent-award", ids);    // instalments
        Assert.Contains("000-yc-rd-institution", ids);                // promotion-difference (从高不重复)
        Assert.True(ids.Count >= 40, $"only {ids.Count} bounded programmes");
    }

    [Theory]
    [MemberData(nameof(Bounded))]
    public void Quote_AnyFactsAndHistory_StaysWithinItsBounds(string programmeId, bool seed000)
    {
        var engine = seed000 ? Seed000.Engine : Seed003Part2.Engine;
        var programme = engine.Catalogue.Get(programmeId);
        var max = programme.Formula.MaxAmount!.Value;
        var caps = programme.Formula.Caps;
        var input =
            from facts in Gen.CollectToList(programme.Facts.Select(def => Value(def, Thresholds(programme, def.Name)).Select(v => KeyValuePair.Create(def.Name, v))))
            from history in Earlier(programme.Id, max)
            select (Facts: new FactProfile(new Dictionary<string, FactValue>(facts)), History: history);
        var paidCases = 0;

        Prop.ForAll(input.ToArbitrary(), x =>
        {
            var quote = engine.Quote(new QuoteRequest(programmeId, On, x.Facts, x.History));
            if (quote.Amount is not { } amount)
            {
                return true;
            }

            if (amount > 0m)
            {
                Interlocked.Increment(ref paidCases);
            }

            var thisYear = x.History.Awards.Where(a => a.CycleYear == On.Year).Sum(a => a.Amount);
            var allYears = x.History.Awards.Sum(a => a.Amount);
            return amount >= 0m && amount <= max
                && quote.Instalments.Sum(i => i.Amount) == amount
                && (amount == 0m || caps?.PerYear is null || thisYear + amount <= caps.PerYear.Max)
                && (amount == 0m || caps?.Total is null || allYears + amount <= caps.Total.Max);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));

        Assert.True(paidCases > 0, $"no generated case paid {programmeId}");
    }

    /// <summary>The numbers a programme's rules compare a fact with (so generated values land on both sides of them).</summary>
    private static decimal[] Thresholds(Programme programme, string fact) =>
        programme.AllRules.SelectMany(r => Flatten(r.Test).Concat(r.When is null ? [] : Flatten(r.When)))
            .Where(c => c.Fact == fact && c.Value is not null && decimal.TryParse(c.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(c => decimal.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    private static IEnumerable<FactCondition> Flatten(Condition c) => c switch
    {
        FactCondition f => [f],
        AnyOfCondition a => a.Items.SelectMany(Flatten),
        AllOfCondition a => a.Items.SelectMany(Flatten),
        _ => [],
    };

    private static Gen<FactValue> Value(FactDefinition def, decimal[] thresholds)
    {
        var plain = Plain(def);
        if (thresholds.Length == 0 || def.Type is not (FactType.Integer or FactType.Decimal))
        {
            return plain;
        }

        var step = def.Type == FactType.Integer ? 1m : 0.01m;
        var near =
            from t in Gen.Elements(thresholds)
            from delta in Gen.Elements(-step, 0m, step)
            let v = Math.Clamp(t + delta, def.Min ?? decimal.MinValue, def.Max ?? decimal.MaxValue)
            select def.Type == FactType.Integer ? FactValue.Of((long)v) : FactValue.Of(v);
        return Gen.Frequency((1, plain), (2, near));
    }

    private static Gen<FactValue> Plain(FactDefinition def) => def.Type switch
    {
        FactType.Bool => Gen.Frequency((15, Gen.Constant(!MustBeFalse.Contains(def.Name))), (1, Gen.Constant(MustBeFalse.Contains(def.Name)))).Select(FactValue.Of),
        FactType.Integer => Gen.Frequency(
            (3, Gen.Choose((int)(def.Min ?? 0m), (int)(def.Min ?? 0m) + 2)),
            (1, Gen.Choose((int)(def.Min ?? 0m), (int)Math.Min(def.Max ?? 40m, 40m)))).Select(i => FactValue.Of((long)i)),
        FactType.Decimal when def.Unit == "ratio" => Gen.Choose(0, (int)((def.Max ?? 10m) * 100m)).Select(p => FactValue.Of(p / 100m)),
        FactType.Decimal =>
            from digits in Gen.Choose(0, 99_999)
            from scale in Gen.Elements(0.01m, 1m, 100m, 10_000m, 1_000_000m)
            select FactValue.Of(Math.Min(digits * scale, def.Max ?? decimal.MaxValue)),
        FactType.Enum => Gen.Elements(def.Values.ToArray()).Select(FactValue.Of),
        FactType.Date => Gen.Choose(0, 90).Select(d => FactValue.Of(On.AddDays(-d))),
        _ => Gen.Constant(FactValue.Of("x")),
    };

    private static Gen<AwardHistory> Earlier(string programmeId, decimal max)
    {
        var award =
            from year in Gen.Choose(On.Year - 3, On.Year)
            from percent in Gen.Choose(0, 100)
            select new AwardRecord(programmeId, year, Money.Round(max * percent / 100m), new DateOnly(year, 2, 1));
        return Gen.Frequency((2, Gen.Constant(new List<AwardRecord>())), (1, Gen.ListOf(award).Where(l => l.Count <= 2).Select(l => l.ToList())))
            .Select(l => new AwardHistory(l));
    }
}
