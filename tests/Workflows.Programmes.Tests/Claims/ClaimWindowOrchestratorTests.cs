using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Claims;

public sealed class ClaimWindowOrchestratorTests
{
    private const string MainBoard = "003-pg-listing-main-board";

    // 2024-07-08 + 60 working days = Monday 2024-09-30, the last working day before the National Day holiday
    // (2024-10-01…07); the next working day is 2024-10-08.
    private static readonly DateOnly Listing = new(2024, 7, 8);

    private static readonly Audit.Actor Firm = new("firm-officer", "applicant");

    private const string Facts = """{ "pgRegisteredInDistrict": true, "independentLegalPerson": true, "pgInDistrictStatistics": true }""";

    /// <summary>003's policies print no validity; the tests configure one (as the host would).</summary>
    private static QuoteEngine Quotes()
    {
        var options = new CatalogueOptions();
        options.EffectivePeriods["003-shangshi"] = new DateRange(new DateOnly(2024, 2, 1), new DateOnly(2026, 12, 31));
        return new QuoteEngine(ProgrammeCatalogue.Load(options), WorkingDayCalendar.Default);
    }

    private static async Task<(FeatureHost Host, ClaimOperations Claims, ProgrammeOperations Core, long CallId)> StartAsync(DateTimeOffset now)
    {
        FeatureHost f = await FeatureHost.StartAsync(now, Quotes());
        var core = new ProgrammeOperations(f.Services, f.Host.Client);
        var claims = new ClaimOperations(core);
        CallRecord call = await core.PublishCallAsync(
            new PublishCallRequest(MainBoard, 2024, now, FeatureHost.Beijing(2024, 12, 31), 50_000_000m), FeatureHost.Officer);
        await f.UntilAsync(() => core.GetCall(call.CallId).Status == CallStatus.Open, "the standing listing call opens");
        await claims.OpenWindowAsync(new OpenClaimWindowRequest("listing-a", MainBoard, "91110117MA01", "北京平谷示范股份有限公司", "ir@pgdemo.cn", Listing), FeatureHost.Officer);
        await f.SettleAsync();
        return (f, claims, core, call.CallId);
    }

    [Fact]
    public async Task OpenWindow_SixtyWorkingDaysFromListing_LastDayBeforeNationalDay()
    {
        (FeatureHost f, ClaimOperations claims, _, _) = await StartAsync(FeatureHost.Beijing(2024, 7, 9, 9));
        await using FeatureHost owner = f;

        ClaimWindowView view = claims.Get("listing-a");
        Assert.Equal(new DateOnly(2024, 9, 30), view.LastDay);
        Assert.Equal(FeatureHost.Beijing(2024, 10, 1), view.ClosesAt);
        Assert.Equal("60 working days", view.Duration);
        Assert.Equal("listingDate", view.AnchorFact);
        Assert.Contains("三(一)", view.Clause);
        var opened = Assert.Single(f.Mails("ir@pgdemo.cn"));
        Assert.Equal("claim-window-opened", opened.Template);
        Assert.Contains("2024年9月30日", opened.Subject);
        Assert.Contains("逾期申请视为自动放弃", opened.Body);
    }

