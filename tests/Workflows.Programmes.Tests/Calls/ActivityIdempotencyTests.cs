using Workflows.Durable;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Calls;

public sealed class ActivityIdempotencyTests
{
    [Fact]
    public async Task Activities_RunAgainAfterTheCallCompleted_ChangeNothing()
    {
        await using var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero));
        f.Experts(1);
        f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 1_000_000m, new CallSettingsInput { PanelSize = 1 });
        var app = f.Submit(call.CallId, "a1", Facts.Of001("\"zjtxLevel\": \"beijing-zjtx\"")).ApplicationId;
        await f.AdvanceToAsync(call.ClosesAt);
        await f.AcceptAsync(app);
        await f.ScoreAllAsync(app, 80m);
        await f.AdvanceToAsync(f.Ops.GetNoticeOfCall(call.CallId).EndsAt);
        var before = Snapshot(f);
        var noticeId = f.Ops.GetNoticeOfCall(call.CallId).NoticeId;
        var at = f.Now;
        var context = new FakeContext();

        await new AwardCallActivity(f.Services).RunAsync(context, new CallStepInput(call.CallId, at));
        await new OpenNoticeActivity(f.Services).RunAsync(context, new NoticeInputAt(call.CallId, f.Ops.GetCall(call.CallId).Settings, at));
        await new CloseNoticeActivity(f.Services).RunAsync(context, new CloseNoticeInput(noticeId, at));
        await new PayFirstInstalmentsActivity(f.Services).RunAsync(context, new PaymentRoundInput(call.CallId, 1, at));
        await new AssignPanelActivity(f.Services).RunAsync(context, new AssignPanelInput(app, f.Ops.GetCall(call.CallId).Settings, at));
        var status = await new ApplicationStepActivity(f.Services).RunAsync(context, new ApplicationStep(app, $"application/{app}/expert/passed", at, "system", "system",
            "expert-review", "passed", "application.expert.passed", [ApplicationStatus.ExpertReview], ApplicationStatus.Recommended));

        Assert.Equal(ApplicationStatus.Paid, status);
        Assert.Equal(before, Snapshot(f));
    }

    private static (long Ledger, long Mails, long Audit, long Decisions, long Assignments, long Notices) Snapshot(LifecycleFixture f) => (
        f.Count("SELECT COUNT(*) FROM ledger_entries;"), f.Count("SELECT COUNT(*) FROM outbox_mail;"), f.Count("SELECT COUNT(*) FROM audit_entries;"),
        f.Count("SELECT COUNT(*) FROM decisions;"), f.Count("SELECT COUNT(*) FROM reviewer_assignments;"), f.Count("SELECT COUNT(*) FROM notices;"));

    private sealed class FakeContext : TaskActivityContext
    {
        public override TaskName Name => "test";

        public override string InstanceId => "test";
    }
}
