using System.Globalization;
using System.Text;
using Workflows.Policies;

namespace Workflows.Programmes.Notifications;

/// <summary>
/// One template per lifecycle event, Chinese with an English line. Modules add their own templates beside their
/// code with <see cref="MailTemplate"/> and may use <see cref="Compose"/> for the common layout.
/// </summary>
public static class MailTemplates
{
    /// <summary>China Standard Time (UTC+8, no daylight saving), used for every date shown to people.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>A call for applications opened (to subscribed parties).</summary>
    public static readonly MailTemplate CallOpened = new("call-opened", a => Compose(
        $"【申报通知】{a.ProgrammeTitle} {a.CycleYear}年度申报已开始",
        a,
        $"{a.ProgrammeTitle}（{a.CycleYear}年度）现已开放申报，申报截止时间：{Time(a.EndDate)}。批次编号：{a.Reference}。",
        $"Applications for {a.ProgrammeTitle} ({a.CycleYear}) are open until {TimeEn(a.EndDate)} (call {a.Reference})."));

    /// <summary>An application was received and passed the eligibility check.</summary>
    public static readonly MailTemplate ApplicationSubmitted = new("application-submitted", a => Compose(
        $"【申报受理】{a.ProgrammeTitle} 申报已提交（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）已提交，资格预审通过，测算金额 {Yuan(a.Amount)}，最终以评审和公示结果为准。",
        $"Your application {a.Reference} was submitted and passed the eligibility check; estimated amount {Yuan(a.Amount)}, subject to review and public notice."));

    /// <summary>An application failed the eligibility rules at submission.</summary>
    public static readonly MailTemplate ApplicationIneligible = new("application-ineligible", a => Compose(
        $"【申报结果】{a.ProgrammeTitle} 申报不符合条件（{a.Reference}）",
        a,
        "您的申报不符合以下申报条件，未予受理：",
        $"Your application {a.Reference} does not meet the conditions listed below and was rejected."));

    /// <summary>The applicant withdrew the application.</summary>
    public static readonly MailTemplate ApplicationWithdrawn = new("application-withdrawn", a => Compose(
        $"【申报撤回】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）已撤回。{Because(a.Reason)}",
        $"Your application {a.Reference} was withdrawn."));

    /// <summary>初审 passed.</summary>
    public static readonly MailTemplate PreliminaryAccepted = new("preliminary-accepted", a => Compose(
        $"【初审通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）已通过初审，进入下一评审环节。",
        $"Your application {a.Reference} passed the preliminary review and moves on to the next review stage."));

    /// <summary>初审 rejected with a reason.</summary>
    public static readonly MailTemplate PreliminaryRejected = new("preliminary-rejected", a => Compose(
        $"【初审未通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）未通过初审。{Because(a.Reason)}",
        $"Your application {a.Reference} did not pass the preliminary review. Reason: {a.Reason}"));

    /// <summary>补正: a supplement is requested by a deadline.</summary>
    public static readonly MailTemplate SupplementRequested = new("supplement-requested", a => Compose(
        $"【补正通知】{a.ProgrammeTitle}（{a.Reference}）请于{Day(a.Date)}前补正材料",
        a,
        $"您的申报（编号 {a.Reference}）需补正材料：{a.Reason}。请于{Time(a.Date)}前提交，逾期未提交视为撤回申报。",
        $"Please supplement application {a.Reference} ({a.Reason}) by {TimeEn(a.Date)}; without it the application is withdrawn."));

    /// <summary>The supplement was received.</summary>
    public static readonly MailTemplate SupplementReceived = new("supplement-received", a => Compose(
        $"【补正已收到】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您为申报（编号 {a.Reference}）提交的补正材料已收到，初审继续进行。",
        $"The supplement to application {a.Reference} was received; the preliminary review continues."));

    /// <summary>The supplement deadline passed: the application is withdrawn.</summary>
    public static readonly MailTemplate SupplementTimedOut = new("supplement-timed-out", a => Compose(
        $"【申报已撤回】{a.ProgrammeTitle}（{a.Reference}）逾期未补正",
        a,
        $"您的申报（编号 {a.Reference}）未在{Time(a.Date)}前提交补正材料，视为撤回申报。",
        $"No supplement to application {a.Reference} was received by {TimeEn(a.Date)}; the application is treated as withdrawn."));

    /// <summary>An expert is assigned an application to score (to the expert).</summary>
    public static readonly MailTemplate ExpertAssigned = new("expert-assigned", a => Compose(
        $"【评审任务】{a.ProgrammeTitle} 申报 {a.Reference} 请于{Day(a.Date)}前评分",
        a,
        $"您被选为{a.ProgrammeTitle}申报（编号 {a.Reference}）的评审专家，请于{Time(a.Date)}前提交评分。如发现与申报单位存在利益关系，请勿评分，并告知主管部门登记回避；评审期满未评分的，系统将另行指派专家。",
        $"You are assigned to score application {a.Reference} for {a.ProgrammeTitle} by {TimeEn(a.Date)}. If you find a conflict of interest with the applicant, do not score: tell the bureau, which records it; an expert who has not scored by the deadline is replaced."));

