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

/// <summary>
/// Deadline sweep (setting <c>Workflows:Schedules:DeadlineSweep</c>): finds 补正 supplements, expert reviews, 公示 notices
/// and claim windows whose deadline has passed while their orchestration is not alive (missing, failed or terminated),
/// records each in the audit trail and mails the bureau a list. Each deadline is reported once (audit key per subject
/// and deadline), so a second run changes nothing. It never acts on the case itself: the bureau decides.
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

    /// <inheritdoc/>
    public async Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        var stuck = await FindAsync(cancellationToken);
        var at = time.GetUtcNow();
        var fresh = stuck.Where(s => JobSupport.Audit(records, new AuditEntry(
            $"schedule/sweep/{s.What}/{s.Subject}/{JobSupport.Key(s.DeadlineMs)}", at, JobSupport.Scheduler, "schedule.deadline.stuck",
            [s.Subject], "期限已过但流程未在运行 (deadline passed while its workflow is not running)",
            AuditTrail.ToDetails(s)))).ToList();
        if (fresh.Count > 0)
        {
            var body = new StringBuilder();
            body.AppendLine("以下事项期限已过，但对应流程未在运行，请局方处理：");
            foreach (var s in fresh)
            {
                var deadline = DateTimeOffset.FromUnixTimeMilliseconds(s.DeadlineMs).ToOffset(TimeSpan.FromHours(8));
                body.AppendLine(System.FormattableString.Invariant($"- {s.Subject} {s.What} 期限 {deadline:yyyy-MM-dd HH:mm} 流程 {s.InstanceId} 状态 {s.RuntimeStatus}"));
            }

            body.AppendLine("English: these deadlines passed while their workflows were not running; please act on them.");
            var key = $"schedule/sweep/mail/{JobSupport.Key(JobSupport.Ms(scheduledAt))}";
            JobSupport.Audit(
                records,
                new AuditEntry(key, at, JobSupport.Scheduler, "schedule.deadline.mailed", fresh.Select(s => s.Subject).ToList(), $"{fresh.Count} 项 (items)"),
                new OutboxMail
                {
                    IdempotencyKey = key,
                    To = new OutboxAddress(options.Value.BureauEmail, "区科委 bureau"),
                    Subject = $"期限巡检：{fresh.Count} 项待处理 (deadline sweep: {fresh.Count} item(s))",
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
