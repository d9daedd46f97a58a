using Workflows.Durable.Client;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;

namespace Workflows.Host.Tests.Jobs;

/// <summary>A call stopped mid-review (the host disposed) and continued by a new host on the same data folder.</summary>
public sealed class MidCycleRestartTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "workflows-jobs-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Host_StoppedDuringExpertReview_NewHostFinishesTheCycleAndPaysOnce()
    {
        long callId;
        long app;
        string callInstance;
        DateTimeOffset stoppedAt;
        using (var before = new JobsHost(_data))
        {
            before.Experts(5);
            before.Applicant("a1");
            var call = await before.PublishOpenCallAsync();
            (callId, callInstance) = (call.CallId, call.InstanceId);
            app = before.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", ScheduledJobsTests.Facts001), new Actor("a1", "applicant")).ApplicationId;
            before.Clock.SetUtcNow(call.ClosesAt);
            await before.StatusAsync(app, ApplicationStatus.Preliminary);
            await before.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), JobsHost.Officer);
            await before.StatusAsync(app, ApplicationStatus.ExpertReview);
            await JobsHost.WaitUntilAsync(() => before.Ops.GetApplication(app).Reviewers.Count(r => r.Status == "assigned") == 3, "three reviewers assigned");
            var firstReviewer = before.Ops.GetApplication(app).Reviewers.First(r => r.Status == "assigned").ExpertId;
            await before.Ops.ScoreAsync(app, firstReviewer, 82m, "评审意见");
            await JobsHost.WaitUntilAsync(() => before.Ops.GetApplication(app).Reviewers.Count(r => r.Status == "assigned") == 2, "the first score recorded");
            stoppedAt = before.Now;
        }

        using var after = new JobsHost(_data, stoppedAt);
        Assert.Equal(ApplicationStatus.ExpertReview, after.Ops.GetApplication(app).Status);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await after.Client.GetInstanceAsync(callInstance))!.RuntimeStatus);
        foreach (var reviewer in after.Ops.GetApplication(app).Reviewers.Where(r => r.Status == "assigned").ToList())
        {
            await after.Ops.ScoreAsync(app, reviewer.ExpertId, 82m, "评审意见");
        }

        await after.StatusAsync(app, ApplicationStatus.Noticed);
        var notice = after.Ops.GetNoticeOfCall(callId);
        after.Clock.SetUtcNow(notice.EndsAt);
        await after.StatusAsync(callInstance, OrchestrationRuntimeStatus.Completed);

        var final = after.Ops.GetApplication(app);
        Assert.Equal(ApplicationStatus.Paid, final.Status);
        Assert.Equal(82m, final.Score);
        var payment = Assert.Single(after.Ops.GetLedger("001-zjtx-award", 2026));
        Assert.Equal(800_000m, payment.Amount);
        var actions = after.Ops.GetApplicationTrail(app).Select(e => e.Action).ToList();
        Assert.Equal(3, actions.Count(a => a == "application.expert.scored"));
        Assert.Equal(1, actions.Count(a => a == "application.payment.made"));
        var templates = after.Records.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT template_name FROM outbox_mail WHERE to_address = 'a1@example.cn' ORDER BY id;";
            using var reader = command.ExecuteReader();
            var list = new List<string>();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }

            return list;
        });
        Assert.Equal(["application-submitted", "review-started", "preliminary-accepted", "expert-review-passed", "award-proposed", "award-confirmed", "payment-made"], templates);

        // The jobs find nothing to repair in a finished cycle.
        var sweep = after.Services.GetService(typeof(Workflows.Service.Jobs.DeadlineSweepJob)) as Workflows.Service.Jobs.DeadlineSweepJob;
        Assert.Empty(await sweep!.FindAsync(CancellationToken.None));
    }
}
