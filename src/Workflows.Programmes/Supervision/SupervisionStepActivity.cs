using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Supervision;

/// <summary>
/// Every state change of a supervised task, each in one transaction with its audit entry and mails. Idempotent: each
/// action checks the stored state, and audit entries and mails carry keys per task, check and escalation.
/// </summary>
internal sealed class SupervisionStepActivity(ProgrammeServices services, SupervisionCatalogue catalogue) : TaskActivity<SupervisionStepInput, SupervisionStep>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override Task<SupervisionStep> RunAsync(TaskActivityContext context, SupervisionStepInput input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        SupervisionStep step = services.Records.Transaction((c, t) =>
        {
            TaskRow row = SupervisionStore.Get(c, t, input.TaskNumber) ?? throw new InvalidOperationException($"002 task {input.TaskNumber} is not under supervision.");
            SupervisedTask task = catalogue.Get(input.TaskNumber);
            return input.Action switch
            {
                SupervisionAction.Assign => this.Assign(c, t, row, task, now),
                SupervisionAction.EscalatePlan => this.EscalatePlan(c, t, row, task, input.Escalation, now),
                SupervisionAction.AcceptPlan => this.AcceptPlan(c, t, row, task, input.Signal!, now),
                SupervisionAction.ScheduleCheck => ScheduleCheck(c, t, row, input.Check),
                SupervisionAction.RequestProgress => this.RequestProgress(c, t, row, task, input.Check, now),
                SupervisionAction.EscalateProgress => this.EscalateProgress(c, t, row, task, input.Check, input.Escalation, now),
                SupervisionAction.AcceptProgress => this.AcceptProgress(c, t, row, task, input.Check, input.Signal!, now),
                _ => throw new ArgumentOutOfRangeException(nameof(input), input.Action, "unknown supervision action"),
            };
        });
        return Task.FromResult(step);
    }

    private SupervisionStep Assign(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, DateTimeOffset now)
    {
        DateTime deadline = DistrictDates.EndOfDayUtc(row.PlanDeadline);
        var mails = new List<(MailTemplate, OutboxAddress, MailArgs)>
        {
            (SupervisionMail.LeadAssigned, Address(c, t, task.LeadUnit), Args(task, now) with
            {
                RecipientName = task.LeadUnit, EndDate = deadline, Reason = catalogue.Document.PlanRecipientZh,
                Lines = [task.ContentZh, "实施方案须含：" + string.Join("、", catalogue.PlanTemplate.Select(f => f.LabelZh)) + $"（{SupervisionDocument.Cite(catalogue.Document.TemplateClause)}）"],
            }),
        };
        foreach (string unit in task.ParticipatingUnits)
        {
            mails.Add((SupervisionMail.ParticipantInformed, Address(c, t, unit), Args(task, now) with { RecipientName = unit, Reason = task.LeadUnit, Lines = [task.ContentZh] }));
        }

        Transitions.Record(
            c, t, services.Notifications, $"supervision/002/{task.Number}/assigned", now, Actor.System, "supervision.assigned", Subjects(task),
            SupervisionDocument.Cite(catalogue.Document.PlanDeadlineClause),
            new { task = task.Number, lead = task.LeadUnit, participating = task.ParticipatingUnits, planDeadline = row.PlanDeadline }, [.. mails]);
        return new SupervisionStep(true, false, null, deadline);
    }

    private SupervisionStep EscalatePlan(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, int escalation, DateTimeOffset now)
    {
        DateOnly next = row.PlanDeadline.AddDays(escalation * row.RepeatDays);
        if (row.Status is SupervisedTaskStatus.AwaitingPlan or SupervisedTaskStatus.PlanOverdue)
        {
            Db.Execute(c, t, "UPDATE supervision_tasks SET status = $s, plan_escalations = MAX(plan_escalations, $e), updated_at = $at WHERE task_number = $n;",
                ("$n", task.Number), ("$s", SupervisedTaskStatus.PlanOverdue), ("$e", escalation), ("$at", Db.ToMs(now)));
            MailArgs args = Args(task, now) with { EndDate = DistrictDates.EndOfDayUtc(row.PlanDeadline), Reason = task.LeadUnit, CycleYear = escalation };
            Transitions.Record(
                c, t, services.Notifications, $"supervision/002/{task.Number}/plan-overdue/{escalation}", now, Actor.System, "supervision.plan-overdue", Subjects(task),
                SupervisionDocument.Cite(catalogue.Document.PlanDeadlineClause), new { task = task.Number, escalation, deadline = row.PlanDeadline, nextEscalation = next },
                (SupervisionMail.PlanOverdue, Address(c, t, task.LeadUnit), args with { RecipientName = task.LeadUnit }),
                (SupervisionMail.PlanOverdue, new OutboxAddress(row.SupervisorEmail, catalogue.Document.PlanRecipientZh), args with { RecipientName = catalogue.Document.PlanRecipientZh }));
        }

        return new SupervisionStep(true, false, null, DistrictDates.EndOfDayUtc(next));
    }

    private SupervisionStep AcceptPlan(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, SupervisionSignal signal, DateTimeOffset now)
    {
        if (signal.Kind != SupervisionSignalKind.PlanSubmitted || row.Status is not (SupervisedTaskStatus.AwaitingPlan or SupervisedTaskStatus.PlanOverdue)
            || signal.Plan is null || PlanValidator.Problems(catalogue, task, signal.Plan).Count > 0)
        {
            return new SupervisionStep(false, false, null, null);
        }

        bool late = now.UtcDateTime >= DistrictDates.EndOfDayUtc(row.PlanDeadline);
        DateOnly completion = PlanValidator.CompletionDate(signal.Plan);
        Db.Execute(c, t, """
            UPDATE supervision_tasks SET status = $s, plan_json = $p, plan_at = $at, plan_late = $late, completion_date = $done, updated_at = $at
             WHERE task_number = $n;
            """,
            ("$n", task.Number), ("$s", SupervisedTaskStatus.Monitoring), ("$p", JsonSerializer.Serialize(signal.Plan, Json)), ("$at", Db.ToMs(now)),
            ("$late", late ? 1 : 0), ("$done", SupervisionStore.Format(completion)));
        string note = late ? $"方案逾期报送（截止{row.PlanDeadline:yyyy-MM-dd}）。" : "方案按期报送。";
        Transitions.Record(
            c, t, services.Notifications, $"supervision/002/{task.Number}/plan-accepted", now, new Actor(signal.ActorId, signal.ActorRole), "supervision.plan-accepted", Subjects(task),
            SupervisionDocument.Cite(catalogue.Document.TemplateClause), new { task = task.Number, late, completion, escalations = row.PlanEscalations },
            (SupervisionMail.PlanAccepted, Address(c, t, task.LeadUnit), Args(task, now) with { RecipientName = task.LeadUnit, Reason = note }),
            (SupervisionMail.PlanAccepted, new OutboxAddress(row.SupervisorEmail, catalogue.Document.PlanRecipientZh), Args(task, now) with { RecipientName = catalogue.Document.PlanRecipientZh, Reason = note }));
        return new SupervisionStep(true, false, null, null);
    }

    private static SupervisionStep ScheduleCheck(SqliteConnection c, SqliteTransaction t, TaskRow row, int check)
    {
        if (row.Status == SupervisedTaskStatus.Completed)
        {
            return new SupervisionStep(true, true, null, null);
        }

        if (SupervisionStore.Checks(c, t, row.Number, check).FirstOrDefault() is not { } existing)
        {
            DateOnly planned = DistrictDates.DateOf(row.PlanAt!.Value);
            DateOnly due = planned.AddMonths(check * row.CheckMonths);
            DateOnly previous = check == 1 ? planned : SupervisionStore.Checks(c, t, row.Number, check - 1).Single().DueOn;

            // The plan's 完成时间 gets a check of its own when it falls between two periodic checks.
            if (row.CompletionDate is { } done && done > previous && done < due)
            {
                due = done;
            }

            existing = new CheckRow(check, due, due.AddDays(row.ResponseDays), null, null, null, false, 0);
            Db.Execute(c, t, "INSERT INTO supervision_checks (task_number, check_index, due_on, respond_by) VALUES ($n, $i, $d, $r);",
                ("$n", row.Number), ("$i", check), ("$d", SupervisionStore.Format(existing.DueOn)), ("$r", SupervisionStore.Format(existing.RespondBy)));
        }

        return new SupervisionStep(true, false, DistrictDates.StartOfDayUtc(existing.DueOn), DistrictDates.EndOfDayUtc(existing.RespondBy));
    }

    private SupervisionStep RequestProgress(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, int check, DateTimeOffset now)
    {
        CheckRow cr = SupervisionStore.Checks(c, t, row.Number, check).Single();
        if (cr.RequestedAt is null)
        {
            Db.Execute(c, t, "UPDATE supervision_checks SET requested_at = $at WHERE task_number = $n AND check_index = $i;", ("$n", row.Number), ("$i", check), ("$at", Db.ToMs(now)));
            Db.Execute(c, t, "UPDATE supervision_tasks SET status = $s, current_check = $i, updated_at = $at WHERE task_number = $n;",
                ("$n", row.Number), ("$i", check), ("$s", SupervisedTaskStatus.AwaitingProgress), ("$at", Db.ToMs(now)));
            Transitions.Record(
                c, t, services.Notifications, $"supervision/002/{task.Number}/check/{check}/requested", now, Actor.System, "supervision.progress-requested", Subjects(task),
                SupervisionDocument.Cite(catalogue.Document.ProgressChecksClause), new { task = task.Number, check, dueOn = cr.DueOn, respondBy = cr.RespondBy },
                (SupervisionMail.ProgressRequested, Address(c, t, task.LeadUnit), Args(task, now) with { RecipientName = task.LeadUnit, CycleYear = check, EndDate = DistrictDates.EndOfDayUtc(cr.RespondBy) }));
        }

        return new SupervisionStep(true, false, null, DistrictDates.EndOfDayUtc(cr.RespondBy));
    }

    private SupervisionStep EscalateProgress(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, int check, int escalation, DateTimeOffset now)
    {
        CheckRow cr = SupervisionStore.Checks(c, t, row.Number, check).Single();
        DateOnly next = cr.RespondBy.AddDays(escalation * row.RepeatDays);
        if (cr.ReportedAt is null)
        {
            Db.Execute(c, t, "UPDATE supervision_checks SET escalations = MAX(escalations, $e) WHERE task_number = $n AND check_index = $i;", ("$n", row.Number), ("$i", check), ("$e", escalation));
            SupervisionStore.SetStatus(c, t, row.Number, SupervisedTaskStatus.ProgressOverdue, now);
            MailArgs args = Args(task, now) with
            {
                CycleYear = check, EndDate = DistrictDates.EndOfDayUtc(cr.RespondBy),
                Reason = string.Create(CultureInfo.InvariantCulture, $"第{check}次检查，第{escalation}次督办"),
            };
            Transitions.Record(
                c, t, services.Notifications, $"supervision/002/{task.Number}/check/{check}/overdue/{escalation}", now, Actor.System, "supervision.progress-overdue", Subjects(task),
                SupervisionDocument.Cite(catalogue.Document.ProgressChecksClause), new { task = task.Number, check, escalation, respondBy = cr.RespondBy },
                (SupervisionMail.ProgressOverdue, Address(c, t, task.LeadUnit), args with { RecipientName = task.LeadUnit }),
                (SupervisionMail.ProgressOverdue, new OutboxAddress(row.SupervisorEmail, catalogue.Document.PlanRecipientZh), args with { RecipientName = catalogue.Document.PlanRecipientZh }));
        }

        return new SupervisionStep(true, false, null, DistrictDates.EndOfDayUtc(next));
    }

    private SupervisionStep AcceptProgress(SqliteConnection c, SqliteTransaction t, TaskRow row, SupervisedTask task, int check, SupervisionSignal signal, DateTimeOffset now)
    {
        CheckRow? cr = SupervisionStore.Checks(c, t, row.Number, check).FirstOrDefault();
        if (signal.Kind != SupervisionSignalKind.ProgressReported || signal.Check != check || cr is null || cr.ReportedAt is not null)
        {
            return new SupervisionStep(false, row.Status == SupervisedTaskStatus.Completed, null, null);
        }

        Db.Execute(c, t, "UPDATE supervision_checks SET reported_at = $at, report = $r, completed = $done WHERE task_number = $n AND check_index = $i;",
            ("$n", row.Number), ("$i", check), ("$at", Db.ToMs(now)), ("$r", signal.Report), ("$done", signal.Completed ? 1 : 0));
        SupervisionStore.SetStatus(c, t, row.Number, signal.Completed ? SupervisedTaskStatus.Completed : SupervisedTaskStatus.Monitoring, now);
        var actor = new Actor(signal.ActorId, signal.ActorRole);
        OutboxAddress lead = Address(c, t, task.LeadUnit);
        if (signal.Completed)
        {
            Transitions.Record(
                c, t, services.Notifications, $"supervision/002/{task.Number}/completed", now, actor, "supervision.completed", Subjects(task), null, new { task = task.Number, check },
                (SupervisionMail.TaskCompleted, lead, Args(task, now) with { RecipientName = task.LeadUnit }),
                (SupervisionMail.TaskCompleted, new OutboxAddress(row.SupervisorEmail, catalogue.Document.PlanRecipientZh), Args(task, now) with { RecipientName = catalogue.Document.PlanRecipientZh }));
        }
        else
        {
            string note = cr.Escalations > 0 ? $"逾期报送（督办{cr.Escalations}次）。" : "按期报送。";
            Transitions.Record(
                c, t, services.Notifications, $"supervision/002/{task.Number}/check/{check}/received", now, actor, "supervision.progress-received", Subjects(task), null,
                new { task = task.Number, check, late = cr.Escalations > 0 },
                (SupervisionMail.ProgressReceived, lead, Args(task, now) with { RecipientName = task.LeadUnit, CycleYear = check, Reason = note }));
        }

        return new SupervisionStep(true, signal.Completed, null, null);
    }

    private static OutboxAddress Address(SqliteConnection c, SqliteTransaction t, string unit) =>
        new(SupervisionStore.UnitEmail(c, t, unit) ?? throw new InvalidOperationException($"No email is on record for unit '{unit}'."), unit);

    private static MailArgs Args(SupervisedTask task, DateTimeOffset now) =>
        new() { ProgrammeTitle = "中关村国际人才创新创业生态系统建设工程", Reference = task.Number.ToString(CultureInfo.InvariantCulture), Date = now };

    private static IReadOnlyList<string> Subjects(SupervisedTask task) =>
        [AuditTrail.Subject("supervision-task", FormattableString.Invariant($"002-{task.Number}"))];
}
