using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Assessments;

/// <summary>The mails of the periodic assessment, one template per event (Chinese, then an English line).</summary>
public static class AssessmentMail
{
    /// <summary>The base was recognised and its periodic assessment starts.</summary>
    public static readonly MailTemplate Recognised = Transitions.Template(
        "base-recognised",
        a => $"【认定通知】{a.ProgrammeTitle}（{a.Reference}）",
        a => $"{a.Reference} 已被认定为{a.ProgrammeTitle}，自{MailTemplates.FirstDay(a.Date)}起纳入管理，按期接受考核评价。",
        a => $"{a.Reference} is recognised as a {a.ProgrammeTitle} from {MailTemplates.FirstDayEn(a.Date)} and will be assessed each period.");

    /// <summary>The period ended: submit the report by the deadline.</summary>
    public static readonly MailTemplate ReportRequested = Transitions.Template(
        "assessment-report-requested",
        a => $"【考核通知】{a.ProgrammeTitle} 第{a.CycleYear}期考核，请于{MailTemplates.Day(a.EndDate)}前提交材料",
        a => $"{a.Reference} 第{a.CycleYear}期考核评价开始，请于{MailTemplates.Time(a.EndDate)}前提交：{a.Reason}。",
        a => $"The assessment of period {a.CycleYear} for {a.Reference} has started; submit the report by {MailTemplates.TimeEn(a.EndDate)}.");

    /// <summary>The report was received.</summary>
    public static readonly MailTemplate ReportReceived = Transitions.Template(
        "assessment-report-received",
        a => $"【材料已收到】{a.ProgrammeTitle} 第{a.CycleYear}期考核",
        a => $"{a.Reference} 第{a.CycleYear}期考核材料已收到，等待主管部门评价。",
        a => $"The report of period {a.CycleYear} for {a.Reference} was received; the bureau will grade it.");

    /// <summary>No report by the deadline and no accepted cause.</summary>
    public static readonly MailTemplate ReportOverdue = Transitions.Template(
        "assessment-report-overdue",
        a => $"【逾期未报】{a.ProgrammeTitle} 第{a.CycleYear}期考核材料逾期",
        a => $"{a.Reference} 未在{MailTemplates.Time(a.EndDate)}前提交第{a.CycleYear}期考核材料。{a.Reason}",
        a => $"{a.Reference} did not submit the report of period {a.CycleYear} by {MailTemplates.TimeEn(a.EndDate)}.");

    /// <summary>The bureau accepted a cause for not taking part.</summary>
    public static readonly MailTemplate AbsenceExcused = Transitions.Template(
        "assessment-absence-excused",
        a => $"【考核说明】{a.ProgrammeTitle} 第{a.CycleYear}期考核不参加原因已认可",
        a => $"{a.Reference} 第{a.CycleYear}期不参加考核的原因已被认可（{a.Reason}），本期不计入考核结果。",
        a => $"The reason {a.Reference} gave for missing period {a.CycleYear} was accepted; the period does not count.");

    /// <summary>The bureau graded the period.</summary>
    public static readonly MailTemplate Graded = Transitions.Template(
        "assessment-graded",
        a => $"【考核结果】{a.ProgrammeTitle} 第{a.CycleYear}期：{a.Reason}",
        a => $"{a.Reference} 第{a.CycleYear}期考核评价结果为：{a.Reason}。",
        a => $"The assessment of period {a.CycleYear} for {a.Reference} is: {a.Reason}.");

    /// <summary>Intake of new firms is suspended.</summary>
    public static readonly MailTemplate IntakeSuspended = Transitions.Template(
        "assessment-intake-suspended",
        a => $"【暂停招收】{a.ProgrammeTitle}（{a.Reference}）暂停招收新企业",
        a => $"{a.Reference} 自{MailTemplates.FirstDay(a.Date)}起暂停招收新企业资格，待整改合格经认定后恢复；整改一年仍不达标的将予撤销。",
        a => $"{a.Reference} may not admit new firms from {MailTemplates.FirstDayEn(a.Date)} until its rectification is certified; still failing after a year, it is revoked.");

    /// <summary>Intake of new firms resumes.</summary>
    public static readonly MailTemplate IntakeResumed = Transitions.Template(
        "assessment-intake-resumed",
        a => $"【恢复招收】{a.ProgrammeTitle}（{a.Reference}）恢复招收新企业",
        a => $"{a.Reference} 整改合格，自{MailTemplates.FirstDay(a.Date)}起恢复招收新企业资格。",
        a => $"{a.Reference}'s rectification is certified; it may admit new firms again from {MailTemplates.FirstDayEn(a.Date)}.");

    /// <summary>The recognition is revoked.</summary>
    public static readonly MailTemplate Revoked = Transitions.Template(
        "base-revoked",
        a => $"【撤销通知】{a.ProgrammeTitle}（{a.Reference}）资格撤销",
        a => $"{a.Reference} 的{a.ProgrammeTitle}资格自{MailTemplates.FirstDay(a.Date)}起撤销。依据：{a.Reason}",
        a => $"{a.Reference}'s recognition as a {a.ProgrammeTitle} is revoked from {MailTemplates.FirstDayEn(a.Date)}.");

    /// <summary>An accident was recorded without revoking the base.</summary>
    public static readonly MailTemplate AccidentRecorded = Transitions.Template(
        "assessment-accident-recorded",
        a => $"【事故登记】{a.ProgrammeTitle}（{a.Reference}）",
        a => $"{a.Reference} 的事故已登记：{a.Reason}。",
        a => $"An accident at {a.Reference} was recorded.");

    /// <summary>The firms of a revoked zone were taken over by another zone.</summary>
    public static readonly MailTemplate FirmsTakenOver = Transitions.Template(
        "assessment-firms-taken-over",
        a => $"【企业接管】{a.ProgrammeTitle} 入区企业由{a.Reason}接管",
        a => $"原{a.Reference}的入区企业共{a.Lines.Count}家，自{MailTemplates.FirstDay(a.Date)}起由{a.Reason}接管。",
        a => $"The {a.Lines.Count} firms of {a.Reference} are taken over by {a.Reason} from {MailTemplates.FirstDayEn(a.Date)}.");
}