    /// <summary>Reminder to an expert before the scoring deadline.</summary>
    public static readonly MailTemplate ExpertReminder = new("expert-reminder", a => Compose(
        $"【评审提醒】申报 {a.Reference} 的评分将于{Day(a.Date)}截止",
        a,
        $"提醒：您对申报（编号 {a.Reference}）的评分将于{Time(a.Date)}截止，逾期将另行指派专家。",
        $"Reminder: your score for application {a.Reference} is due by {TimeEn(a.Date)}; after that another expert is assigned."));

    /// <summary>An expert missed the deadline and was replaced (to the expert).</summary>
    public static readonly MailTemplate ExpertReplaced = new("expert-replaced", a => Compose(
        $"【评审任务取消】申报 {a.Reference}",
        a,
        $"您未在截止时间前提交对申报（编号 {a.Reference}）的评分，该评审任务已改派其他专家。",
        $"No score for application {a.Reference} arrived by the deadline; the review was reassigned."));

    /// <summary>Expert review passed (recommended).</summary>
    public static readonly MailTemplate ExpertReviewPassed = new("expert-review-passed", a => Compose(
        $"【专家评审通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）通过专家评审。",
        $"Your application {a.Reference} passed the expert review."));

    /// <summary>Expert review failed (score below the threshold).</summary>
    public static readonly MailTemplate ExpertReviewFailed = new("expert-review-failed", a => Compose(
        $"【专家评审未通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）专家评审未通过。{Because(a.Reason)}",
        $"Your application {a.Reference} did not pass the expert review. {a.Reason}"));

    /// <summary>财务评审 rejected.</summary>
    public static readonly MailTemplate FinancialRejected = new("financial-rejected", a => Compose(
        $"【财务评审未通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）未通过财务评审。{Because(a.Reason)}",
        $"Your application {a.Reference} did not pass the financial review. Reason: {a.Reason}"));

    /// <summary>Reviewed but not funded: the call's budget ran out or stacking left nothing to pay.</summary>
    public static readonly MailTemplate NotFunded = new("not-funded", a => Compose(
        $"【评审结果】{a.ProgrammeTitle}（{a.Reference}）本批次未获支持",
        a,
        $"您的申报（编号 {a.Reference}）本批次未获支持。{Because(a.Reason)}",
        $"Your application {a.Reference} is not funded in this call. {a.Reason}"));

    /// <summary>The proposed award is published for public notice (公示).</summary>
    public static readonly MailTemplate AwardProposed = new("award-proposed", a => Compose(
        $"【拟支持公示】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）拟获支持 {Yuan(a.Amount)}，现予公示，公示期 {FirstDay(a.Date)} 至 {Day(a.EndDate)}。",
        $"A proposed award of {Yuan(a.Amount)} for application {a.Reference} is under public notice from {FirstDayEn(a.Date)} to {DayEn(a.EndDate)}."));

    /// <summary>An objection against the entry is being examined (the entry is held).</summary>
    public static readonly MailTemplate ObjectionFiled = new("objection-filed", a => Compose(
        $"【公示异议】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"公示期间有人对您的申报（编号 {a.Reference}）提出异议，核查期间暂缓拨付，核查结果将另行通知。",
        $"An objection was filed against application {a.Reference} during the public notice; payment is held until the bureau decides."));

    /// <summary>An objection was upheld: the entry is removed from the list.</summary>
    public static readonly MailTemplate ObjectionUpheld = new("objection-upheld", a => Compose(
        $"【公示异议成立】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"经核查，对您的申报（编号 {a.Reference}）的异议成立，取消拟支持资格。{Because(a.Reason)}",
        $"The objection against application {a.Reference} was upheld and the award withdrawn. Reason: {a.Reason}"));

    /// <summary>An objection was dismissed: the entry proceeds.</summary>
    public static readonly MailTemplate ObjectionDismissed = new("objection-dismissed", a => Compose(
        $"【公示异议不成立】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"经核查，对您的申报（编号 {a.Reference}）的异议不成立，按程序继续办理。",
        $"The objection against application {a.Reference} was dismissed; the award proceeds."));

    /// <summary>A payment (or instalment) was recorded.</summary>
    public static readonly MailTemplate PaymentMade = new("payment-made", a => Compose(
        $"【资金拨付】{a.ProgrammeTitle} 拨付 {Yuan(a.Amount)}（{a.Reference}）",
        a,
        $"{a.ProgrammeTitle}（编号 {a.Reference}）资金 {Yuan(a.Amount)} 已列入拨付。",
        $"A payment of {Yuan(a.Amount)} for {a.ProgrammeTitle} ({a.Reference}) was recorded."));

    /// <summary>A later instalment was stopped by a failed eligibility re-check.</summary>
    public static readonly MailTemplate InstalmentStopped = new("instalment-stopped", a => Compose(
        $"【停止拨付】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        "经复核，您已不再符合以下条件，后续分期资金停止拨付：",
        $"A re-check found that {a.Reference} no longer meets the conditions below; the remaining instalments are stopped."));

