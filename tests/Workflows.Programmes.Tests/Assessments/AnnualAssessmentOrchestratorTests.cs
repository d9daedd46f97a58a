using Workflows.Durable.Client;
using Workflows.Programmes.Assessments;

namespace Workflows.Programmes.Tests.Assessments;

public sealed class AnnualAssessmentOrchestratorTests
{
    private static readonly DateOnly Recognised = new(2025, 1, 10);

    [Fact]
    public async Task PilotBase_TwoConsecutiveFails_RevokedAndAssessmentEnds()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("pilot-1", AssessmentSchemes.PilotBase, "平谷区示范中试基地", "pilot@example.cn", Recognised), FeatureHost.Officer);

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("pilot-1").Phase == "awaiting-report", "period 1 report requested");
        BaseView view = ops.Get("pilot-1");
        Assert.Equal(new DateOnly(2026, 2, 9), view.Periods[0].ReportDueOn);
        await ops.SubmitReportAsync("pilot-1", 1, "2025 年度评估报告", new("pilot-op", "base"));
        await f.UntilAsync(() => ops.Get("pilot-1").Phase == "awaiting-grade", "period 1 report received");
        await ops.GradeAsync("pilot-1", new GradeRequest(1, "fail", "服务成效不足"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("pilot-1").Period == 2, "period 2 begun");
        view = ops.Get("pilot-1");
        Assert.Equal(1, view.ConsecutiveFails);
        Assert.Equal("active", view.Status);

        await f.AdvanceToAsync(FeatureHost.Beijing(2027, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("pilot-1").Phase == "awaiting-report", "period 2 report requested");
        await ops.SubmitReportAsync("pilot-1", 2, "2026 年度评估报告", new("pilot-op", "base"));
        await f.UntilAsync(() => ops.Get("pilot-1").Phase == "awaiting-grade", "period 2 report received");
        await ops.GradeAsync("pilot-1", new GradeRequest(2, "fail", "仍不合格"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("pilot-1").Status == "revoked", "revocation");

        view = ops.Get("pilot-1");
        Assert.Equal("003 平谷区中试基地管理办法 二4", view.RevocationClause);
        Assert.Equal(new DateOnly(2027, 1, 10), view.RevokedOn);
        Assert.Equal(2, view.ConsecutiveFails);
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(AnnualAssessmentOrchestrator.InstanceId("pilot-1"), true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("\"revoked\"", done.SerializedOutput);

        var templates = f.Mails("pilot@example.cn").Select(m => m.Template).ToList();
        Assert.Equal(
            ["base-recognised", "assessment-report-requested", "assessment-report-received", "assessment-graded",
             "assessment-report-requested", "assessment-report-received", "assessment-graded", "base-revoked"],
            templates);
        Assert.Contains("连续两次年度绩效评价不合格", f.Mails("pilot@example.cn")[^1].Body);
        var actions = f.Audit("base/pilot-1").Select(a => a.Action).ToList();
        Assert.Equal(1, actions.Count(a => a == "base.revoked"));
        Assert.Equal(2, actions.Count(a => a == "assessment.graded"));
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.SubmitReportAsync("pilot-1", 3, "迟交", new("pilot-op", "base")));
    }

    [Fact]
    public async Task PilotBase_NoShowWithoutCause_RevokedAtReportDeadline()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("pilot-2", AssessmentSchemes.PilotBase, "平谷区二号中试基地", "pilot2@example.cn", Recognised, ReportDays: 15), FeatureHost.Officer);

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 25, 23));
        await f.UntilAsync(() => ops.Get("pilot-2").Phase == "awaiting-report", "report requested");
        Assert.Equal("active", ops.Get("pilot-2").Status);

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 26));
        await f.UntilAsync(() => ops.Get("pilot-2").Status == "revoked", "revocation after the report deadline 2026-01-25");
        BaseView view = ops.Get("pilot-2");
        Assert.Equal("no-show", view.Periods[0].Outcome);
        Assert.Contains(f.Mails("pilot2@example.cn"), m => m.Template == "assessment-report-overdue");
        Assert.Contains("无故不参加年度绩效评价", f.Mails("pilot2@example.cn")[^1].Body);
    }

    [Fact]
    public async Task PilotBase_AccidentThroughPoorManagement_RevokedMidPeriod()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("pilot-3", AssessmentSchemes.PilotBase, "平谷区三号中试基地", "pilot3@example.cn", Recognised), FeatureHost.Officer);
        await f.AdvanceToAsync(FeatureHost.Beijing(2025, 6, 1));

        await ops.ReportAccidentAsync("pilot-3", new AccidentReport("AQ-2025-07", "safety", DueToPoorManagement: false, "设备故障，无人员伤亡"), FeatureHost.Officer);
        await f.UntilAsync(() => f.Mails("pilot3@example.cn").Any(m => m.Template == "assessment-accident-recorded"), "accident recorded");
        Assert.Equal("active", ops.Get("pilot-3").Status);

        await ops.ReportAccidentAsync("pilot-3", new AccidentReport("HB-2025-02", "environmental", DueToPoorManagement: true, "废水超标排放"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("pilot-3").Status == "revoked", "revocation after the accident");
        Assert.Equal(new DateOnly(2025, 6, 1), ops.Get("pilot-3").RevokedOn);
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(AnnualAssessmentOrchestrator.InstanceId("pilot-3"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    [Fact]
    public async Task ClusterZone_FailThenFailAfterAYearOfRectification_SuspendedThenRevokedAndFirmsTakenOver()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("zone-a", AssessmentSchemes.ClusterZone, "马坊镇集群注册区", "zone-a@example.cn", Recognised), FeatureHost.Officer);
        await ops.RecogniseAsync(new RecogniseBaseRequest("zone-b", AssessmentSchemes.ClusterZone, "兴谷园区集群注册区", "zone-b@example.cn", Recognised), FeatureHost.Officer);
        ops.RegisterFirm("zone-a", "91110117A", "北京甲科技有限公司", FeatureHost.Officer);
        ops.RegisterFirm("zone-a", "91110117B", "北京乙贸易有限公司", FeatureHost.Officer);

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("zone-a").Phase == "awaiting-report", "period 1 report requested");
        await ops.SubmitReportAsync("zone-a", 1, "2025 年度考核材料", new("zone-a-op", "base"));
        await f.UntilAsync(() => ops.Get("zone-a").Phase == "awaiting-grade", "report received");
        await ops.GradeAsync("zone-a", new GradeRequest(1, "fail", "纳税率、建档率不达标"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("zone-a").Status == "suspended", "intake suspended");

        var refused = Assert.Throws<ProgrammeConflictException>(() => ops.RegisterFirm("zone-a", "91110117C", "北京丙公司", FeatureHost.Officer));
        Assert.Contains("二(五)", refused.Message);
        Assert.Equal(2, ops.Get("zone-a").Firms.Count);
        Assert.Contains(f.Mails("zone-a@example.cn"), m => m.Template == "assessment-intake-suspended");

        await f.AdvanceToAsync(FeatureHost.Beijing(2027, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("zone-a").Phase == "awaiting-report", "period 2 report requested");
        await ops.SubmitReportAsync("zone-a", 2, "整改报告", new("zone-a-op", "base"));
        await f.UntilAsync(() => ops.Get("zone-a").Phase == "awaiting-grade", "report received");
        await ops.GradeAsync("zone-a", new GradeRequest(2, "fail", "整改一年仍不达标"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("zone-a").Status == "revoked", "revocation");
        Assert.Equal("003 平谷区招商引资企业集群注册区管理办法 二(五)", ops.Get("zone-a").RevocationClause);

        Assert.Equal(2, ops.TransferFirms("zone-a", "zone-b", FeatureHost.Officer));
        Assert.Equal(["91110117A", "91110117B"], ops.Get("zone-b").Firms);
        Assert.Empty(ops.Get("zone-a").Firms);
        Assert.Equal("zone-b", ops.Get("zone-a").SuccessorBaseId);
        Assert.Contains(f.Mails("zone-b@example.cn"), m => m.Template == "assessment-firms-taken-over");
    }

    [Fact]
    public async Task ClusterZone_RectificationCertified_IntakeResumes()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("zone-c", AssessmentSchemes.ClusterZone, "峪口镇集群注册区", "zone-c@example.cn", Recognised), FeatureHost.Officer);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.CertifyRectificationAsync("zone-c", "无需整改", FeatureHost.Officer));

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("zone-c").Phase == "awaiting-report", "report requested");
        await ops.SubmitReportAsync("zone-c", 1, "考核材料", new("zone-c-op", "base"));
        await f.UntilAsync(() => ops.Get("zone-c").Phase == "awaiting-grade", "report received");
        await ops.GradeAsync("zone-c", new GradeRequest(1, "fail"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("zone-c").IntakeSuspended, "intake suspended");

        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 6, 1, 9));
        await ops.CertifyRectificationAsync("zone-c", "区市场监管局认定整改合格", FeatureHost.Officer);
        await f.UntilAsync(() => !ops.Get("zone-c").IntakeSuspended, "intake resumed");
        ops.RegisterFirm("zone-c", "91110117D", "北京丁公司", FeatureHost.Officer);
        Assert.Equal("active", ops.Get("zone-c").Status);
        Assert.Contains(f.Mails("zone-c@example.cn"), m => m.Template == "assessment-intake-resumed");
    }

    [Fact]
    public async Task Incubator_Outstanding_EligibleForTheYearlyPool()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("inc-1", AssessmentSchemes.Incubator, "亦庄领航孵化器", "inc@example.cn", Recognised), FeatureHost.Officer);
        await f.AdvanceToAsync(FeatureHost.Beijing(2026, 1, 10, 9));
        await f.UntilAsync(() => ops.Get("inc-1").Phase == "awaiting-report", "report requested");
        await ops.SubmitReportAsync("inc-1", 1, "孵化企业 42 家", new("inc-op", "base"));
        await f.UntilAsync(() => ops.Get("inc-1").Phase == "awaiting-grade", "report received");

        var wrong = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.GradeAsync("inc-1", new GradeRequest(1, "excellent"), FeatureHost.Officer));
        Assert.Contains("grade", wrong.Errors.Keys);
        await ops.GradeAsync("inc-1", new GradeRequest(1, "outstanding", "运营成效显著"), FeatureHost.Officer);
        await f.UntilAsync(() => ops.Get("inc-1").Period == 2, "period 2 begun");

        AppliedConsequence c = Assert.Single(ops.Get("inc-1").Periods[0].Consequences);
        Assert.Equal(ConsequenceAction.RecordEligibility, c.Action);
        Assert.Equal("001-incubator-excellence", c.ProgrammeId);
        Assert.Equal("001 四(十)", c.Clause);
        var graded = f.Mails("inc@example.cn").Single(m => m.Template == "assessment-graded");
        Assert.Contains("运营成效显著", graded.Body);
        Assert.Contains("1000万元", graded.Body);
        Assert.Contains(f.Audit("base/inc-1"), a => a.Action == "base.reward-eligible");
    }

    [Fact]
    public async Task Recognise_TalentStudioWithoutConfiguration_RefusedAndNothingStored()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);

        var e = await Assert.ThrowsAsync<ProgrammeValidationException>(() =>
            ops.RecogniseAsync(new RecogniseBaseRequest("studio-1", AssessmentSchemes.TalentStudio, "张工高层次人才工作室", "studio@example.cn", Recognised), FeatureHost.Officer));
        Assert.Contains("sets no period, grade or consequence", e.Errors["configuration"][0]);
        Assert.Throws<ProgrammeNotFoundException>(() => ops.Get("studio-1"));
        Assert.Null(await f.Host.Client.GetInstanceAsync(AnnualAssessmentOrchestrator.InstanceId("studio-1")));

        BaseView view = await ops.RecogniseAsync(
            new RecogniseBaseRequest("studio-1", AssessmentSchemes.TalentStudio, "张工高层次人才工作室", "studio@example.cn", Recognised,
                Configuration: new AssessmentConfiguration(24, [new("pass", "合格", "Pass", GradeStanding.Pass), new("fail", "不合格", "Fail", GradeStanding.Fail)], RevokeAfterConsecutiveFails: 1)),
            FeatureHost.Officer);
        Assert.True(view.Scheme.ConfiguredByBureau);
        Assert.Equal(24, view.Scheme.PeriodMonths);
        Assert.StartsWith("bureau configuration", view.Scheme.Source);
        await f.UntilAsync(() => ops.Get("studio-1").Periods.Count == 1, "period 1 begun");
        Assert.Equal(new DateOnly(2027, 1, 10), ops.Get("studio-1").Periods[0].EndsOn);
    }

    [Fact]
    public async Task Grade_BeforeTheReport_ConflictAndUnknownBase_NotFound()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 10, 9));
        var ops = new BaseOperations(f.Services, f.Host.Client);
        await ops.RecogniseAsync(new RecogniseBaseRequest("park-1", AssessmentSchemes.IndustrialPark, "亦庄智造园", "park@example.cn", Recognised), FeatureHost.Officer);
        await f.SettleAsync();

        var conflict = await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.GradeAsync("park-1", new GradeRequest(1, "excellent", Title: "营商环境示范园区"), FeatureHost.Officer));
        Assert.Contains("in-period", conflict.Message);
        var noTitle = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.GradeAsync("park-1", new GradeRequest(1, "excellent"), FeatureHost.Officer));
        Assert.Contains("title", noTitle.Errors.Keys);
        await Assert.ThrowsAsync<ProgrammeNotFoundException>(() => ops.GradeAsync("nowhere", new GradeRequest(1, "excellent"), FeatureHost.Officer));
        var kind = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.RecogniseAsync(new RecogniseBaseRequest("x", "003-unknown", "X", "x@example.cn", Recognised), FeatureHost.Officer));
        Assert.Contains("kind", kind.Errors.Keys);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.RecogniseAsync(new RecogniseBaseRequest("park-1", AssessmentSchemes.Incubator, "亦庄智造园", "park@example.cn", Recognised), FeatureHost.Officer));
    }
}
