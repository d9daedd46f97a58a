using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Programmes.Supervision;

/// <summary>
/// The 38 tasks of seed 002 (京人才发〔2015〕3号, 附件 任务分解表) with their lead and participating units, the
/// implementation-plan template (附件 工作任务实施方案(表样)) and the plan deadline (通知: 2015年4月3日前), read
/// from the embedded data file <c>Supervision/Data/002-tasks.json</c>.
/// </summary>
public sealed class SupervisionCatalogue
{
    private const string ResourceName = "Workflows.Programmes.Supervision.Data.002-tasks.json";

    private static readonly Lazy<SupervisionCatalogue> Embedded = new(LoadEmbedded);

    private readonly Dictionary<int, SupervisedTask> byNumber;

    private SupervisionCatalogue(SupervisionDocument document, IReadOnlyList<PlanTemplateField> template, IReadOnlyList<SupervisedTask> tasks)
    {
        this.Document = document;
        this.PlanTemplate = template;
        this.Tasks = tasks;
        this.byNumber = tasks.ToDictionary(t => t.Number);
    }

    /// <summary>Gets the catalogue embedded in this assembly (loaded once).</summary>
    public static SupervisionCatalogue Default => Embedded.Value;

    /// <summary>Gets the document facts: number, deadline and the clauses they come from.</summary>
    public SupervisionDocument Document { get; }

    /// <summary>Gets the plan template's fields, in the order printed.</summary>
    public IReadOnlyList<PlanTemplateField> PlanTemplate { get; }

    /// <summary>Gets the tasks, numbered 1–38.</summary>
    public IReadOnlyList<SupervisedTask> Tasks { get; }

    /// <summary>Gets every unit named in the task table (lead or participating), in first-mention order.</summary>
    public IReadOnlyList<string> Units => this.Tasks.SelectMany(t => t.Units).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Gets a task by number.</summary>
    /// <param name="number">The task number (1–38).</param>
    /// <returns>The task.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such task.</exception>
    public SupervisedTask Get(int number) =>
        this.byNumber.TryGetValue(number, out SupervisedTask? task)
            ? task
            : throw new ProgrammeNotFoundException("002 task", number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses a catalogue from JSON text in the embedded file's format.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The catalogue.</returns>
    /// <exception cref="InvalidDataException">The text is not a valid task file.</exception>
    public static SupervisionCatalogue Parse(string json)
    {
        FileModel model = JsonSerializer.Deserialize<FileModel>(json, JsonOptions)
            ?? throw new InvalidDataException("002 task file is empty.");
        if (model.Document is null || model.PlanTemplate is null || model.Tasks is null)
        {
            throw new InvalidDataException("002 task file needs 'document', 'planTemplate' and 'tasks'.");
        }

        var tasks = new List<SupervisedTask>();
        foreach (TaskModel t in model.Tasks)
        {
            if (string.IsNullOrWhiteSpace(t.LeadUnit) || string.IsNullOrWhiteSpace(t.ContentZh))
            {
                throw new InvalidDataException($"002 task {t.Number}: 'leadUnit' and 'contentZh' are required.");
            }

            tasks.Add(new SupervisedTask(t.Number, t.CategoryZh ?? string.Empty, t.ContentZh, t.UnitsAsPrinted ?? t.LeadUnit, t.LeadUnit, t.ParticipatingUnits ?? [], t.OthersZh, t.Note));
        }

        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i].Number != i + 1)
            {
                throw new InvalidDataException($"002 task file: task at position {i + 1} is numbered {tasks[i].Number}.");
            }
        }

        DocumentModel d = model.Document;
        var document = new SupervisionDocument(
            d.Seed ?? "002",
            d.Number ?? string.Empty,
            d.TitleZh ?? string.Empty,
            d.Issuer ?? string.Empty,
            DateOnly.ParseExact(d.PlanDeadline ?? throw new InvalidDataException("002 task file: 'document.planDeadline' is required."), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            d.PlanDeadlineClause ?? "通知",
            d.PlanDeadlineTextZh ?? string.Empty,
            d.PlanRecipientZh ?? string.Empty,
            d.ProgressChecksClause ?? "通知",
            d.ProgressChecksTextZh ?? string.Empty,
            d.TasksClause ?? string.Empty,
            d.TemplateClause ?? string.Empty);
        var template = model.PlanTemplate.Select(f => new PlanTemplateField(
            f.Key ?? throw new InvalidDataException("002 plan template: a field has no 'key'."),
            f.LabelZh ?? throw new InvalidDataException($"002 plan template field '{f.Key}' has no 'labelZh'."),
            ParseKind(f.Kind, f.Key))).ToList();
        return new SupervisionCatalogue(document, template, tasks);
    }

    private static PlanFieldKind ParseKind(string? kind, string key) => kind switch
    {
        "text" => PlanFieldKind.Text,
        "date" => PlanFieldKind.Date,
        "task-number" => PlanFieldKind.TaskNumber,
        "lead-unit" => PlanFieldKind.LeadUnit,
        _ => throw new InvalidDataException($"002 plan template field '{key}': unknown kind '{kind}'."),
    };

    private static SupervisionCatalogue LoadEmbedded()
    {
        Assembly assembly = typeof(SupervisionCatalogue).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed class FileModel
    {
        public DocumentModel? Document { get; set; }

        public List<FieldModel>? PlanTemplate { get; set; }

        public List<TaskModel>? Tasks { get; set; }
    }

    private sealed class DocumentModel
    {
        public string? Seed { get; set; }

        public string? Number { get; set; }

        public string? TitleZh { get; set; }

        public string? Issuer { get; set; }

        public string? PlanDeadline { get; set; }

        public string? PlanDeadlineClause { get; set; }

        public string? PlanDeadlineTextZh { get; set; }

        public string? PlanRecipientZh { get; set; }

        public string? LeadUnitRuleZh { get; set; }

        public string? ProgressChecksClause { get; set; }

        public string? ProgressChecksTextZh { get; set; }

        public string? TasksClause { get; set; }

        public string? TemplateClause { get; set; }
    }

    private sealed class FieldModel
    {
        public string? Key { get; set; }

        public string? LabelZh { get; set; }

        public string? Kind { get; set; }
    }

    private sealed class TaskModel
    {
        public int Number { get; set; }

        public string? CategoryZh { get; set; }

        public string ContentZh { get; set; } = string.Empty;

        public string? UnitsAsPrinted { get; set; }

        public string LeadUnit { get; set; } = string.Empty;

        public List<string>? ParticipatingUnits { get; set; }

        public string? OthersZh { get; set; }

        public string? Note { get; set; }
    }
}