    /// <summary>The window closed and the application entered 初审.</summary>
    public static readonly MailTemplate ReviewStarted = new("review-started", a => Compose(
        $"【进入初审】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"申报期已结束，您的申报（编号 {a.Reference}）已进入初审。",
        $"The call has closed and application {a.Reference} is now in preliminary review."));

    /// <summary>Financial review passed.</summary>
    public static readonly MailTemplate FinancialApproved = new("financial-approved", a => Compose(
        $"【财务评审通过】{a.ProgrammeTitle}（{a.Reference}）",
        a,
        $"您的申报（编号 {a.Reference}）通过财务评审。",
        $"Your application {a.Reference} passed the financial review."));

    /// <summary>The 公示 ended without an upheld objection: the award is confirmed.</summary>
    public static readonly MailTemplate AwardConfirmed = new("award-confirmed", a => Compose(
        $"【公示结束】{a.ProgrammeTitle}（{a.Reference}）拟支持事项无异议",
        a,
        $"您的申报（编号 {a.Reference}）公示期满，支持金额 {Yuan(a.Amount)}，将按程序拨付。",
        $"The public notice for application {a.Reference} ended; the award of {Yuan(a.Amount)} will be paid."));

    private static readonly Lazy<IReadOnlyDictionary<string, MailTemplate>> Named = new(() =>
        typeof(MailTemplates).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(MailTemplate))
            .Select(f => (MailTemplate)f.GetValue(null)!)
            .ToDictionary(t => t.Name, StringComparer.Ordinal));

    /// <summary>Finds a core template by its name.</summary>
    /// <param name="name">The template name, e.g. <c>preliminary-rejected</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="KeyNotFoundException">No core template has the name.</exception>
    public static MailTemplate ByName(string name) =>
        Named.Value.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No mail template named '{name}'.");

    /// <summary>Formats an amount in yuan, e.g. <c>¥500,000.00</c>.</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>The text, or <c>-</c> for none.</returns>
    public static string Yuan(decimal? amount) => amount is { } a ? Money.Format(a) : "-";

    /// <summary>Formats a time in China time, e.g. <c>2026年3月31日 24:00</c> for midnight at the end of a day.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public static string Time(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var local = t.ToOffset(ChinaOffset);
        if (local.TimeOfDay == TimeSpan.Zero)
        {
            var day = local.AddDays(-1);
            return string.Create(CultureInfo.InvariantCulture, $"{day.Year}年{day.Month}月{day.Day}日24:00");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日{local:HH:mm}");
    }

    /// <summary>Formats the day of a time in China time, e.g. <c>2026年3月31日</c> (a midnight end counts as the day before).</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public static string Day(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var local = t.ToOffset(ChinaOffset);
        if (local.TimeOfDay == TimeSpan.Zero)
        {
            local = local.AddDays(-1);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日");
    }

    /// <summary>
    /// Formats the first day of a period that starts at <paramref name="at"/> in China time, e.g. <c>2026年3月23日</c>:
    /// unlike <see cref="Day"/>, a start at midnight is the day that begins then.
    /// </summary>
    /// <param name="at">The start.</param>
    /// <returns>The text.</returns>
    public static string FirstDay(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(ChinaOffset).ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : "-";

    /// <summary>The English form of <see cref="FirstDay"/>, e.g. <c>2026-03-23</c>.</summary>
    /// <param name="at">The start.</param>
    /// <returns>The text.</returns>
    public static string FirstDayEn(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(ChinaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-";

    /// <summary>Formats a time for the English line, e.g. <c>2026-03-31 24:00 (UTC+8)</c>.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public static string TimeEn(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var local = t.ToOffset(ChinaOffset);
        return local.TimeOfDay == TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"{local.AddDays(-1):yyyy-MM-dd} 24:00 (UTC+8)")
            : string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm} (UTC+8)");
    }

    /// <summary>Formats the day for the English line, e.g. <c>2026-03-31</c>.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public static string DayEn(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var local = t.ToOffset(ChinaOffset);
        return (local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1) : local).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The common layout: greeting, the Chinese text, <see cref="MailArgs.Lines"/>, the sign-off, then
    /// <c>English: …</c> on its own line.
    /// </summary>
    /// <param name="subject">The subject (Chinese).</param>
    /// <param name="args">The arguments (recipient name and lines are used).</param>
    /// <param name="chinese">The Chinese text.</param>
    /// <param name="english">The English line.</param>
    /// <returns>The text.</returns>
    public static MailText Compose(string subject, MailArgs args, string chinese, string english)
    {
        ArgumentNullException.ThrowIfNull(args);
        var body = new StringBuilder();
        body.Append(args.RecipientName ?? "您好").Append('：').Append('\n').Append('\n');
        body.Append(chinese).Append('\n');
        foreach (var line in args.Lines)
        {
            body.Append("  - ").Append(line).Append('\n');
        }

        body.Append('\n').Append("此邮件由系统自动发送，请勿直接回复。").Append('\n');
        body.Append("English: ").Append(english).Append('\n');
        return new MailText(subject.ReplaceLineEndings(" "), body.ToString());
    }

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? string.Empty : $"原因：{reason}";
}
