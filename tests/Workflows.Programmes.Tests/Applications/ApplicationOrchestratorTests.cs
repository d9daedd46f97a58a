using System.Text.Json;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Applications;

public sealed class ApplicationOrchestratorTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);
    private static readonly string LittleGiant = Facts.Of001("\"zjtxLevel\": \"national-little-giant\"");

    private static async Task<(LifecycleFixture F, CallRecord Call, long App)> InReviewAsync(CallSettingsInput? settings = null, int experts = 5, string? organisation = null)
    {
        var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(experts);
        f.Applicant("a1", organisation);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m, settings);
        var app = f.Submit(call.CallId, "a1", LittleGiant).ApplicationId;
        await f.AdvanceToAsync(call.ClosesAt);
        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));
        return (f, call, app);
    }

    [Fact]
    public async Task Submit_IneligibleApplicant_RejectedAtOnceWithFailedRulesAndNeverReviewed()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(3);
        var applicant = f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);

        var result = f.Submit(call.CallId, "a1", LittleGiant.Replace("\"operatesInArea\": true", "\"operatesInArea\": false", StringComparison.Ordinal));

        Assert.Equal(ApplicationStatus.Ineligible, result.Status);
        Assert.Null(result.EstimatedAmount);
        var rule = Assert.Single(result.FailedRules);
        Assert.Contains("operates-in-area", rule, StringComparison.Ordinal);
        Assert.Contains("001 八(一)", rule, StringComparison.Ordinal);
        var mail = Assert.Single(f.Mails(applicant.Email), m => m.Template == "application-ineligible");
        Assert.Contains("在亦庄新城范围内依法经营", mail.Body, StringComparison.Ordinal);

        await f.AdvanceToAsync(call.ClosesAt);
        var view = f.Ops.GetApplication(result.ApplicationId);
        Assert.Equal(ApplicationStatus.Ineligible, view.Status);
        Assert.Null(await f.Client.GetInstanceAsync(ApplicationOrchestrator.InstanceIdOf(result.ApplicationId)));
        Assert.Equal("ineligible", Assert.Single(view.Decisions).Outcome);
    }

    [Fact]
    public async Task Preliminary_Rejected_RecordsOfficerReasonAndTellsApplicant()
    {
        var (f, call, app) = await InReviewAsync();
        await using var _ = f;

        await f.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Reject, "营业执照与申报主体不一致"), LifecycleFixture.Officer);
        await f.IdleAsync();

        var view = f.Ops.GetApplication(app);
        Assert.Equal(ApplicationStatus.Rejected, view.Status);
        var decision = view.Decisions.Single(d => d.Stage == "preliminary" && d.Outcome == "rejected");
        Assert.Equal("officer-1", decision.ActorId);
        Assert.Equal("营业执照与申报主体不一致", decision.Reason);
        Assert.Contains(f.Mails("a1@example.cn"), m => m.Template == "preliminary-rejected" && m.Body.Contains("营业执照与申报主体不一致", StringComparison.Ordinal));
        var result = JsonSerializer.Deserialize<ApplicationResult>((await f.MetadataAsync(ApplicationOrchestrator.InstanceIdOf(app))).SerializedOutput!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(ApplicationStatus.Rejected, result.Status);
        Assert.Empty(view.Reviewers);
        Assert.Equal(1, f.Ops.GetCallProgress(call.CallId).Applications["Rejected"]);
    }

    [Fact]
    public async Task Supplement_ReceivedBeforeDeadline_BackToPreliminaryThenAccepted()
    {
        var (f, _, app) = await InReviewAsync();
        await using var __ = f;

        await f.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Supplement, "请补充专精特新认定文件"), LifecycleFixture.Officer);
        await f.IdleAsync();
        var waiting = f.Ops.GetApplication(app);
        Assert.Equal(ApplicationStatus.SupplementRequested, waiting.Status);
        // Default: 5 working days counted from 2025-05-16 (Fri) → 2025-05-23 (Fri), ending at 24:00 China time.
        Assert.Equal(new DateTimeOffset(2025, 5, 24, 0, 0, 0, LifecycleFixture.China), waiting.SupplementDue);

        await f.AdvanceAsync(TimeSpan.FromDays(3));
        await f.Ops.AnswerSupplementAsync(app, new("a1", "applicant"), "已上传认定文件");
        await f.IdleAsync();
        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));

        await f.AdvanceAsync(TimeSpan.FromDays(10));
        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));
        await f.AcceptAsync(app);
        Assert.Equal(ApplicationStatus.ExpertReview, f.StatusOf(app));
        var outcomes = f.Ops.GetApplication(app).Decisions.Select(d => d.Outcome).ToList();
        Assert.Equal(["eligible", "started", "supplement-requested", "received", "accepted"], outcomes);
    }

    [Fact]
    public async Task Supplement_NotReceivedByDeadline_ApplicationWithdrawn()
    {
        var (f, _, app) = await InReviewAsync();
        await using var __ = f;
        await f.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Supplement, "缺少财务报表", new DateOnly(2025, 5, 20)), LifecycleFixture.Officer);
        await f.IdleAsync();

        await f.AdvanceToAsync(new DateTimeOffset(2025, 5, 20, 23, 59, 0, LifecycleFixture.China));
        Assert.Equal(ApplicationStatus.SupplementRequested, f.StatusOf(app));
        await f.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ApplicationStatus.Withdrawn, f.StatusOf(app));
        Assert.Contains(f.Mails("a1@example.cn"), m => m.Template == "supplement-timed-out");
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.AnswerSupplementAsync(app, new("a1", "applicant"), "too late"));
    }

    [Fact]
    public async Task ExpertReview_ReviewerMissesDeadline_RemindedThenReplacedAndPanelCompletes()
    {
        var (f, _, app) = await InReviewAsync(new CallSettingsInput { PanelSize = 2, ReviewDays = 10, ReminderLeadDays = 3 }, experts: 4);
        await using var __ = f;
        await f.AcceptAsync(app);
        var panel = f.Ops.GetApplication(app).Reviewers;
        Assert.Equal(2, panel.Count);
        var diligent = panel[0].ExpertId;
        var late = panel[1].ExpertId;
        await f.Ops.ScoreAsync(app, diligent, 75m);
        await f.IdleAsync();

        await f.AdvanceAsync(TimeSpan.FromDays(7));
        var lateEmail = $"{late}@experts.example.cn";
        Assert.Single(f.Mails(lateEmail), m => m.Template == "expert-reminder");
        Assert.DoesNotContain(f.Mails($"{diligent}@experts.example.cn"), m => m.Template == "expert-reminder");

        await f.AdvanceAsync(TimeSpan.FromDays(3));
        var reviewers = f.Ops.GetApplication(app).Reviewers;
        Assert.Equal("replaced", reviewers.Single(r => r.ExpertId == late).Status);
        var replacement = reviewers.Single(r => r.Status == "assigned");
        Assert.NotEqual(late, replacement.ExpertId);
        Assert.NotEqual(diligent, replacement.ExpertId);
        Assert.Contains(f.Mails(lateEmail), m => m.Template == "expert-replaced");
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.ScoreAsync(app, late, 90m));

        await f.Ops.ScoreAsync(app, replacement.ExpertId, 85m);
        await f.IdleAsync();
        var view = f.Ops.GetApplication(app);
        Assert.Equal(80m, view.Score);
        Assert.Equal(ApplicationStatus.Noticed, view.Status);
    }

    [Fact]
    public async Task ExpertReview_SameOrganisationAndDeclaredConflicts_NeverAssigned()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(4, organisation: "北京a1科技有限公司", prefix: "same");
        f.Experts(3, prefix: "free");
        f.Applicant("a1", "北京a1科技有限公司");
        f.Ops.DeclareConflict("free01", "a1", "曾任该企业顾问", LifecycleFixture.Officer);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);
        var app = f.Submit(call.CallId, "a1", LittleGiant).ApplicationId;
        await f.AdvanceToAsync(call.ClosesAt);

        await f.AcceptAsync(app);

        var panel = f.Ops.GetApplication(app).Reviewers.Select(r => r.ExpertId).Order().ToList();
        Assert.Equal(["free02", "free03"], panel);
        var assigned = f.Ops.GetApplicationTrail(app).Single(e => e.Action == "application.panel.assigned");
        Assert.Contains("same-organisation", assigned.Details, StringComparison.Ordinal);
        Assert.Contains("declared-conflict", assigned.Details, StringComparison.Ordinal);
        Assert.Contains("not enough experts", assigned.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProgrammeNotFoundException>(() => f.Ops.ScoreAsync(app, "same01", 90m));
    }

    [Fact]
    public async Task ExpertReview_ScoreBelowThreshold_NotRecommendedWithScoresRecorded()
    {
        var (f, call, app) = await InReviewAsync(new CallSettingsInput { ScoreThreshold = 70m, Aggregation = ScoreAggregation.Median });
        await using var __ = f;
        await f.AcceptAsync(app);
        var experts = f.Ops.GetApplication(app).Reviewers.Select(r => r.ExpertId).ToList();
        await f.Ops.ScoreAsync(app, experts[0], 95m);
        await f.Ops.ScoreAsync(app, experts[1], 60m);
        await f.Ops.ScoreAsync(app, experts[2], 65m);
        await f.IdleAsync();

        var view = f.Ops.GetApplication(app);
        Assert.Equal(ApplicationStatus.NotRecommended, view.Status);
        Assert.Equal(65m, view.Score);
        var decision = view.Decisions.Single(d => d.Outcome == "below-threshold");
        Assert.Contains("\"aggregate\":65", decision.Details, StringComparison.Ordinal);
        Assert.Contains("65 低于 70", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(f.Mails("a1@example.cn"), m => m.Template == "expert-review-failed");
        await f.IdleAsync();
        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(call.CallId).Status);
        Assert.Empty(f.Ops.GetLedger("001-zjtx-award", 2025));
    }

    [Fact]
    public async Task Withdraw_DuringExpertReview_EndsTheReviewAndRefusesLaterScores()
    {
        var (f, _, app) = await InReviewAsync();
        await using var __ = f;
        await f.AcceptAsync(app);
        var expert = f.Ops.GetApplication(app).Reviewers[0].ExpertId;

        await f.Ops.WithdrawApplicationAsync(app, new("a1", "applicant"), "企业搬迁");
        await f.IdleAsync();

        Assert.Equal(ApplicationStatus.Withdrawn, f.StatusOf(app));
        var result = await f.MetadataAsync(ApplicationOrchestrator.InstanceIdOf(app));
        Assert.Equal(Durable.Client.OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.ScoreAsync(app, expert, 90m));
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.WithdrawApplicationAsync(app, new("a1", "applicant")));
    }

    [Fact]
    public async Task Preliminary_DecisionSentTwice_SecondIgnoredForTheNextRound()
    {
        var (f, _, app) = await InReviewAsync();
        await using var __ = f;
        var supplement = new PreliminaryDecisionRequest(PreliminaryOutcome.Supplement, "补充材料");
        await f.Ops.DecidePreliminaryAsync(app, supplement, LifecycleFixture.Officer);
        await f.Ops.DecidePreliminaryAsync(app, supplement, LifecycleFixture.Officer);
        await f.IdleAsync();
        await f.Ops.AnswerSupplementAsync(app, new("a1", "applicant"), "已补充");
        await f.IdleAsync();

        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));
        Assert.Single(f.Ops.GetApplication(app).Decisions, d => d.Outcome == "supplement-requested");
    }
}
