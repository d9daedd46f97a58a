using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Operations;

public sealed class ProgrammeOperationsValidationTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PublishCall_BadRequests_NamedValidationErrorsAndNothingRecorded()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        var ops = f.Ops;
        async Task<ProgrammeValidationException> Fails(PublishCallRequest r) =>
            await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.PublishCallAsync(r, LifecycleFixture.Officer));

        Assert.Contains("programmeId", (await Fails(new("nope", 2025, f.Now, f.Now.AddDays(5), 1m))).Errors.Keys);
        Assert.Contains("cycleYear", (await Fails(new("001-zjtx-award", 2030, f.Now, f.Now.AddDays(5), 1m))).Errors.Keys);
        Assert.Contains("closesAt", (await Fails(new("001-zjtx-award", 2025, f.Now, f.Now.AddDays(-1), 1m))).Errors.Keys);
        Assert.Contains("budget", (await Fails(new("001-zjtx-award", 2025, f.Now, f.Now.AddDays(5), 0.001m))).Errors.Keys);
        var settings = await Fails(new("001-zjtx-award", 2025, f.Now, f.Now.AddDays(5), 1m, new CallSettingsInput { PanelSize = 0, ReminderLeadDays = 20 }));
        Assert.Equal(["settings.panelSize", "settings.reminderLeadDays"], settings.Errors.Keys.Order().ToArray());
        Assert.Empty(ops.ListCalls());
    }

    [Fact]
    public async Task PublishCall_SilentText_DefaultsRecordedWithTheirSources()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(5), 1_000_000m, new CallSettingsInput { ScoreThreshold = 75m });

        var s = f.Ops.GetCall(call.CallId).Settings;
        Assert.Equal((3, 75m, 7, Policies.DayKind.Natural, true, false), (s.PanelSize, s.ScoreThreshold, s.NoticeDays, s.NoticeDayKind, s.ExpertReview, s.FinancialReview));
        Assert.Equal("bureau", s.Sources["ScoreThreshold"]);
        Assert.Equal("default", s.Sources["NoticeDays"]);
    }

    [Fact]
    public async Task Facade_WrongStateOrUnknownIds_TypedErrorsAndNothingChanged()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Experts(3);
        f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(5), 1_000_000m);
        var facts = Facts.Of001("\"zjtxLevel\": \"beijing-zjtx\"");
        var mailsBefore = f.Mails().Count;

        Assert.Throws<ProgrammeNotFoundException>(() => f.Submit(999, "a1", facts));
        Assert.Throws<ProgrammeNotFoundException>(() => f.Submit(call.CallId, "ghost", facts));
        Assert.Contains("facts", Assert.Throws<ProgrammeValidationException>(() => f.Submit(call.CallId, "a1", "{ not json")).Errors.Keys);
        var missing = Assert.Throws<ProgrammeValidationException>(() => f.Submit(call.CallId, "a1", Facts.Of001(string.Empty)));
        Assert.Contains("zjtxLevel", missing.Message, StringComparison.Ordinal);
        Assert.Equal(mailsBefore, f.Mails().Count);
        Assert.Empty(f.Ops.ListApplications("a1"));

        var app = f.Submit(call.CallId, "a1", facts).ApplicationId;
        Assert.Throws<ProgrammeConflictException>(() => f.Submit(call.CallId, "a1", facts));
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), LifecycleFixture.Officer));
        await Assert.ThrowsAsync<ProgrammeNotFoundException>(() => f.Ops.ScoreAsync(app, "e01", 80m));
        await Assert.ThrowsAsync<ProgrammeNotFoundException>(() => f.Ops.DecideObjectionAsync(42, true, "x", LifecycleFixture.Officer));
        Assert.Throws<ProgrammeNotFoundException>(() => f.Ops.FileObjection(app, "x", LifecycleFixture.Officer));

        await f.AdvanceToAsync(call.ClosesAt);
        Assert.Throws<ProgrammeConflictException>(() => f.Submit(call.CallId, "a1", facts));
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => f.Ops.CloseCallEarlyAsync(call.CallId, LifecycleFixture.Officer));
        await Assert.ThrowsAsync<ProgrammeValidationException>(() => f.Ops.DecidePreliminaryAsync(app, new PreliminaryDecisionRequest(PreliminaryOutcome.Reject), LifecycleFixture.Officer));
        await Assert.ThrowsAsync<ProgrammeValidationException>(() => f.Ops.ScoreAsync(app, "e01", 101m));
        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));
    }

    [Fact]
    public async Task CloseCallEarly_OpenCall_ClosesAndReviewsStartAtOnce()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(30), 1_000_000m);
        var app = f.Submit(call.CallId, "a1", Facts.Of001("\"zjtxLevel\": \"beijing-zjtx\"")).ApplicationId;

        await f.Ops.CloseCallEarlyAsync(call.CallId, LifecycleFixture.Officer, "预算调整");
        await f.IdleAsync();

        Assert.Equal(CallStatus.Reviewing, f.Ops.GetCall(call.CallId).Status);
        Assert.Equal(ApplicationStatus.Preliminary, f.StatusOf(app));
        var trail = f.Records.Read(c => Audit.AuditTrail.ForSubject(c, $"call/{call.CallId}"));
        Assert.Contains(trail, e => e.Action == "call.closed-early" && e.Reason == "预算调整" && e.Actor.Id == "officer-1");
    }
}
