using Workflows.Durable.Client;
using Workflows.Programmes.Supervision;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Supervision;

public sealed class TaskSupervisionOrchestratorTests
{
    private const string Supervisor = "hr@zgc.example.cn";

    private static readonly SupervisionCatalogue Catalogue = SupervisionCatalogue.Default;

    private static Dictionary<string, string> Units() =>
        Catalogue.Units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => $"unit{x.i}@example.cn");

    private static string EmailOf(string unit) => Units()[unit];

    private static Dictionary<string, string?> Plan(int task, string? without = null)
    {
        SupervisedTask t = Catalogue.Get(task);
        var plan = new Dictionary<string, string?>
        {
            ["任务编号"] = task.ToString(),
            ["牵头单位"] = t.LeadUnit,
            ["工作任务"] = t.CategoryZh,
            ["主管领导"] = "王副主任",
            ["责任处室"] = "人才工作处",
            ["联系人"] = "李明",
            ["联系电话"] = "010-88828902",
            ["启动时间"] = "2015-04-10",
            ["完成时间"] = "2015-12-31",
            ["工作步骤及完成时限"] = "一、调研（2015年5月底前）；二、起草政策（9月底前）；三、发布实施（12月底前）",
            ["参与单位"] = string.Join("、", t.ParticipatingUnits.DefaultIfEmpty("无")),
        };
        if (without is not null)
        {
            plan.Remove(without);
        }

        return plan;
    }

    private static readonly Audit.Actor Lead = new("lead-officer", "unit");

    [Fact]
    public async Task SubmitPlan_OnTime_AcceptedWithoutEscalation()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        await ops.StartAsync(new SupervisionSetup(Units(), Supervisor, [1]), FeatureHost.Officer);
        await f.UntilAsync(() => f.Mails(EmailOf("市委组织部")).Count == 1, "the lead unit's assignment mail");

        var assigned = f.Mails(EmailOf("市委组织部")).Single();
        Assert.Equal("supervision-lead-assigned", assigned.Template);
        Assert.Contains("2015年4月3日", assigned.Subject);
        Assert.Contains("主管领导、责任处室、联系人、联系电话、启动时间、完成时间、工作步骤及完成时限、参与单位", assigned.Body);
        Assert.Equal("supervision-participant-informed", f.Mails(EmailOf("市人力社保局")).Single().Template);

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 4, 3, 23));
        await ops.SubmitPlanAsync(1, Plan(1), Lead);
        await f.UntilAsync(() => ops.Get(1).Status == "monitoring", "plan accepted");

        SupervisedTaskView view = ops.Get(1);
        Assert.False(view.PlanLate);
        Assert.Equal(0, view.PlanEscalations);
        Assert.Equal("王副主任", view.Plan!["主管领导"]);
        Assert.DoesNotContain(f.Mails(), m => m.Template == "supervision-plan-overdue");
        Assert.Contains(f.Mails(Supervisor), m => m.Template == "supervision-plan-accepted" && m.Body.Contains("按期报送"));
        await f.UntilAsync(() => ops.Get(1).Checks.Count == 1, "first progress check scheduled");
        Assert.Equal(new DateOnly(2015, 7, 3), ops.Get(1).Checks[0].DueOn);
    }

    [Fact]
    public async Task Plan_Overdue_EscalatedRepeatedlyThenAcceptedLate()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        await ops.StartAsync(new SupervisionSetup(Units(), Supervisor, [18]), FeatureHost.Officer);
        await f.SettleAsync();

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 4, 4, 0));
        await f.UntilAsync(() => ops.Get(18).Status == "plan-overdue", "first escalation");
        var first = Assert.Single(f.Mails(Supervisor), m => m.Template == "supervision-plan-overdue");
        Assert.Contains("中关村管委会", first.Body);
        Assert.Contains("2015年4月3日24:00", first.Body);
        Assert.Single(f.Mails(EmailOf("中关村管委会")), m => m.Template == "supervision-plan-overdue");

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 4, 11, 0));
        await f.UntilAsync(() => ops.Get(18).PlanEscalations == 2, "second escalation a week later");
        Assert.Equal(2, f.Mails(Supervisor).Count(m => m.Template == "supervision-plan-overdue"));
        Assert.Equal(2, f.Audit("supervision-task/002-18").Count(a => a.Action == "supervision.plan-overdue"));

        await ops.SubmitPlanAsync(18, Plan(18), Lead);
        await f.UntilAsync(() => ops.Get(18).Status == "monitoring", "late plan accepted");
        Assert.True(ops.Get(18).PlanLate);
        Assert.Contains(f.Mails(Supervisor), m => m.Template == "supervision-plan-accepted" && m.Body.Contains("逾期报送"));

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 5, 1, 0));
        Assert.Equal(2, f.Mails(Supervisor).Count(m => m.Template == "supervision-plan-overdue"));
    }

    [Fact]
    public async Task SubmitPlan_MissingTemplateField_RefusedNamingItAndNothingChanges()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        await ops.StartAsync(new SupervisionSetup(Units(), Supervisor, [5]), FeatureHost.Officer);
        await f.SettleAsync();
        int mails = f.Mails().Count;

        var e = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.SubmitPlanAsync(5, Plan(5, without: "联系电话"), Lead));
        Assert.Equal(["联系电话"], e.Errors.Keys);
        Assert.Contains("missing", e.Errors["联系电话"][0]);

        var extra = Plan(5);
        extra["预算"] = "100万";
        extra["牵头单位"] = "市教委";
        var e2 = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.SubmitPlanAsync(5, extra, Lead));
        Assert.Contains("预算", e2.Errors.Keys);
        Assert.Contains("lead unit is '市科委'", e2.Errors["牵头单位"][0]);

        await f.SettleAsync();
        Assert.Equal("awaiting-plan", ops.Get(5).Status);
        Assert.Null(ops.Get(5).Plan);
        Assert.Equal(mails, f.Mails().Count);
    }

    [Fact]
    public async Task ProgressCheck_OverdueEscalatedThenCompleted_SupervisionEnds()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        await ops.StartAsync(new SupervisionSetup(Units(), Supervisor, [3], CheckEveryMonths: 3, ResponseDays: 10, EscalateEveryDays: 5), FeatureHost.Officer);
        await f.SettleAsync();
        await ops.SubmitPlanAsync(3, Plan(3), Lead);
        await f.UntilAsync(() => ops.Get(3).Checks.Count == 1, "check 1 scheduled");
        Assert.Equal(new DateOnly(2015, 6, 20), ops.Get(3).Checks[0].DueOn);

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 6, 20, 9));
        await f.UntilAsync(() => ops.Get(3).Status == "awaiting-progress", "progress requested");
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.ReportProgressAsync(3, 2, "错误的检查编号", false, Lead));

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 7, 1, 0));
        await f.UntilAsync(() => ops.Get(3).Status == "progress-overdue", "progress escalation");
        Assert.Single(f.Mails(Supervisor), m => m.Template == "supervision-progress-overdue");

        await ops.ReportProgressAsync(3, 1, "已完成调研和政策起草", false, Lead);
        await f.UntilAsync(() => ops.Get(3).Status == "monitoring", "progress accepted");
        Assert.Equal(1, ops.Get(3).Checks[0].Escalations);
        await f.UntilAsync(() => ops.Get(3).Checks.Count == 2, "check 2 scheduled");
        Assert.Equal(new DateOnly(2015, 9, 20), ops.Get(3).Checks[1].DueOn);

        await f.AdvanceToAsync(FeatureHost.Beijing(2015, 9, 20, 9));
        await f.UntilAsync(() => ops.Get(3).Status == "awaiting-progress", "check 2 requested");
        await ops.ReportProgressAsync(3, 2, "任务完成", true, Lead);
        await f.UntilAsync(() => ops.Get(3).Status == "completed", "completed");
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(TaskSupervisionOrchestrator.InstanceId(3), true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains(f.Mails(Supervisor), m => m.Template == "supervision-task-completed");
    }

    [Fact]
    public async Task Start_UnitWithoutEmail_RefusedAndNothingStarted()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2015, 3, 20, 10));
        var ops = new SupervisionOperations(f.Services, f.Host.Client);
        var units = Units();
        units.Remove("中关村发展集团");

        var e = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.StartAsync(new SupervisionSetup(units, Supervisor), FeatureHost.Officer));
        Assert.Contains("中关村发展集团", e.Errors["unitEmails"][0]);
        Assert.Throws<ProgrammeNotFoundException>(() => ops.Get(1));
        Assert.Null(await f.Host.Client.GetInstanceAsync(TaskSupervisionOrchestrator.InstanceId(1)));
    }
}