/// <summary>Facts of seed 002's notice that the supervision runs on.</summary>
/// <param name="Seed">Seed file name.</param>
/// <param name="Number">Document number (京人才发〔2015〕3号).</param>
/// <param name="TitleZh">Title.</param>
/// <param name="Issuer">Issuing body.</param>
/// <param name="PlanDeadline">Last day to submit the implementation plan (2015年4月3日前, read as inclusive).</param>
/// <param name="PlanDeadlineClause">Clause of the deadline.</param>
/// <param name="PlanDeadlineTextZh">The deadline sentence as printed.</param>
/// <param name="PlanRecipientZh">Where plans go (中关村管委会人力资源处).</param>
/// <param name="ProgressChecksClause">Clause of the periodic checks.</param>
/// <param name="ProgressChecksTextZh">The checks sentence as printed (定期…检查指导; no period is stated).</param>
/// <param name="TasksClause">Clause of the task table.</param>
/// <param name="TemplateClause">Clause of the plan template.</param>
public sealed record SupervisionDocument(
    string Seed,
    string Number,
    string TitleZh,
    string Issuer,
    DateOnly PlanDeadline,
    string PlanDeadlineClause,
    string PlanDeadlineTextZh,
    string PlanRecipientZh,
    string ProgressChecksClause,
    string ProgressChecksTextZh,
    string TasksClause,
    string TemplateClause)
{
    /// <summary>Renders a citation of this document, e.g. <c>002 附件 工作任务实施方案(表样)</c>.</summary>
    /// <param name="clause">The clause label.</param>
    /// <returns>The citation text.</returns>
    public static string Cite(string clause) => "002 " + clause;
}

/// <summary>One task of 002's task table.</summary>
/// <param name="Number">Task number (1–38).</param>
/// <param name="CategoryZh">The 工作任务 group it sits in.</param>
/// <param name="ContentZh">具体内容, quoted from the table.</param>
/// <param name="UnitsAsPrinted">责任单位 as printed (line breaks removed).</param>
/// <param name="LeadUnit">牵头单位: the first responsible unit (通知: 责任单位中排名第一的单位).</param>
/// <param name="ParticipatingUnits">参与单位: the other responsible units.</param>
/// <param name="OthersZh">A trailing "等有关区县" / "等相关区县" when printed (units the lead unit brings in).</param>
/// <param name="Note">The reading taken where the printed units were ambiguous.</param>
public sealed record SupervisedTask(
    int Number,
    string CategoryZh,
    string ContentZh,
    string UnitsAsPrinted,
    string LeadUnit,
    IReadOnlyList<string> ParticipatingUnits,
    string? OthersZh,
    string? Note)
{
    /// <summary>Gets the lead unit followed by the participating units.</summary>
    public IEnumerable<string> Units => new[] { this.LeadUnit }.Concat(this.ParticipatingUnits);
}

/// <summary>How a plan field's value is checked.</summary>
public enum PlanFieldKind
{
    /// <summary>Free text, not empty.</summary>
    Text,

    /// <summary>A date, <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>Must equal the task's number.</summary>
    TaskNumber,

    /// <summary>Must equal the task's lead unit.</summary>
    LeadUnit,
}

/// <summary>A field of the implementation-plan template (工作任务实施方案(表样)).</summary>
/// <param name="Key">English key.</param>
/// <param name="LabelZh">The label as printed, e.g. 主管领导.</param>
/// <param name="Kind">How the value is checked.</param>
public sealed record PlanTemplateField(string Key, string LabelZh, PlanFieldKind Kind);
