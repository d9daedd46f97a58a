using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Sanctions;

/// <summary>The mails of the sanctions module (Chinese, with an English line).</summary>
public static class SanctionsMail
{
    /// <summary>A standing record was recorded, lifted or corrected (Reason carries the text).</summary>
    public static readonly MailTemplate StandingChanged = new("standing-changed", a => MailTemplates.Compose(
        $"【信用记录】{a.Reference}",
        a,
        $"您的政策扶持资格记录有变更（{a.Reference}）：{a.Reason}",
        $"Your standing record changed ({a.Reference}): {a.Reason}"));

    /// <summary>A recovery was opened: amount, basis and deadline.</summary>
    public static readonly MailTemplate RecoveryOpened = new("recovery-opened", a => MailTemplates.Compose(
        $"【资金追回通知】{a.Reference}",
        a,
        $"根据{a.Reason}，需追回已取得的项目资金 {a.Amount:0.00} 元，请于 {a.EndDate:yyyy-MM-dd} 前退回（追回编号 {a.Reference}）。",
        $"Under {a.Reason}, support already paid of CNY {a.Amount:0.00} must be repaid by {a.EndDate:yyyy-MM-dd} (recovery {a.Reference})."));

    /// <summary>A repayment was recorded.</summary>
    public static readonly MailTemplate RepaymentRecorded = new("recovery-repayment", a => MailTemplates.Compose(
        $"【退款确认】{a.Reference}",
        a,
        $"已收到退回资金 {a.Amount:0.00} 元（追回编号 {a.Reference}）。{a.Reason}",
        $"Repayment of CNY {a.Amount:0.00} received (recovery {a.Reference}). {a.Reason}"));

    /// <summary>A recovery is overdue and escalated.</summary>
    public static readonly MailTemplate RecoveryOverdue = new("recovery-overdue", a => MailTemplates.Compose(
        $"【逾期未退回】{a.Reference}",
        a,
        $"追回编号 {a.Reference} 已逾期，尚欠 {a.Amount:0.00} 元，已报请进一步处理。",
        $"Recovery {a.Reference} is overdue with CNY {a.Amount:0.00} outstanding and has been escalated."));

    /// <summary>A recovery closed (fully repaid) or was handed on.</summary>
    public static readonly MailTemplate RecoveryClosed = new("recovery-closed", a => MailTemplates.Compose(
        $"【追回办结】{a.Reference}",
        a,
        $"追回编号 {a.Reference} 已办结：{a.Reason}",
        $"Recovery {a.Reference} is closed: {a.Reason}"));
}
