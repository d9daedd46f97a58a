using Workflows.Programmes.Assessments;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Batches;

/// <summary>The mails of a 免申即享 batch, one template per event (Chinese, then an English line).</summary>
public static class BatchMail
{
    /// <summary>The party is on the recognised list: confirm (意愿确认) with payee details by the deadline.</summary>
    public static readonly MailTemplate ConfirmationRequested = Transitions.Template(
        "batch-confirmation-requested",
        a => $"【免申即享·意愿确认】{a.ProgrammeTitle}：请于{MailTemplates.Day(a.EndDate)}前确认",
        a => $"贵单位已列入{a.ProgrammeTitle}（{a.CycleYear}年度）免申即享名单，测算支持金额 {MailTemplates.Yuan(a.Amount)}。请于{MailTemplates.Time(a.EndDate)}前确认享受意愿并提供收款账户信息，逾期未确认视为放弃。{a.Reason}",
        a => $"You are on the recognised list for {a.ProgrammeTitle} ({a.CycleYear}), estimated {MailTemplates.Yuan(a.Amount)} without applying. Confirm with your payee details by {MailTemplates.TimeEn(a.EndDate)}; without a confirmation the award is treated as declined.");

    /// <summary>The party is on the list but does not meet the conditions.</summary>
    public static readonly MailTemplate Ineligible = Transitions.Template(
        "batch-ineligible",
        a => $"【免申即享·不符合条件】{a.ProgrammeTitle}（{a.CycleYear}年度）",
        a => "经核查，贵单位不符合以下条件，本批次不予支持：",
        a => $"You are on the list for {a.ProgrammeTitle} ({a.CycleYear}) but do not meet the conditions listed.");

    /// <summary>The confirmation was recorded.</summary>
    public static readonly MailTemplate Confirmed = Transitions.Template(
        "batch-confirmed",
        a => $"【免申即享·已确认】{a.ProgrammeTitle}（{a.CycleYear}年度）",
        a => $"贵单位的享受意愿及收款账户已确认，支持金额 {MailTemplates.Yuan(a.Amount)}，{a.Reason}",
        a => $"Your confirmation was recorded ({MailTemplates.Yuan(a.Amount)}); {a.Reason}");

    /// <summary>The party declined or did not confirm by the deadline.</summary>
    public static readonly MailTemplate Declined = Transitions.Template(
        "batch-declined",
        a => $"【免申即享·视为放弃】{a.ProgrammeTitle}（{a.CycleYear}年度）",
        a => $"{a.Reason}，本批次{a.ProgrammeTitle}支持视为放弃。",
        a => $"The award of {a.ProgrammeTitle} ({a.CycleYear}) is recorded as declined.");

    /// <summary>A firm that moved in is paid in next year's unified batch (次年度统一兑现).</summary>
    public static readonly MailTemplate Deferred = Transitions.Template(
        "batch-deferred",
        a => $"【免申即享·次年度兑现】{a.ProgrammeTitle}（{a.CycleYear}年度）",
        a => $"贵单位为新迁入企业，支持金额 {MailTemplates.Yuan(a.Amount)} 将于{MailTemplates.FirstDay(a.EndDate)}起次年度统一兑现（{a.Reason}）。",
        a => $"As a firm that moved in, your award of {MailTemplates.Yuan(a.Amount)} is paid in next year's unified batch from {MailTemplates.FirstDayEn(a.EndDate)}.");
}
