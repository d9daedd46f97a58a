using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Notices;

public sealed class PublicNoticeOrchestratorTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Public = new("citizen-9", "public");

    /// <summary>Three applicants (a1, a2, a3) recommended and listed in a 7-natural-day notice.</summary>
    private static async Task<(LifecycleFixture F, CallRecord Call, long[] Apps)> NoticedAsync()
    {
        var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(3);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m, new CallSettingsInput { PanelSize = 1 });
        var apps = new List<long>();
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            f.Applicant(id);
            apps.Add(f.Submit(call.CallId, id, Facts.Of001("\"zjtxLevel\": \"beijing-zjtx\"")).ApplicationId);
        }

        await f.AdvanceToAsync(call.ClosesAt);
        foreach (var app in apps)
        {
            await f.AcceptAsync(app);
            await f.ScoreAllAsync(app, 80m);
        }

        Assert.All(apps, a => Assert.Equal(ApplicationStatus.Noticed, f.StatusOf(a)));
        return (f, call, apps.ToArray());
    }

    [Fact]
    public async Task Notice_ObjectionUpheldAndDismissed_RemovedEntryUnpaidOthersPaid()
    {
        var (f, call, apps) = await NoticedAsync();
        await using var _ = f;
        var notice = f.Ops.GetNoticeOfCall(call.CallId);
        Assert.Equal(new DateTimeOffset(2025, 5, 17, 0, 0, 0, LifecycleFixture.China), notice.StartsAt);
        Assert.Equal(new DateTimeOffset(2025, 5, 24, 0, 0, 0, LifecycleFixture.China), notice.EndsAt);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => Task.FromResult(f.Ops.FileObjection(apps[0], "too early", Public)));

        await f.AdvanceToAsync(notice.StartsAt.AddDays(1));
        var upheld = f.Ops.FileObjection(apps[0], "该企业实际办公地不在区内", Public, "citizen@example.cn");
        var dismissed = f.Ops.FileObjection(apps[1], "怀疑材料造假", Public);
        Assert.Equal(ApplicationStatus.Held, f.StatusOf(apps[0]));
        Assert.Contains(f.Mails("a1@example.cn"), m => m.Template == "objection-filed");

        await f.Ops.DecideObjectionAsync(upheld, true, "经核查实际办公地在区外", LifecycleFixture.Officer);
        await f.Ops.DecideObjectionAsync(dismissed, false, "经核查材料真实", LifecycleFixture.Officer);
        await f.IdleAsync();
        Assert.Equal(ApplicationStatus.Removed, f.StatusOf(apps[0]));
        Assert.Equal(ApplicationStatus.Noticed, f.StatusOf(apps[1]));
        Assert.Contains(f.Mails("a1@example.cn"), m => m.Template == "objection-upheld" && m.Body.Contains("经核查实际办公地在区外", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.DecideObjectionAsync(upheld, false, "again", LifecycleFixture.Officer));

        await f.AdvanceToAsync(notice.EndsAt);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => Task.FromResult(f.Ops.FileObjection(apps[2], "after the end", Public)));

        var ledger = f.Ops.GetLedger("001-zjtx-award", 2025);
        Assert.Equal(["a2", "a3"], ledger.Select(l => l.ApplicantId).Order().ToArray());
        Assert.Equal(600_000m, ledger.Sum(l => l.Amount));
        var view = f.Ops.GetNoticeOfCall(call.CallId);
        Assert.Equal("completed", view.Status);
        Assert.Equal(["removed", "passed", "passed"], view.Entries.Select(e => e.Status).ToArray());
        Assert.Equal(["upheld", "dismissed"], view.Objections.Select(o => o.Status).ToArray());
        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(call.CallId).Status);
    }

    [Fact]
    public async Task Notice_ObjectionStillOpenAtTheEnd_EntryHeldUntilTheBureauDecides()
    {
        var (f, call, apps) = await NoticedAsync();
        await using var _ = f;
        var notice = f.Ops.GetNoticeOfCall(call.CallId);
        await f.AdvanceToAsync(notice.StartsAt.AddDays(6));
        var objection = f.Ops.FileObjection(apps[2], "申报数据不实", Public);

        await f.AdvanceToAsync(notice.EndsAt.AddDays(3));
        Assert.Equal(ApplicationStatus.Held, f.StatusOf(apps[2]));
        Assert.Equal(2, f.Ops.GetLedger("001-zjtx-award", 2025).Count);
        Assert.Equal(CallStatus.Notice, f.Ops.GetCallProgress(call.CallId).Status);

        await f.Ops.DecideObjectionAsync(objection, false, "异议不成立", LifecycleFixture.Officer);
        await f.IdleAsync();

        Assert.Equal(ApplicationStatus.Paid, f.StatusOf(apps[2]));
        Assert.Equal(3, f.Ops.GetLedger("001-zjtx-award", 2025).Count);
        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(call.CallId).Status);
    }

    [Fact]
    public void LastDay_WorkingDaysAcrossTheNationalDayHoliday_SkipsTheHoliday()
    {
        // 2025-09-30 (Tue) is a working day; 10-01 … 10-08 are the National Day holiday; 10-11 (Sat) is a make-up working day.
        var last = NoticePeriod.LastDay(WorkingDayCalendar.Default, new DateOnly(2025, 9, 30), 3, DayKind.Working);
        Assert.Equal(new DateOnly(2025, 10, 10), last);
        Assert.Equal(new DateOnly(2025, 10, 6), NoticePeriod.LastDay(WorkingDayCalendar.Default, new DateOnly(2025, 9, 30), 7, DayKind.Natural));
    }
}
