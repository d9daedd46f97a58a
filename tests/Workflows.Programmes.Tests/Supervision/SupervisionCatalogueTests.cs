using Workflows.Programmes.Supervision;

namespace Workflows.Programmes.Tests.Supervision;

public sealed class SupervisionCatalogueTests
{
    private static readonly SupervisionCatalogue Catalogue = SupervisionCatalogue.Default;

    [Fact]
    public void Default_HoldsThe38TasksWithLeadUnitsAsPrinted()
    {
        Assert.Equal(38, Catalogue.Tasks.Count);
        Assert.Equal(Enumerable.Range(1, 38), Catalogue.Tasks.Select(t => t.Number));
        Assert.All(Catalogue.Tasks, t => Assert.False(string.IsNullOrWhiteSpace(t.ContentZh)));

        SupervisedTask first = Catalogue.Get(1);
        Assert.Equal("深入实施重大人才工程", first.CategoryZh);
        Assert.StartsWith("深入贯彻落实国家“千人计划”", first.ContentZh);
        Assert.Equal("市委组织部", first.LeadUnit);
        Assert.Equal(["市人力社保局"], first.ParticipatingUnits);

        SupervisedTask eleven = Catalogue.Get(11);
        Assert.Equal(["海淀区", "朝阳区", "石景山区"], eleven.ParticipatingUnits);
        Assert.Equal("等有关区县", eleven.OthersZh);

        SupervisedTask eighteen = Catalogue.Get(18);
        Assert.Equal("中关村管委会", eighteen.LeadUnit);
        Assert.Equal(["相关分园区管委会", "中关村发展集团"], eighteen.ParticipatingUnits);
        Assert.NotNull(eighteen.Note);

        Assert.Equal("市人才工作领导小组相关成员单位", Catalogue.Get(38).LeadUnit);
        Assert.Equal("抢占知识产权与技术标准制高点", Catalogue.Get(32).CategoryZh);
        Assert.Throws<ProgrammeNotFoundException>(() => Catalogue.Get(39));
    }

    [Fact]
    public void Default_PlanTemplateAndDeadlineFromTheNotice()
    {
        Assert.Equal(
            ["任务编号", "牵头单位", "工作任务", "主管领导", "责任处室", "联系人", "联系电话", "启动时间", "完成时间", "工作步骤及完成时限", "参与单位"],
            Catalogue.PlanTemplate.Select(f => f.LabelZh));
        Assert.Equal(new DateOnly(2015, 4, 3), Catalogue.Document.PlanDeadline);
        Assert.Equal("中关村管委会人力资源处", Catalogue.Document.PlanRecipientZh);
        Assert.Equal("京人才发〔2015〕3号", Catalogue.Document.Number);
    }

    [Fact]
    public void Problems_CompletionBeforeStartAndBadDate_Named()
    {
        SupervisedTask task = Catalogue.Get(2);
        var plan = Catalogue.PlanTemplate.ToDictionary(f => f.LabelZh, f => (string?)"x");
        plan["任务编号"] = "2";
        plan["牵头单位"] = "市科委";
        plan["启动时间"] = "2015-06-01";
        plan["完成时间"] = "2015-05-01";
        Assert.Equal(["field '完成时间' (2015-05-01) is before '启动时间' (2015-06-01)"], PlanValidator.Problems(Catalogue, task, plan));

        plan["完成时间"] = "2015年12月";
        plan["任务编号"] = "3";
        var problems = PlanValidator.Problems(Catalogue, task, plan);
        Assert.Contains("field '完成时间' is '2015年12月', expected a date yyyy-MM-dd", problems);
        Assert.Contains("field '任务编号' is '3' but the plan is for task 2", problems);
    }

    [Fact]
    public void Parse_TaskOutOfOrder_Refused()
    {
        const string json = """
            { "document": { "planDeadline": "2015-04-03" }, "planTemplate": [], "tasks": [ { "number": 2, "contentZh": "x", "leadUnit": "y" } ] }
            """;
        var e = Assert.Throws<InvalidDataException>(() => SupervisionCatalogue.Parse(json));
        Assert.Contains("position 1 is numbered 2", e.Message);
    }
}
