using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Disbursements;

public sealed class DisbursementOrchestratorTests
{
    private const string Eligible = "{ \"registeredInArea\": true }";

    private static async Task<(LifecycleFixture F, CallRecord Call, long A1, long A2)> PaidFirstYearAsync(IInstalmentEligibility? extra = null)
    {
        var f = await LifecycleFixture.StartAsync(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero), TestCatalogue.Engine, extra is null ? null : [extra]);
        f.Experts(2);
        f.Applicant("a1");
        f.Applicant("a2");
        var call = await f.PublishAsync(TestCatalogue.InstalmentProgramme, 2025, TimeSpan.FromDays(10), 1_000_000m, new CallSettingsInput { PanelSize = 1 });
        var a1 = f.Submit(call.CallId, "a1", Eligible).ApplicationId;
        var a2 = f.Submit(call.CallId, "a2", Eligible).ApplicationId;
        await f.AdvanceToAsync(call.ClosesAt);
        foreach (var app in new[] { a1, a2 })
        {
            await f.AcceptAsync(app);
            await f.ScoreAllAsync(app, 80m);
            Assert.Equal(ApplicationStatus.FinancialReview, f.StatusOf(app));
            await f.Ops.DecideFinancialAsync(app, true, null, LifecycleFixture.Officer);
            await f.IdleAsync();
        }

        var notice = f.Ops.GetNoticeOfCall(call.CallId);
        Assert.Equal((5, DayKind.Working), (notice.LengthDays, notice.DayKind));
        await f.AdvanceToAsync(notice.EndsAt);
        return (f, call, a1, a2);
    }

    [Fact]
    public async Task Instalments_ThreeYearsWithAFailedRecheck_StopsOnlyThatApplicantsLaterInstalments()
    {
        var (f, call, a1, a2) = await PaidFirstYearAsync();
        await using var _ = f;
        Assert.Equal("catalogue: 900 第三条", f.Ops.GetCall(call.CallId).Settings.Sources["NoticeDays"]);
        Assert.Equal([120_000m, 120_000m], f.Ops.GetLedger(TestCatalogue.InstalmentProgramme, 2025).Select(l => l.Amount).ToArray());
        Assert.Equal(ApplicationStatus.Paying, f.StatusOf(a1));

        f.Ops.SetProfileFacts("a2", "{ \"registeredInArea\": false }", LifecycleFixture.Officer);
        await f.AdvanceAsync(TimeSpan.FromDays(366));

        Assert.Equal(ApplicationStatus.Paying, f.StatusOf(a1));
        Assert.Equal(ApplicationStatus.Stopped, f.StatusOf(a2));
        var stopped = Assert.Single(f.Mails("a2@example.cn"), m => m.Template == "instalment-stopped");
        Assert.Contains("在区内注册", stopped.Body, StringComparison.Ordinal);

        await f.AdvanceAsync(TimeSpan.FromDays(366));
        var ledger = f.Ops.GetLedger(TestCatalogue.InstalmentProgramme, 2025);
        Assert.Equal(300_000m, ledger.Where(l => l.ApplicantId == "a1").Sum(l => l.Amount));
        Assert.Equal([1, 2, 3], ledger.Where(l => l.ApplicantId == "a1").Select(l => l.Instalment).ToArray());
        Assert.Equal([2025, 2026, 2027], ledger.Where(l => l.ApplicantId == "a1").Select(l => l.PaymentYear).ToArray());
        Assert.Equal(120_000m, ledger.Where(l => l.ApplicantId == "a2").Sum(l => l.Amount));
        Assert.Equal(ApplicationStatus.Paid, f.StatusOf(a1));
        Assert.Equal(3, f.Mails("a1@example.cn").Count(m => m.Template == "payment-made"));
        Assert.Equal(CallStatus.Completed, f.Ops.GetCallProgress(call.CallId).Status);
    }

    [Fact]
    public async Task Instalments_AnExtraCheckRefuses_InstalmentStoppedWithItsReason()
    {
        var (f, _, a1, a2) = await PaidFirstYearAsync(new RefuseApplicant("a1", "被列入严重违法失信名单（2026年起）"));
        await using var _ = f;

        await f.AdvanceAsync(TimeSpan.FromDays(366));

        Assert.Equal(ApplicationStatus.Stopped, f.StatusOf(a1));
        Assert.Equal(ApplicationStatus.Paying, f.StatusOf(a2));
        var decision = f.Ops.GetApplication(a1).Decisions.Single(d => d.Outcome == "stopped");
        Assert.Contains("严重违法失信", decision.Reason, StringComparison.Ordinal);
    }

    private sealed class RefuseApplicant(string applicantId, string reason) : IInstalmentEligibility
    {
        public InstalmentCheckResult Check(InstalmentCheck check) =>
            check.ApplicantId == applicantId ? new InstalmentCheckResult(false, [reason]) : InstalmentCheckResult.Pass;
    }
}
