using System.Text;
using Workflows.Durable.Client;
using Workflows.Service.Schedules;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;
using Microsoft.Extensions.Options;

namespace Workflows.Service.Jobs;

/// <summary>One deadline that passed while the orchestration that should act on it was not alive.</summary>
/// <param name="Subject">Audit subject, e.g. <c>application/12</c>.</param>
/// <param name="What">Which deadline: <c>supplement</c>, <c>review</c>, <c>notice</c> or <c>claim-window</c>.</param>
/// <param name="DeadlineMs">The deadline (Unix ms).</param>
/// <param name="InstanceId">The orchestration that should have acted.</param>
/// <param name="RuntimeStatus">Its runtime status, or <c>missing</c>.</param>
public sealed record StuckDeadline(string Subject, string What, long DeadlineMs, string InstanceId, string RuntimeStatus);

/// <summary>An application in 专家评审 whose panel is smaller than its call asks for (the pool had too few experts free of conflicts).</summary>
/// <param name="Subject">Audit subject, <c>application/{id}</c>.</param>
/// <param name="CallId">The call.</param>
/// <param name="Experts">Experts assigned or having scored.</param>
/// <param name="Wanted">The call's panel size.</param>
public sealed record ShortPanel(string Subject, long CallId, int Experts, int Wanted);

