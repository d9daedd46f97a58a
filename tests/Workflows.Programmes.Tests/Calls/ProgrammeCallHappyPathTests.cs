using Workflows.Durable.Client;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Calls;

public sealed class ProgrammeCallHappyPathTests
{
    public static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Call_OneApplicationThroughEveryStage_PaidOnceIntoTheLedger()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        await OneApplicationThroughEveryStageAsync(f);
    }

    /// <summary>The whole cycle of one award call, with its checks; also run on replicated records.</summary>
    internal static async Task OneApplicationThroughEveryStageAsync(LifecycleFixture f)
    {
        f.Experts(5);
        var applicant = f.Applicant("a1");
        f.Ops.Subscribe(applicant.PartyId, "001-zjtx-award", LifecycleFixture.Officer);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);
        Assert.Contains(f.Mails(applicant.Email), m => m.Template == "call-opened");

        var submitted = f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", Facts.Of001("\"zjtxLevel\": \"national-little-giant\"")), new("a1", "applicant"));
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
        Assert.Equal(800_000m, submitted.EstimatedAmount);

        await f.AdvanceAsync(TimeSpan.FromDays(10));
        Assert.True(ApplicationStatus.Preliminary == f.StatusOf(submitted.ApplicationId), await f.DescribeAsync(call.InstanceId));

        await f.Ops.DecidePreliminaryAsync(submitted.ApplicationId, new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), LifecycleFixture.Officer);
        await f.IdleAsync();
        var view = f.Ops.GetApplication(submitted.ApplicationId);
        Assert.Equal(ApplicationStatus.ExpertReview, view.Status);
        Assert.Equal(3, view.Reviewers.Count);
        using (var facts = System.Text.Json.JsonDocument.Parse(view.FactsJson))
        {
            Assert.Equal("national-little-giant", facts.RootElement.GetProperty("zjtxLevel").GetString());
        }

        await f.ScoreAllAsync(submitted.ApplicationId, 82m);
        Assert.Equal(ApplicationStatus.Noticed, f.StatusOf(submitted.ApplicationId));
        var notice = f.Ops.GetNoticeOfCall(call.CallId);
        Assert.Equal(7, notice.LengthDays);
        Assert.Equal(800_000m, Assert.Single(notice.Entries).Amount);

        await f.AdvanceToAsync(notice.EndsAt);
        var done = await f.MetadataAsync(call.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var final = f.Ops.GetApplication(submitted.ApplicationId);
        Assert.Equal(ApplicationStatus.Paid, final.Status);
        Assert.Equal(82m, final.Score);
        var payment = Assert.Single(f.Ops.GetLedger("001-zjtx-award", 2025));
        Assert.Equal(800_000m, payment.Amount);
        Assert.Equal("national-little-giant", payment.Tier);
        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(call.CallId).Status);
        Assert.Equal(800_000m, f.Ops.GetCallProgress(call.CallId).Paid);
        var templates = f.Mails(applicant.Email).Select(m => m.Template).ToList();
        Assert.Equal(
            ["call-opened", "application-submitted", "review-started", "preliminary-accepted", "expert-review-passed", "award-proposed", "award-confirmed", "payment-made"],
            templates);
        Assert.All(f.Mails(applicant.Email), m => Assert.Contains("English: ", m.Body, StringComparison.Ordinal));
        var actions = f.Ops.GetApplicationTrail(submitted.ApplicationId).Select(e => e.Action).ToList();
        Assert.Equal(3, actions.Count(a => a == "application.expert.scored"));
        Assert.Contains("application.payment.made", actions);
    }
}
