using Workflows.Programmes.Supervision;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Supervision;

public sealed class SupervisionStepActivityTests
{
    [Fact]
    public async Task AssignAndEscalate_RunTwice_MailAndAuditOnce()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        var units = SupervisionCatalogue.Default.Units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => $"u{x.i}@example.cn");
        await ops.StartAsync(new SupervisionSetup(units, "hr@zgc.example.cn", [2]), FeatureHost.Officer);
        await f.SettleAsync();
        int mails = f.Mails().Count;

        var activity = new SupervisionStepActivity(f.Services, SupervisionCatalogue.Default);
        var context = new AssessmentActivityIdempotencyTests.FakeActivityContext(TaskSupervisionOrchestrator.StepActivity, TaskSupervisionOrchestrator.InstanceId(2));
        SupervisionStep assigned = await activity.RunAsync(context, new SupervisionStepInput(SupervisionAction.Assign, 2, 0));
        Assert.Equal(mails, f.Mails().Count);
        Assert.Equal(FeatureHost.Beijing(2015, 4, 4).UtcDateTime, assigned.DeadlineUtc);

        var escalate = new SupervisionStepInput(SupervisionAction.EscalatePlan, 2, 0, Escalation: 1);
        SupervisionStep once = await activity.RunAsync(context, escalate);
        SupervisionStep twice = await activity.RunAsync(context, escalate);
        Assert.Equal(once, twice);
        Assert.Single(f.Mails("hr@zgc.example.cn"), m => m.Template == "supervision-plan-overdue");
        Assert.Single(f.Audit("supervision-task/002-2"), a => a.Action == "supervision.plan-overdue");
        Assert.Equal(1, ops.Get(2).PlanEscalations);
    }
}
