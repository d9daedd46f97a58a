using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable.Client;
using Workflows.Service.Jobs;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;

namespace Workflows.Host.Tests.Jobs;

public sealed class ScheduledJobsTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    internal const string Facts001 = "{ \"operatesInArea\": true, \"majorPenaltyWithin3Years\": false, \"criminalRecordWithin3Years\": false, \"seriousDishonestyListed\": false, \"zjtxLevel\": \"national-little-giant\" }";

    [Fact]
    public async Task AnnualAssessmentsJob_AssessmentTerminated_RestartedOnceAtTheCronInstantAndNotAgain()
    {
        using var host = new JobsHost();
        await host.JobSeenAsync("AnnualAssessments");
        var bases = host.Services.GetRequiredService<BaseOperations>();
        await bases.RecogniseAsync(new RecogniseBaseRequest("pilot-1", AssessmentSchemes.PilotBase, "平谷区示范中试基地", "pilot@example.cn", new DateOnly(2026, 3, 1)), JobsHost.Officer);
        var id = AnnualAssessmentOrchestrator.InstanceId("pilot-1");
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Running);
        var first = (await host.Client.GetInstanceAsync(id))!.CreatedAt;
        await host.Client.TerminateInstanceAsync(id, "lost in a test");
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Terminated);

        // 2026-03-02 09:00 China time now; the next 01:00 is on 3 March.
        var occurrence = new DateTimeOffset(2026, 3, 3, 1, 0, 0, China);
        host.Clock.SetUtcNow(occurrence.AddSeconds(30));
        await host.JobFinishedAsync("AnnualAssessments", occurrence);
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Running);
        var restarted = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.True(restarted.CreatedAt > first, "the instance was not started again");
        Assert.Equal(new AssessmentInput("pilot-1", 1), restarted.ReadInputAs<AssessmentInput>());
        var entry = Assert.Single(host.Records.Read(c => AuditTrail.ForSubject(c, "base/pilot-1")), e => e.Action == "schedule.assessment.started");
        Assert.Contains("Terminated", entry.Details, StringComparison.Ordinal);

        await host.Services.GetRequiredService<AnnualAssessmentsJob>().RunAsync(occurrence, CancellationToken.None);
        Assert.Equal(1, host.AuditCount("schedule.assessment.started"));
        Assert.Equal(restarted.CreatedAt, (await host.Client.GetInstanceAsync(id))!.CreatedAt);
        Assert.Equal("active", bases.Get("pilot-1").Status);

        // Broken again in the same period: left to the bureau, not restarted in a loop.
        await host.Client.TerminateInstanceAsync(id, "lost again");
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Terminated);
        await host.Services.GetRequiredService<AnnualAssessmentsJob>().RunAsync(occurrence.AddDays(1), CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Equal(1, host.AuditCount("schedule.assessment.started"));
    }

    [Fact]
    public async Task DeadlineSweepJob_SupplementDeadlinePassedWithItsWorkflowTerminated_AuditedAndMailedOnce()
    {
        using var host = new JobsHost();
        await host.JobSeenAsync("DeadlineSweep");
        host.Experts(5);
        host.Applicant("a1");
        var call = await host.PublishOpenCallAsync();
        var app = host.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", Facts001), new Actor("a1", "applicant")).ApplicationId;
        host.Clock.SetUtcNow(call.ClosesAt);
        await host.StatusAsync(app, ApplicationStatus.Preliminary);
        var due = new DateOnly(2026, 3, 20);
        await host.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Supplement, "缺少财务报表 missing accounts", due), JobsHost.Officer);
        await host.StatusAsync(app, ApplicationStatus.SupplementRequested);
        var instance = ApplicationOrchestrator.InstanceIdOf(app);
        await host.Client.TerminateInstanceAsync(instance, "lost in a test");
        await host.StatusAsync(instance, OrchestrationRuntimeStatus.Terminated);

        var sweep = host.Services.GetRequiredService<DeadlineSweepJob>();
        Assert.Empty(await sweep.FindAsync(CancellationToken.None)); // the deadline has not passed yet

        var occurrence = new DateTimeOffset(2026, 3, 22, 2, 0, 0, China);
        host.Clock.SetUtcNow(occurrence.AddSeconds(30));
        await host.JobFinishedAsync("DeadlineSweep", occurrence);

        var stuck = Assert.Single(await sweep.FindAsync(CancellationToken.None));
        Assert.Equal(($"application/{app}", "supplement", instance, "Terminated"), (stuck.Subject, stuck.What, stuck.InstanceId, stuck.RuntimeStatus));
        Assert.Equal(1, host.AuditCount("schedule.deadline.stuck"));
        Assert.Equal(1, host.MailCount("bureau@kw.example.cn", "schedule-deadline-sweep"));
        var body = host.Records.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT text_body FROM outbox_mail WHERE template_name = 'schedule-deadline-sweep';";
            return (string)command.ExecuteScalar()!;
        });
        Assert.Contains($"application/{app} supplement", body, StringComparison.Ordinal);
        Assert.Contains("English: ", body, StringComparison.Ordinal);

        // Run again for the same occurrence and for the next day: the deadline is reported once.
        await sweep.RunAsync(occurrence, CancellationToken.None);
        var next = occurrence.AddDays(1);
        host.Clock.SetUtcNow(next.AddSeconds(30));
        await host.JobFinishedAsync("DeadlineSweep", next);
        Assert.Equal(1, host.AuditCount("schedule.deadline.stuck"));
        Assert.Equal(1, host.MailCount("bureau@kw.example.cn"));
    }

    [Fact]
    public async Task DeadlineSweepJob_PanelSmallerThanTheCallAsks_ReportedToTheBureauOnce()
    {
        using var host = new JobsHost();
        await host.JobSeenAsync("DeadlineSweep");
        host.Experts(2); // the call's default panel is 3
        host.Applicant("a1");
        var call = await host.PublishOpenCallAsync();
        var app = host.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", Facts001), new Actor("a1", "applicant")).ApplicationId;
        host.Clock.SetUtcNow(call.ClosesAt);
        await host.StatusAsync(app, ApplicationStatus.Preliminary);
        var sweep = host.Services.GetRequiredService<DeadlineSweepJob>();
        Assert.Empty(sweep.FindShortPanels()); // not in expert review yet

        await host.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), JobsHost.Officer);
        await host.StatusAsync(app, ApplicationStatus.ExpertReview);

        await JobsHost.WaitUntilAsync(() => sweep.FindShortPanels().Count > 0, "the short panel to be drawn");
        var found = Assert.Single(sweep.FindShortPanels());
        Assert.Equal(($"application/{app}", call.CallId, 2, 3), (found.Subject, found.CallId, found.Experts, found.Wanted));
        var occurrence = host.Now.AddMinutes(1);
        await sweep.RunAsync(occurrence, CancellationToken.None);
        await sweep.RunAsync(occurrence.AddDays(1), CancellationToken.None);

        Assert.Equal(1, host.AuditCount("schedule.panel.short"));
        Assert.Equal(1, host.MailCount("bureau@kw.example.cn", "schedule-deadline-sweep"));
        var body = host.Records.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT text_body FROM outbox_mail WHERE template_name = 'schedule-deadline-sweep';";
            return (string)command.ExecuteScalar()!;
        });
        Assert.Contains($"application/{app} 通知 call/{call.CallId} 专家 2/3", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalmentsJob_NothingBroken_RunsAtItsCronAndChangesNothing()
    {
        using var host = new JobsHost();
        await host.JobSeenAsync("Instalments");
        var before = host.Count("SELECT COUNT(*) FROM audit_entries;");
        var occurrence = new DateTimeOffset(2026, 3, 3, 1, 30, 0, China);
        host.Clock.SetUtcNow(occurrence.AddSeconds(30));
        await host.JobFinishedAsync("Instalments", occurrence);
        Assert.Equal("Succeeded", host.Services.GetRequiredService<Workflows.Service.Schedules.ScheduleStateStore>().Get("Instalments")!.LastStatus);
        await host.Services.GetRequiredService<InstalmentsJob>().RunAsync(occurrence, CancellationToken.None);
        Assert.Equal(before, host.Count("SELECT COUNT(*) FROM audit_entries;"));
    }
}
