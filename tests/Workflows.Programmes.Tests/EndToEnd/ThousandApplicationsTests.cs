using System.Diagnostics;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Tests.Support;
using Xunit.Abstractions;

namespace Workflows.Programmes.Tests.EndToEnd;

/// <summary>Runs alone: it loads both cores, and other tests' timeouts should not compete with it.</summary>
[CollectionDefinition(nameof(HeavyCollection), DisableParallelization = true)]
public sealed class HeavyCollection;

[Collection(nameof(HeavyCollection))]
public sealed class ThousandApplicationsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Call_1000ApplicationsRealisticMix_LedgerEqualsAwardsThatPassedNoticeAndNothingPaidTwice()
    {
        var watch = Stopwatch.StartNew();
        await using var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero), runtime: o =>
        {
            o.MaxConcurrentOrchestrations = 8;
            o.CacheSize = 5000;
        });
        var result = await CallScenario.RunAsync(f, 1000, 300_000_000m);
        output.WriteLine($"{result} in {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(result.CallId).Status);
        var ledger = f.Ops.GetLedger("001-zjtx-award", 2025);
        var paidApps = f.Ops.ListApplicationsOfCall(result.CallId).Where(a => a.Status == ApplicationStatus.Paid).ToList();
        var passedTotal = f.Ops.GetNoticeOfCall(result.CallId).Entries.Where(e => e.Status == "passed").Sum(e => e.Amount);
        Assert.Equal(passedTotal, ledger.Sum(l => l.Amount));
        Assert.Equal(paidApps.Count, ledger.Count);
        Assert.Equal(ledger.Count, ledger.Select(l => (l.ApplicantId, l.ProgrammeId, l.CycleYear, l.Instalment)).Distinct().Count());
        Assert.Equal(ledger.Count, f.Count("SELECT COUNT(*) FROM outbox_mail WHERE template_name = 'payment-made';"));
        Assert.True(ledger.Sum(l => l.Amount) <= 300_000_000m);
        var counts = f.Ops.GetCallProgress(result.CallId).Applications;
        foreach (var status in new[] { "Ineligible", "Rejected", "Withdrawn", "NotRecommended", "NotFunded", "Removed", "Paid" })
        {
            Assert.True(counts.GetValueOrDefault(status) > 0, $"expected some {status} in {string.Join(", ", counts)}");
        }

        Assert.Equal(1000, counts.Values.Sum());
    }
}

/// <summary>One call with a realistic mix of outcomes, driven through the facade with time skipped. Shared by the test and the benchmark's shape.</summary>
internal static class CallScenario
{
    public sealed record Result(long CallId, int Applications, decimal Paid, int Payments);

    public static async Task<Result> RunAsync(LifecycleFixture f, int applications, decimal budget)
    {
        var officer = LifecycleFixture.Officer;
        for (var i = 1; i <= 20; i++)
        {
            f.Ops.RegisterExpert(new Expert($"x{i:D2}", $"专家{i}", $"x{i:D2}@experts.example.cn", $"大学{i % 7}"), officer);
        }

        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(15), budget, new CallSettingsInput { PanelSize = 3 });
        var apps = new long[applications];
        for (var i = 0; i < applications; i++)
        {
            var id = $"f{i:D5}";
            f.Ops.RegisterParty(new Party(id, $"北京{id}科技有限公司", $"{id}@firms.example.cn", $"集团{i % 50}"), officer);
            var tier = i % 3 == 0 ? "national-little-giant" : "beijing-zjtx";
            var facts = Facts.Of001($"\"zjtxLevel\": \"{tier}\"");
            if (i % 20 == 0)
            {
                facts = facts.Replace("\"seriousDishonestyListed\": false", "\"seriousDishonestyListed\": true", StringComparison.Ordinal);
            }

            apps[i] = f.Submit(call.CallId, id, facts).ApplicationId;
        }

        await f.AdvanceToAsync(call.ClosesAt);
        for (var i = 0; i < applications; i++)
        {
            var decision = (i % 20) switch
            {
                0 => null,
                1 => new PreliminaryDecisionRequest(PreliminaryOutcome.Reject, "材料不齐全"),
                2 or 3 => new PreliminaryDecisionRequest(PreliminaryOutcome.Supplement, "请补充审计报告"),
                _ => new PreliminaryDecisionRequest(PreliminaryOutcome.Accept),
            };
            if (decision is not null)
            {
                await f.Ops.DecidePreliminaryAsync(apps[i], decision, officer);
            }
        }

        await f.IdleAsync();
        for (var i = 2; i < applications; i += 20)
        {
            await f.Ops.AnswerSupplementAsync(apps[i], new Actor($"f{i:D5}", "applicant"), "已补充");
        }

        await f.IdleAsync();
        for (var i = 2; i < applications; i += 20)
        {
            await f.Ops.DecidePreliminaryAsync(apps[i], new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), officer);
        }

        for (var i = 4; i < applications; i += 20)
        {
            await f.Ops.WithdrawApplicationAsync(apps[i], new Actor($"f{i:D5}", "applicant"), "放弃申报");
        }

        await f.IdleAsync();
        var assignments = f.Records.Read(c => Records.Db.Query(c, null,
            "SELECT application_id, expert_id FROM reviewer_assignments WHERE status = 'assigned' ORDER BY application_id, expert_id;",
            r => (App: r.GetInt64(0), Expert: r.GetString(1))));
        foreach (var (app, expert) in assignments)
        {
            var index = Array.IndexOf(apps, app);
            var score = index % 10 == 5 ? 50m : 70m + (index * 7 % 26);
            await f.Ops.ScoreAsync(app, expert, score);
        }

        await f.IdleAsync();
        await f.AdvanceAsync(TimeSpan.FromDays(8));

        var notice = f.Ops.GetNoticeOfCall(call.CallId);
        await f.AdvanceToAsync(notice.StartsAt.AddHours(10));
        var listed = notice.Entries.Where(e => e.Status == "listed").Select(e => e.ApplicationId).Take(4).ToList();
        var objections = listed.Select(a => f.Ops.FileObjection(a, "对申报数据有异议", new Actor("public", "public"))).ToList();
        for (var k = 0; k < objections.Count; k++)
        {
            await f.Ops.DecideObjectionAsync(objections[k], k % 2 == 0, k % 2 == 0 ? "异议成立" : "异议不成立", officer);
        }

        await f.AdvanceToAsync(notice.EndsAt);
        var ledger = f.Ops.GetLedger("001-zjtx-award", 2025);
        return new Result(call.CallId, applications, ledger.Sum(l => l.Amount), ledger.Count);
    }
}
