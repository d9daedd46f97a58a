using Workflows.Programmes.Assessments;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Claims;

/// <summary>The mails of a claim window, one template per event (Chinese, then an English line).</summary>
public static class ClaimMail
{
    /// <summary>The right to claim is open until the window's last day.</summary>
    public static readonly MailTemplate Opened = Transitions.Template(
        "claim-window-opened",
        a => $"【申请提示】{a.ProgrammeTitle}：请于{MailTemplates.Day(a.EndDate)}前提交资金申请",
        a => $"贵单位可申请{a.ProgrammeTitle}，请于{MailTemplates.Time(a.EndDate)}前提交资金申请，逾期申请视为自动放弃。{a.Reason}",
        a => $"You may claim {a.ProgrammeTitle}; submit the claim by {MailTemplates.TimeEn(a.EndDate)}. A late claim is treated as waived.");

    /// <summary>The claim was received and its application started.</summary>
    public static readonly MailTemplate Claimed = Transitions.Template(
        "claim-window-claimed",
        a => $"【申请已受理】{a.ProgrammeTitle}（申报编号 {a.Reference}）",
        a => $"贵单位已于{MailTemplates.Time(a.Date)}在申请期限内提交{a.ProgrammeTitle}资金申请，申报编号 {a.Reference}，进入审核流程。",
        a => $"Your claim for {a.ProgrammeTitle} was made in time on {MailTemplates.TimeEn(a.Date)}; application {a.Reference} is under review.");

    /// <summary>The window ended without a claim: the right lapsed.</summary>
    public static readonly MailTemplate Lapsed = Transitions.Template(
        "claim-window-lapsed",
        a => $"【申请期限已过】{a.ProgrammeTitle}：视为自动放弃",
        a => $"贵单位未在{MailTemplates.Time(a.EndDate)}前提交{a.ProgrammeTitle}资金申请，依据{a.Reason}，逾期申请视为自动放弃。",
        a => $"No claim for {a.ProgrammeTitle} was made by {MailTemplates.TimeEn(a.EndDate)}; under {a.Reason} the right is treated as waived.");
}
