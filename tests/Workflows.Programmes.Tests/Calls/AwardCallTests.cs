using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Calls;

public sealed class AwardCallTests
{
    private static async Task<long[]> ReviewAllAsync(LifecycleFixture f, CallRecord call, IReadOnlyList<(string Applicant, string Facts, decimal Score)> entries)
    {
        var apps = entries.Select(e => f.Submit(call.CallId, e.Applicant, e.Facts).ApplicationId).ToArray();
        await f.AdvanceToAsync(call.ClosesAt);
        for (var i = 0; i < apps.Length; i++)
        {
            await f.AcceptAsync(apps[i]);
            await f.ScoreAllAsync(apps[i], entries[i].Score);
        }

        return apps;
    }

    private static async Task PassNoticeAsync(LifecycleFixture f, CallRecord call) =>
        await f.AdvanceToAsync(f.Ops.GetNoticeOfCall(call.CallId).EndsAt);

    [Fact]
    public async Task Award_BudgetExhaustedPartWayDownTheRankedList_LastFundedPartlyThenNotFunded()
    {
        await using var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero));
        f.Experts(3);
        var giant = Facts.Of001("\"zjtxLevel\": \"national-little-giant\"");
        foreach (var id in new[] { "a1", "a2", "a3", "a4" })
        {
            f.Applicant(id);
        }

        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 2_000_000m, new CallSettingsInput { PanelSize = 1 });
        // Submitted in this order; ranked by score: a2 (90), a4 (80), a1 (70), a3 (65).
        var apps = await ReviewAllAsync(f, call, [("a1", giant, 70m), ("a2", giant, 90m), ("a3", giant, 65m), ("a4", giant, 80m)]);

        var awards = apps.Select(a => f.Ops.GetApplication(a)).ToArray();
        Assert.Equal([400_000m, 800_000m, 0m, 800_000m], awards.Select(a => a.AwardAmount ?? -1m).ToArray());
        Assert.Equal(ApplicationStatus.NotFunded, awards[2].Status);
        Assert.Contains("budget is exhausted", awards[2].Decisions.Single(d => d.Stage == "award").Reason, StringComparison.Ordinal);
        Assert.Contains("remaining budget", awards[0].AwardTrace, StringComparison.Ordinal);
        Assert.Contains(f.Mails("a3@example.cn"), m => m.Template == "not-funded");
        Assert.Equal(2_000_000m, f.Ops.GetCallProgress(call.CallId).BudgetUsed);

        await PassNoticeAsync(f, call);
        var ledger = f.Ops.GetLedger("001-zjtx-award", 2025);
        Assert.Equal(2_000_000m, ledger.Sum(l => l.Amount));
        Assert.Equal(["a1", "a2", "a4"], ledger.Select(l => l.ApplicantId).Order().ToArray());
    }

    [Fact]
    public async Task Award_PromotionInTheNextCycle_PaysOnlyTheDifferenceAndRefusesARepeat()
    {
        await using var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero));
        f.Experts(3);
        f.Applicant("a1");
        f.Applicant("a2");
        var beijing = Facts.Of001("\"zjtxLevel\": \"beijing-zjtx\"");
        var first = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m, new CallSettingsInput { PanelSize = 1 });
        await ReviewAllAsync(f, first, [("a1", beijing, 80m), ("a2", beijing, 80m)]);
        await PassNoticeAsync(f, first);
        Assert.Equal(600_000m, f.Ops.GetLedger("001-zjtx-award", 2025).Sum(l => l.Amount));

        await f.AdvanceToAsync(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        var second = await f.PublishAsync("001-zjtx-award", 2026, TimeSpan.FromDays(10), 5_000_000m, new CallSettingsInput { PanelSize = 1 });
        var promoted = f.Submit(second.CallId, "a1", Facts.Of001("\"zjtxLevel\": \"national-little-giant\""));
        var repeat = f.Submit(second.CallId, "a2", beijing);

        Assert.Equal(500_000m, promoted.EstimatedAmount);
        Assert.Equal(ApplicationStatus.Ineligible, repeat.Status);
        Assert.Contains(repeat.FailedRules, r => r.Contains("already-paid", StringComparison.Ordinal));
        await f.AdvanceToAsync(second.ClosesAt);
        await f.AcceptAsync(promoted.ApplicationId);
        await f.ScoreAllAsync(promoted.ApplicationId, 85m);
        await PassNoticeAsync(f, second);

        var paid = Assert.Single(f.Ops.GetLedger("001-zjtx-award", 2026));
        Assert.Equal(("a1", 500_000m, "national-little-giant"), (paid.ApplicantId, paid.Amount, paid.Tier));
        Assert.Contains("差额", f.Ops.GetApplication(promoted.ApplicationId).AwardTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Award_PolicyVersionChangesBetweenCycles_004AmountsIn2024And001AmountsIn2025()
    {
        await using var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2024, 6, 3, 1, 0, 0, TimeSpan.Zero));
        f.Experts(3);
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            f.Applicant(id);
        }

        var call2024 = await f.PublishAsync("004-zjtx-award", 2024, TimeSpan.FromDays(10), 5_000_000m, new CallSettingsInput { PanelSize = 1 });
        await ReviewAllAsync(f, call2024, [("a1", Facts.Of004("\"zjtxLevel\": \"beijing-zjtx\""), 80m), ("a2", Facts.Of004("\"zjtxLevel\": \"national-little-giant\""), 80m)]);
        await PassNoticeAsync(f, call2024);
        var ledger2024 = f.Ops.GetLedger("004-zjtx-award", 2024).ToDictionary(l => l.ApplicantId, l => l.Amount);
        Assert.Equal(200_000m, ledger2024["a1"]);
        Assert.Equal(500_000m, ledger2024["a2"]);

        await f.AdvanceToAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero));
        await Assert.ThrowsAsync<ProgrammeValidationException>(() => f.PublishAsync("004-zjtx-award", 2025, TimeSpan.FromDays(10), 1_000_000m));
        var call2025 = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m, new CallSettingsInput { PanelSize = 1 });
        var giant = Facts.Of001("\"zjtxLevel\": \"national-little-giant\"");
        await ReviewAllAsync(f, call2025, [("a1", giant, 80m), ("a3", giant, 80m)]);
        await PassNoticeAsync(f, call2025);

        var ledger2025 = f.Ops.GetLedger("001-zjtx-award", 2025).ToDictionary(l => l.ApplicantId, l => l.Amount);
        Assert.Equal(600_000m, ledger2025["a1"]);
        Assert.Equal(800_000m, ledger2025["a3"]);
    }
}
