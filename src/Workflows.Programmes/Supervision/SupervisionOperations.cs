using System.Text.Json;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Supervision;

/// <summary>Starts the supervision of 002's tasks.</summary>
/// <param name="UnitEmails">Unit name as printed in the task table → the address its mail goes to (every unit of the chosen tasks is required).</param>
/// <param name="SupervisorEmail">The address of the supervisor who receives plans and escalations (中关村管委会人力资源处).</param>
/// <param name="TaskNumbers">The tasks to supervise; all 38 when null.</param>
/// <param name="PlanDeadline">The plan deadline; 002's 2015-04-03 when null.</param>
/// <param name="CheckEveryMonths">Months between progress checks (定期: the text sets no period); default 3.</param>
/// <param name="ResponseDays">Natural days to answer a progress check; default 15.</param>
/// <param name="EscalateEveryDays">Natural days between repeated escalations of an overdue plan or report; default 7.</param>
public sealed record SupervisionSetup(
    IReadOnlyDictionary<string, string> UnitEmails,
    string SupervisorEmail,
    IReadOnlyList<int>? TaskNumbers = null,
    DateOnly? PlanDeadline = null,
    int? CheckEveryMonths = null,
    int? ResponseDays = null,
    int? EscalateEveryDays = null);

/// <summary>A progress check as the API shows it.</summary>
/// <param name="Check">Number, from 1.</param>
/// <param name="DueOn">The day the check is asked for.</param>
/// <param name="RespondBy">Last day to answer.</param>
/// <param name="ReportedAt">When the answer came.</param>
/// <param name="Report">The answer.</param>
/// <param name="Completed">The task was reported complete.</param>
/// <param name="Escalations">Escalations sent.</param>
public sealed record ProgressCheckView(int Check, DateOnly DueOn, DateOnly RespondBy, DateTimeOffset? ReportedAt, string? Report, bool Completed, int Escalations);

/// <summary>A supervised task as the API shows it.</summary>
/// <param name="Task">The task from 002's table.</param>
/// <param name="Status"><c>awaiting-plan</c>, <c>plan-overdue</c>, <c>monitoring</c>, <c>awaiting-progress</c>, <c>progress-overdue</c> or <c>completed</c>.</param>
/// <param name="PlanDeadline">The plan deadline (inclusive).</param>
/// <param name="PlanSubmittedAt">When the plan was accepted.</param>
/// <param name="PlanLate">Whether it came after the deadline.</param>
/// <param name="PlanEscalations">Escalations of the overdue plan.</param>
/// <param name="Plan">The plan's fields.</param>
/// <param name="Checks">Progress checks so far.</param>
public sealed record SupervisedTaskView(
    SupervisedTask Task,
    string Status,
    DateOnly PlanDeadline,
    DateTimeOffset? PlanSubmittedAt,
    bool PlanLate,
    int PlanEscalations,
    IReadOnlyDictionary<string, string?>? Plan,
    IReadOnlyList<ProgressCheckView> Checks);