/// <summary>
/// Deadline sweep (setting <c>Workflows:Schedules:DeadlineSweep</c>): finds 补正 supplements, expert reviews, 公示 notices
/// and claim windows whose deadline has passed while their orchestration is not alive (missing, failed or terminated),
/// and applications in 专家评审 with a smaller panel than their call asks for; records each in the audit trail and mails
/// the bureau a list. Each finding is reported once (audit key per subject and deadline, or per application and panel
/// size), so a second run changes nothing. It never acts on the case itself: the bureau decides.
/// </summary>
/// <param name="records">records.db.</param>
/// <param name="client">The durable client.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The bureau's address.</param>
/// <param name="logger">Logger.</param>
public sealed partial class DeadlineSweepJob(ProgrammeRecords records, DurableTaskClient client, TimeProvider time, IOptions<JobsOptions> options, ILogger<DeadlineSweepJob> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "DeadlineSweep";

    /// <summary>Finds the stuck deadlines as of now (read-only).</summary>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The deadlines, in a stable order.</returns>
    public async Task<IReadOnlyList<StuckDeadline>> FindAsync(CancellationToken cancellationToken)
    {
        var now = JobSupport.Ms(time.GetUtcNow());
        var candidates = new List<(string Subject, string What, long Deadline, string InstanceId)>();
        candidates.AddRange(JobSupport.Query(
            records,
            "SELECT application_id, supplement_due FROM applications WHERE supplement_due IS NOT NULL AND supplement_due < $now AND status LIKE 'supplement%' ORDER BY application_id;",
            r => (AuditTrail.Subject("application", r.GetInt64(0)), "supplement", r.GetInt64(1), ApplicationOrchestrator.InstanceIdOf(r.GetInt64(0))),
            ("$now", now)));
        candidates.AddRange(JobSupport.Query(
            records,
            "SELECT application_id, MAX(due_at) FROM reviewer_assignments WHERE status = 'assigned' AND due_at < $now GROUP BY application_id ORDER BY application_id;",
            r => (AuditTrail.Subject("application", r.GetInt64(0)), "review", r.GetInt64(1), ApplicationOrchestrator.InstanceIdOf(r.GetInt64(0))),
            ("$now", now)));
        candidates.AddRange(JobSupport.Query(
            records,
            "SELECT call_id, ends_at FROM notices WHERE status = 'running' AND ends_at < $now ORDER BY call_id;",
            r => (AuditTrail.Subject("call", r.GetInt64(0)), "notice", r.GetInt64(1), PublicNoticeOrchestrator.InstanceIdOf(r.GetInt64(0))),
            ("$now", now)));
        candidates.AddRange(JobSupport.Query(
            records,
            "SELECT claim_id, closes_at FROM claim_windows WHERE status IN ('open', 'claiming') AND closes_at < $now ORDER BY claim_id;",
            r => (AuditTrail.Subject("claim", r.GetString(0)), "claim-window", r.GetInt64(1), ClaimWindowOrchestrator.InstanceId(r.GetString(0))),
            ("$now", now)));

        var stuck = new List<StuckDeadline>();
        foreach (var (subject, what, deadline, instanceId) in candidates)
        {
            var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
            if (!JobSupport.IsAlive(instance))
            {
                stuck.Add(new StuckDeadline(subject, what, deadline, instanceId, instance?.RuntimeStatus.ToString() ?? "missing"));
            }
        }

        return stuck;
    }

    /// <summary>
    /// Finds the applications in 专家评审 whose panel, once assigned, is smaller than their call's panel size (read-only).
    /// An application whose panel is still being drawn is not reported.
    /// </summary>
    /// <returns>The applications, by id.</returns>
    public IReadOnlyList<ShortPanel> FindShortPanels() => JobSupport.Query(
        records,
        """
        SELECT application_id, call_id, experts, wanted FROM (
            SELECT a.application_id, a.call_id,
                   (SELECT COUNT(*) FROM reviewer_assignments r WHERE r.application_id = a.application_id AND r.status IN ('assigned', 'scored')) AS experts,
                   COALESCE(json_extract(c.settings_json, '$.panelSize'), $default) AS wanted
              FROM applications a JOIN calls c ON c.call_id = a.call_id
             WHERE a.status = $status
               AND EXISTS (SELECT 1 FROM lifecycle_steps s WHERE s.step_key = 'application/' || a.application_id || '/panel'))
         WHERE experts < wanted ORDER BY application_id;
        """,
        r => new ShortPanel(AuditTrail.Subject("application", r.GetInt64(0)), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3)),
        ("$status", nameof(ApplicationStatus.ExpertReview)),
        ("$default", Workflows.Programmes.Calls.CallSettings.Defaults.PanelSize));

    /// <inheritdoc/>
    public async Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        var stuck = await FindAsync(cancellationToken);
        var at = time.GetUtcNow();
        var fresh = stuck.Where(s => JobSupport.Audit(records, new AuditEntry(
            $"schedule/sweep/{s.What}/{s.Subject}/{JobSupport.Key(s.DeadlineMs)}", at, JobSupport.Scheduler, "schedule.deadline.stuck",
            [s.Subject], "期限已过但流程未在运行 (deadline passed while its workflow is not running)",
            AuditTrail.ToDetails(s)))).ToList();
        var shortPanels = this.FindShortPanels().Where(p => JobSupport.Audit(records, new AuditEntry(
            $"schedule/sweep/short-panel/{p.Subject}/{JobSupport.Key(p.Experts)}", at, JobSupport.Scheduler, "schedule.panel.short",
            [p.Subject, AuditTrail.Subject("call", p.CallId)], "评审专家人数不足 (fewer experts than the call's panel size)",
            AuditTrail.ToDetails(p)))).ToList();
        if (fresh.Count + shortPanels.Count > 0)
        {
            var body = new StringBuilder();
            if (fresh.Count > 0)
            {
                body.AppendLine("以下事项期限已过，但对应流程未在运行，请局方处理：");
                foreach (var s in fresh)
                {
                    var deadline = DateTimeOffset.FromUnixTimeMilliseconds(s.DeadlineMs).ToOffset(TimeSpan.FromHours(8));
                    body.AppendLine(System.FormattableString.Invariant($"- {s.Subject} {s.What} 期限 {deadline:yyyy-MM-dd HH:mm} 流程 {s.InstanceId} 状态 {s.RuntimeStatus}"));
                }
            }

            if (shortPanels.Count > 0)
            {
                body.AppendLine("以下申请的评审专家少于通知要求的人数（专家库中无利益冲突的专家不足），请补充专家或决定是否按现有专家评审：");
                foreach (var p in shortPanels)
                {
                    body.AppendLine(System.FormattableString.Invariant($"- {p.Subject} 通知 call/{p.CallId} 专家 {p.Experts}/{p.Wanted}"));
                }
            }

            body.AppendLine("English: these deadlines passed while their workflows were not running, or these applications have fewer experts than their call's panel size; please act on them.");
            var key = $"schedule/sweep/mail/{JobSupport.Key(JobSupport.Ms(scheduledAt))}";
            int items = fresh.Count + shortPanels.Count;
            JobSupport.Audit(
                records,
                new AuditEntry(key, at, JobSupport.Scheduler, "schedule.deadline.mailed", fresh.Select(s => s.Subject).Concat(shortPanels.Select(p => p.Subject)).Distinct().ToList(), $"{items} 项 (items)"),
                new OutboxMail
                {
                    IdempotencyKey = key,
                    To = new OutboxAddress(options.Value.BureauEmail, "区科委 bureau"),
                    Subject = $"期限巡检：{items} 项待处理 (deadline sweep: {items} item(s))",
                    TextBody = body.ToString(),
                    TemplateName = "schedule-deadline-sweep",
                    CreatedAt = at,
                    NextAttemptAt = at,
                });
        }

        LogDone(logger, scheduledAt, stuck.Count, fresh.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DeadlineSweep {ScheduledAt}: {Stuck} stuck deadline(s), {Fresh} newly reported")]
    private static partial void LogDone(ILogger logger, DateTimeOffset scheduledAt, int stuck, int fresh);
}
