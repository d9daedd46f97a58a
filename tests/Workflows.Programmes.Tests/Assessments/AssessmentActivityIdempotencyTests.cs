using Workflows.Durable;
using Workflows.Programmes.Assessments;

namespace Workflows.Programmes.Tests.Assessments;

public sealed class AssessmentActivityIdempotencyTests
{
    /// <summary>A hand-written activity context for running an activity twice, as a redelivery would.</summary>
    internal sealed class FakeActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId => instanceId;
    }

    [Fact]
    public async Task ApplySignal_SameGradeTwice_AppliedOnce()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("pilot-i", AssessmentSchemes.PilotBase, "平谷区幂等中试基地", "idem@example.cn", new DateOnly(2025, 1, 10)), FeatureHost.Officer);
        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("pilot-i").Phase == "awaiting-report", "report requested");
        await ops.SubmitReportAsync("pilot-i", 1, "报告", new("op", "base"));
        await f.UntilAsync(() => ops.Get("pilot-i").Phase == "awaiting-grade", "report received");

        var activity = new ApplyAssessmentSignalActivity(f.Services);
        var input = new ApplySignalInput("pilot-i", 1, new AssessmentSignal(AssessmentSignalKind.Graded, "grade-1", 1, "officer-1", "bureau", "fail"));
        var context = new FakeActivityContext(AssessmentActivities.ApplySignal, AnnualAssessmentOrchestrator.InstanceId("pilot-i"));
        AssessmentStep first = await activity.RunAsync(context, input);
        AssessmentStep second = await activity.RunAsync(context, input);

        Assert.Equal(first, second);
        Assert.True(first.PeriodClosed);
        Assert.Equal(1, ops.Get("pilot-i").ConsecutiveFails);
        Assert.Single(f.Mails("idem@example.cn"), m => m.Template == "assessment-graded");
        Assert.Single(f.Audit("base/pilot-i"), a => a.Action == "assessment.graded");
    }
}