/// <summary>
/// The host's entry point for 002's task supervision. Calls validate first and change nothing when they throw
/// <see cref="ProgrammeNotFoundException"/>, <see cref="ProgrammeConflictException"/> or <see cref="ProgrammeValidationException"/>.
/// </summary>
/// <param name="services">Records and clock.</param>
/// <param name="client">The durable client.</param>
/// <param name="catalogue">002's tasks; <see cref="SupervisionCatalogue.Default"/> when null.</param>
public sealed class SupervisionOperations(ProgrammeServices services, DurableTaskClient client, SupervisionCatalogue? catalogue = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Gets 002's tasks and plan template.</summary>
    public SupervisionCatalogue Catalogue { get; } = catalogue ?? SupervisionCatalogue.Default;

    /// <summary>Starts supervising tasks: stores the unit directory and starts one orchestration per task.</summary>
    /// <param name="setup">The setup.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The tasks.</returns>
    public async Task<IReadOnlyList<SupervisedTaskView>> StartAsync(SupervisionSetup setup, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(actor);
        List<SupervisedTask> tasks = this.Validate(setup);
        DateOnly deadline = setup.PlanDeadline ?? this.Catalogue.Document.PlanDeadline;
        DateTimeOffset now = services.Time.GetUtcNow();
        services.Records.Transaction((c, t) =>
        {
            var started = tasks.Where(task => SupervisionStore.Get(c, t, task.Number) is not null).Select(task => task.Number).ToList();
            if (started.Count > 0)
            {
                throw new ProgrammeConflictException($"002 tasks {string.Join(", ", started)} are already under supervision.");
            }

            foreach ((string unit, string email) in setup.UnitEmails)
            {
                Db.Execute(c, t, """
                    INSERT INTO supervision_units (unit, email, updated_at) VALUES ($u, $e, $at)
                    ON CONFLICT (unit) DO UPDATE SET email = $e, updated_at = $at;
                    """, ("$u", unit.Trim()), ("$e", email.Trim()), ("$at", Db.ToMs(now)));
            }

            foreach (SupervisedTask task in tasks)
            {
                Db.Execute(c, t, """
                    INSERT INTO supervision_tasks (task_number, lead_unit, supervisor_email, plan_deadline, check_months, response_days, repeat_days, status, started_at, updated_at)
                    VALUES ($n, $lead, $sup, $deadline, $months, $resp, $repeat, $status, $at, $at);
                    """,
                    ("$n", task.Number), ("$lead", task.LeadUnit), ("$sup", setup.SupervisorEmail.Trim()), ("$deadline", SupervisionStore.Format(deadline)),
                    ("$months", setup.CheckEveryMonths ?? DefaultCheckEveryMonths), ("$resp", setup.ResponseDays ?? DefaultResponseDays),
                    ("$repeat", setup.EscalateEveryDays ?? DefaultEscalateEveryDays), ("$status", SupervisedTaskStatus.AwaitingPlan), ("$at", Db.ToMs(now)));
                AuditTrail.Append(c, t, new AuditEntry(
                    $"supervision/002/{task.Number}/started", now, actor, "supervision.started",
                    [AuditTrail.Subject("supervision-task", FormattableString.Invariant($"002-{task.Number}"))], SupervisionDocument.Cite(this.Catalogue.Document.TasksClause),
                    AuditTrail.ToDetails(new
                    {
                        task = task.Number, planDeadline = deadline, checkEveryMonths = setup.CheckEveryMonths ?? DefaultCheckEveryMonths,
                        responseDays = setup.ResponseDays ?? DefaultResponseDays, escalateEveryDays = setup.EscalateEveryDays ?? DefaultEscalateEveryDays,
                        settingsSource = "bureau (002 sets the plan deadline only; 定期 checks have no stated period)",
                    })));
            }
        });

        foreach (SupervisedTask task in tasks)
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    TaskSupervisionOrchestrator.Name, new SupervisionInput(task.Number, 0), new StartOrchestrationOptions(TaskSupervisionOrchestrator.InstanceId(task.Number)), cancellation);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Started by an earlier, interrupted call.
            }
        }

        return tasks.Select(task => this.Get(task.Number)).ToList();
    }

    /// <summary>Default months between progress checks.</summary>
    public const int DefaultCheckEveryMonths = 3;

    /// <summary>Default days to answer a progress check.</summary>
    public const int DefaultResponseDays = 15;

    /// <summary>Default days between repeated escalations.</summary>
    public const int DefaultEscalateEveryDays = 7;

    /// <summary>Submits a task's implementation plan: exactly the template's fields, keyed by their printed labels.</summary>
    /// <param name="taskNumber">The task.</param>
    /// <param name="plan">Label → value, e.g. 主管领导 → 王某.</param>
    /// <param name="actor">The lead unit's officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ProgrammeValidationException">A field is missing, empty, unknown or wrong; <see cref="ProgrammeValidationException.Errors"/> is keyed by field label.</exception>
    public Task SubmitPlanAsync(int taskNumber, IReadOnlyDictionary<string, string?> plan, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        TaskRow row = this.Find(taskNumber);
        SupervisedTask task = this.Catalogue.Get(taskNumber);
        if (row.Status is not (SupervisedTaskStatus.AwaitingPlan or SupervisedTaskStatus.PlanOverdue))
        {
            throw new ProgrammeConflictException($"002 task {taskNumber}'s plan was already accepted; it is {row.Status}.");
        }

        IReadOnlyList<string> problems = PlanValidator.Problems(this.Catalogue, task, plan);
        if (problems.Count > 0)
        {
            throw new ProgrammeValidationException(problems
                .GroupBy(p => p.StartsWith("field '", StringComparison.Ordinal) ? p.Split('\'')[1] : "plan")
                .ToDictionary(g => g.Key, g => g.ToArray()));
        }

        return client.RaiseEventAsync(
            TaskSupervisionOrchestrator.InstanceId(taskNumber), TaskSupervisionOrchestrator.SignalEvent,
            new SupervisionSignal(SupervisionSignalKind.PlanSubmitted, 0, actor.Id, actor.Role, plan.ToDictionary(p => p.Key, p => p.Value?.Trim())), cancellation);
    }

    /// <summary>Reports progress for the open check.</summary>
    /// <param name="taskNumber">The task.</param>
    /// <param name="check">The check number.</param>
    /// <param name="report">The progress report.</param>
    /// <param name="completed">The task is complete.</param>
    /// <param name="actor">The lead unit's officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task ReportProgressAsync(int taskNumber, int check, string report, bool completed, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(report))
        {
            throw new ProgrammeValidationException("report", "the progress report is empty");
        }

        TaskRow row = this.Find(taskNumber);
        if (row.Status is not (SupervisedTaskStatus.AwaitingProgress or SupervisedTaskStatus.ProgressOverdue) || row.CurrentCheck != check)
        {
            throw new ProgrammeConflictException($"002 task {taskNumber} has no open progress check {check}; it is {row.Status} (check {row.CurrentCheck}).");
        }

        return client.RaiseEventAsync(
            TaskSupervisionOrchestrator.InstanceId(taskNumber), TaskSupervisionOrchestrator.SignalEvent,
            new SupervisionSignal(SupervisionSignalKind.ProgressReported, check, actor.Id, actor.Role, Report: report.Trim(), Completed: completed), cancellation);
    }

    /// <summary>Gets a supervised task.</summary>
    /// <param name="taskNumber">The task.</param>
    /// <returns>The view.</returns>
    public SupervisedTaskView Get(int taskNumber)
    {
        SupervisedTask task = this.Catalogue.Get(taskNumber);
        return services.Records.Read(c =>
        {
            TaskRow row = SupervisionStore.Get(c, null, taskNumber) ?? throw new ProgrammeNotFoundException("supervised task", FormattableString.Invariant($"002-{taskNumber}"));
            return new SupervisedTaskView(
                task, row.Status, row.PlanDeadline, row.PlanAt, row.PlanLate, row.PlanEscalations,
                row.PlanJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(row.PlanJson, Json),
                SupervisionStore.Checks(c, null, taskNumber).Select(x => new ProgressCheckView(x.Index, x.DueOn, x.RespondBy, x.ReportedAt, x.Report, x.Completed, x.Escalations)).ToList());
        });
    }

    private TaskRow Find(int taskNumber)
    {
        this.Catalogue.Get(taskNumber);
        return services.Records.Read(c => SupervisionStore.Get(c, null, taskNumber))
            ?? throw new ProgrammeNotFoundException("supervised task", FormattableString.Invariant($"002-{taskNumber}"));
    }

    private List<SupervisedTask> Validate(SupervisionSetup setup)
    {
        var errors = new Dictionary<string, string[]>();
        List<SupervisedTask> tasks = [];
        IReadOnlyList<int> numbers = setup.TaskNumbers ?? this.Catalogue.Tasks.Select(t => t.Number).ToList();
        var unknown = numbers.Where(n => n < 1 || n > this.Catalogue.Tasks.Count).ToList();
        if (unknown.Count > 0 || numbers.Count == 0 || numbers.Distinct().Count() != numbers.Count)
        {
            errors["taskNumbers"] = [$"give distinct task numbers between 1 and {this.Catalogue.Tasks.Count}" + (unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : string.Empty)];
        }
        else
        {
            tasks = numbers.Select(this.Catalogue.Get).ToList();
        }

        if (!IsEmail(setup.SupervisorEmail))
        {
            errors["supervisorEmail"] = ["a valid email address is required"];
        }

        var emails = (setup.UnitEmails ?? new Dictionary<string, string>()).ToDictionary(u => u.Key.Trim(), u => u.Value, StringComparer.Ordinal);
        var missing = tasks.SelectMany(t => t.Units).Distinct(StringComparer.Ordinal).Where(u => !emails.ContainsKey(u)).ToList();
        if (missing.Count > 0)
        {
            errors["unitEmails"] = [$"no email for: {string.Join("、", missing)}"];
        }

        var bad = emails.Where(e => !IsEmail(e.Value)).Select(e => e.Key).ToList();
        if (bad.Count > 0)
        {
            errors["unitEmails"] = [.. errors.GetValueOrDefault("unitEmails") ?? [], $"invalid email for: {string.Join("、", bad)}"];
        }

        if (setup.CheckEveryMonths is < 1 or > 12)
        {
            errors["checkEveryMonths"] = ["must be between 1 and 12"];
        }

        if (setup.ResponseDays is < 1 or > 90)
        {
            errors["responseDays"] = ["must be between 1 and 90"];
        }

        if (setup.EscalateEveryDays is < 1 or > 90)
        {
            errors["escalateEveryDays"] = ["must be between 1 and 90"];
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        return tasks;
    }

    private static bool IsEmail(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Contains('@', StringComparison.Ordinal) && value.AsSpan().IndexOfAny('\r', '\n') < 0;
}
