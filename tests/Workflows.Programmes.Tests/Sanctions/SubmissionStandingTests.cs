using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Sanctions;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Sanctions;

/// <summary>A standing record in force refuses a submission; the day after it ends the same applicant may apply.</summary>
public class SubmissionStandingTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero); // 2025-05-06 09:00 China

    [Fact]
    public async Task SubmitApplication_DisqualifiedOnItsLastDay_IneligibleNamingTheRecord_AllowedTheDayAfterItEnds()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(5);
        f.Applicant("a1");
        f.Applicant("a2");
        var sanctions = new SanctionsOperations(f.Services, f.Client);
        var basis = new Citation("003", "四", "平谷区扩大对外开放提高外资外贸发展水平扶持办法");

        // a1's disqualification ends today (2025-05-06, China date); a2's ended yesterday.
        sanctions.RecordStanding(new StandingInput("a1", StandingKind.Disqualification, basis, new DateOnly(2022, 5, 7), new DateOnly(2025, 5, 6), "虚报申报材料 / false statements", ["doc-1"]), LifecycleFixture.Officer);
        sanctions.RecordStanding(new StandingInput("a2", StandingKind.Disqualification, basis, new DateOnly(2022, 5, 6), new DateOnly(2025, 5, 5), "虚报申报材料 / false statements", ["doc-2"]), LifecycleFixture.Officer);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);
        string facts = Facts.Of001("\"zjtxLevel\": \"national-little-giant\"");

        var refused = f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", facts), new("a1", "applicant"));
        var allowed = f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a2", facts), new("a2", "applicant"));

        Assert.Equal(ApplicationStatus.Ineligible, refused.Status);
        Assert.Contains(refused.FailedRules, r => r.Contains("standing", StringComparison.Ordinal));
        Assert.Equal(ApplicationStatus.Submitted, allowed.Status);
        Assert.Equal(800_000m, allowed.EstimatedAmount);
    }
}
