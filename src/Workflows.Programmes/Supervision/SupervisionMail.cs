using Workflows.Programmes.Assessments;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Supervision;

/// <summary>The mails of 002's task supervision, one template per event (Chinese, then an English line).</summary>
public static class SupervisionMail
{
    /// <summary>The lead unit is assigned the task and asked for the plan.</summary>
    public static readonly MailTemplate LeadAssigned = Transitions.Template(
        "supervision-lead-assigned",
        a => $"【任务分工】第{a.Reference}项工作任务：请于{MailTemplates.Day(a.EndDate)}前报送《工作任务实施方案》",
        a => $"贵单位为第{a.Reference}项工作任务的牵头单位，请联系参与单位认真研究，制定《工作任务实施方案》，明确主管领导、责任处室、联系人、工作步骤及完成时限，于{MailTemplates.Time(a.EndDate)}前报{a.Reason}。任务内容：",
        a => $"Your unit leads task {a.Reference}; submit its implementation plan (template fields below) by {MailTemplates.TimeEn(a.EndDate)}.");

    /// <summary>A participating unit is told which unit leads.</summary>
    public static readonly MailTemplate ParticipantInformed = Transitions.Template(
        "supervision-participant-informed",
        a => $"【任务分工】第{a.Reference}项工作任务：请支持牵头单位{a.Reason}",
        a => $"贵单位为第{a.Reference}项工作任务的参与单位，牵头单位为{a.Reason}，请积极支持牵头单位工作。任务内容：",
        a => $"Your unit participates in task {a.Reference}, led by {a.Reason}; please support the lead unit.");

    /// <summary>The plan was accepted.</summary>
    public static readonly MailTemplate PlanAccepted = Transitions.Template(
        "supervision-plan-accepted",
        a => $"【方案已收到】第{a.Reference}项工作任务实施方案",
        a => $"第{a.Reference}项工作任务的《工作任务实施方案》已于{MailTemplates.Time(a.Date)}收到。{a.Reason}",
        a => $"The implementation plan of task {a.Reference} was received on {MailTemplates.TimeEn(a.Date)}.");

    /// <summary>The plan is overdue: escalated to the lead unit and the supervisor.</summary>
    public static readonly MailTemplate PlanOverdue = Transitions.Template(
        "supervision-plan-overdue",
        a => $"【督办】第{a.Reference}项工作任务实施方案逾期未报（第{a.CycleYear}次督办）",
        a => $"第{a.Reference}项工作任务的牵头单位{a.Reason}未在{MailTemplates.Time(a.EndDate)}前报送《工作任务实施方案》，现予督办，请尽快报送。",
        a => $"The plan of task {a.Reference} (lead unit {a.Reason}) was due by {MailTemplates.TimeEn(a.EndDate)} and is overdue: escalation {a.CycleYear}.");

    /// <summary>A periodic progress check asks for a report.</summary>
    public static readonly MailTemplate ProgressRequested = Transitions.Template(
        "supervision-progress-requested",
        a => $"【进度检查】第{a.Reference}项工作任务第{a.CycleYear}次进度检查",
        a => $"请于{MailTemplates.Time(a.EndDate)}前报告第{a.Reference}项工作任务的完成情况。",
        a => $"Report the progress of task {a.Reference} (check {a.CycleYear}) by {MailTemplates.TimeEn(a.EndDate)}.");

    /// <summary>A progress report was received.</summary>
    public static readonly MailTemplate ProgressReceived = Transitions.Template(
        "supervision-progress-received",
        a => $"【进度已收到】第{a.Reference}项工作任务第{a.CycleYear}次进度检查",
        a => $"第{a.Reference}项工作任务第{a.CycleYear}次进度报告已收到。{a.Reason}",
        a => $"The progress report of task {a.Reference} (check {a.CycleYear}) was received.");

    /// <summary>A progress report is overdue: escalated.</summary>
    public static readonly MailTemplate ProgressOverdue = Transitions.Template(
        "supervision-progress-overdue",
        a => $"【督办】第{a.Reference}项工作任务进度报告逾期（{a.Reason}）",
        a => $"第{a.Reference}项工作任务的进度报告应于{MailTemplates.Time(a.EndDate)}前报送，现已逾期，予以督办（{a.Reason}）。",
        a => $"The progress report of task {a.Reference} was due by {MailTemplates.TimeEn(a.EndDate)} and is overdue ({a.Reason}).");

    /// <summary>The task is reported complete: supervision ends.</summary>
    public static readonly MailTemplate TaskCompleted = Transitions.Template(
        "supervision-task-completed",
        a => $"【任务完成】第{a.Reference}项工作任务",
        a => $"第{a.Reference}项工作任务已报告完成，督办结束。",
        a => $"Task {a.Reference} is reported complete; supervision ends.");
}