    [Fact]
    public async Task Claim_InsideTheWindow_StartsAnApplication()
    {
        (FeatureHost f, ClaimOperations claims, ProgrammeOperations core, long callId) = await StartAsync(FeatureHost.Beijing(2024, 7, 9, 9));
        await using FeatureHost owner = f;
        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 8, 15, 10));

        SubmissionResult result = await claims.ClaimAsync("listing-a", Facts, Firm);
        await f.SettleAsync();

        Assert.Equal(ApplicationStatus.Submitted, result.Status);
        Assert.Equal(10_000_000m, result.EstimatedAmount);
        ClaimWindowView view = claims.Get("listing-a");
        Assert.Equal("claimed", view.Status);
        Assert.Equal(result.ApplicationId, view.ApplicationId);
        ApplicationView app = core.GetApplication(result.ApplicationId);
        Assert.Equal(callId, app.CallId);
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(ClaimWindowOrchestrator.InstanceId("listing-a"), true);
        Assert.Equal("\"claimed\"", done.SerializedOutput);
        Assert.Contains(f.Mails("ir@pgdemo.cn"), m => m.Template == "claim-window-claimed");
        Assert.Contains(f.Audit("claim/listing-a"), a => a.Action == "claim.claimed");
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => claims.ClaimAsync("listing-a", Facts, Firm));
    }

    [Fact]
    public async Task Claim_ByDisqualifiedFirm_IneligibleNamingTheRecord()
    {
        (FeatureHost f, ClaimOperations claims, _, _) = await StartAsync(FeatureHost.Beijing(2024, 7, 9, 9));
        await using FeatureHost owner = f;
        new Workflows.Programmes.Sanctions.SanctionsOperations(f.Services, f.Host.Client).RecordStanding(
            new Workflows.Programmes.Sanctions.StandingInput("91110117MA01", StandingKind.Disqualification, new Citation("003", "四", "平谷区扩大对外开放提高外资外贸发展水平扶持办法"),
                new DateOnly(2024, 8, 1), new DateOnly(2027, 7, 31), "虚报申报材料 / false statements", ["doc-1"]),
            FeatureHost.Officer);
        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 8, 15, 10));

        SubmissionResult result = await claims.ClaimAsync("listing-a", Facts, Firm);

        Assert.Equal(ApplicationStatus.Ineligible, result.Status);
        Assert.Contains(result.FailedRules, r => r.Contains("standing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claim_OnTheLastDay_Accepted()
    {
        (FeatureHost f, ClaimOperations claims, _, _) = await StartAsync(FeatureHost.Beijing(2024, 7, 9, 9));
        await using FeatureHost owner = f;
        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 9, 30, 23));

        SubmissionResult result = await claims.ClaimAsync("listing-a", Facts, Firm);
        await f.SettleAsync();

        Assert.Equal(ApplicationStatus.Submitted, result.Status);
        Assert.Equal("claimed", claims.Get("listing-a").Status);
        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 10, 8, 9));
        Assert.Equal("claimed", claims.Get("listing-a").Status);
        Assert.DoesNotContain(f.Mails("ir@pgdemo.cn"), m => m.Template == "claim-window-lapsed");
    }

    [Fact]
    public async Task Claim_OneWorkingDayLateAcrossNationalDay_LapsedAndRefused()
    {
        (FeatureHost f, ClaimOperations claims, ProgrammeOperations core, long callId) = await StartAsync(FeatureHost.Beijing(2024, 7, 9, 9));
        await using FeatureHost owner = f;

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 10, 1, 0));
        await f.UntilAsync(() => claims.Get("listing-a").Status == "lapsed", "the window lapses when 2024-09-30 ends");
        var lapsed = f.Mails("ir@pgdemo.cn").Single(m => m.Template == "claim-window-lapsed");
        Assert.Contains("2024年9月30日24:00", lapsed.Body);
        Assert.Contains("三(一)", lapsed.Body);

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 10, 8, 9));
        Assert.True(WorkingDayCalendar.Default.IsWorkingDay(new DateOnly(2024, 10, 8)));
        Assert.Equal(1, WorkingDayCalendar.Default.WorkingDaysBetween(new DateOnly(2024, 9, 30), new DateOnly(2024, 10, 8)));
        var refused = await Assert.ThrowsAsync<ProgrammeConflictException>(() => claims.ClaimAsync("listing-a", Facts, Firm));
        Assert.Contains("2024-09-30", refused.Message);
        Assert.Empty(core.GetCallProgress(callId).Applications);
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(ClaimWindowOrchestrator.InstanceId("listing-a"), true);
        Assert.Equal("\"lapsed\"", done.SerializedOutput);
    }

    [Fact]
    public async Task OpenWindow_ProgrammeWithoutClaimWindow_RefusedNamingIt()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 7, 9, 9), Quotes());
        var claims = new ClaimOperations(new ProgrammeOperations(f.Services, f.Host.Client));
        var e = await Assert.ThrowsAsync<ProgrammeValidationException>(() =>
            claims.OpenWindowAsync(new OpenClaimWindowRequest("x-1", "004-zjtx-award", "p1", "甲公司", "a@example.cn", Listing), FeatureHost.Officer));
        Assert.Contains("has no claim window", e.Errors["programmeId"][0]);
        Assert.Throws<ProgrammeNotFoundException>(() => claims.Get("x-1"));
    }
}
