using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Service.Schedules;
using Workflows.Programmes;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Records;

namespace Workflows.Service.Jobs;

/// <summary>
/// Safety net of the yearly instalments (setting <c>Workflows:Schedules:Instalments</c>): a call with instalments still
/// scheduled (table <c>instalment_plans</c>) whose disbursement orchestration (<c>disbursement-{callId}</c>) failed or
/// was terminated, and whose 公示 has ended, gets it started again (once per call) and told the entries have passed; its ledger writes are
/// keyed, so nothing is paid twice. Instalments due by this year are counted and audited once per occurrence.
/// </summary>
/// <param name="records">records.db.</param>
/// <param name="client">The durable client.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Logger.</param>
public sealed partial class InstalmentsJob(ProgrammeRecords records, DurableTaskClient client, TimeProvider time, ILogger<InstalmentsJob> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "Instalments";

    /// <inheritdoc/>
    public async Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        var year = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Year;
        var calls = JobSupport.Query(
            records,
            """
            SELECT a.call_id, COUNT(*), COALESCE(SUM(p.amount_fen), 0), SUM(CASE WHEN p.payment_year <= $y THEN 1 ELSE 0 END)
            FROM instalment_plans p JOIN applications a ON a.application_id = p.application_id
            JOIN notices n ON n.call_id = a.call_id AND n.status IN ('ended', 'completed')
            WHERE p.status = 'scheduled' GROUP BY a.call_id ORDER BY a.call_id;
            """,
            r => (CallId: r.GetInt64(0), Scheduled: r.GetInt64(1), Fen: r.GetInt64(2), Due: r.GetInt64(3)),
            ("$y", year));
        var restarted = 0;
        foreach (var call in calls)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instanceId = DisbursementOrchestrator.InstanceIdOf(call.CallId);
            var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
            if (!JobSupport.HasBroken(instance))
            {
                continue; // alive, completed normally, or never started (the call still drives it)
            }

            // One automatic restart per call: a disbursement that breaks again is left to the bureau, never retried in a loop.
            var key = $"schedule/instalments/{call.CallId}/restarted";
            if (JobSupport.Exists(records, key))
            {
                LogLeft(logger, instanceId, instance!.RuntimeStatus.ToString());
                continue;
            }

            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(DisbursementOrchestrator), new DisbursementInput(call.CallId), new StartOrchestrationOptions(instanceId), cancellationToken);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                continue;
            }

            await client.RaiseEventAsync(instanceId, ProgrammeEvents.EntriesPassed, new EntriesPassedEvent(true), cancellationToken);
            restarted++;
            LogRestarted(logger, instanceId, instance!.RuntimeStatus.ToString(), call.Scheduled);
            JobSupport.Audit(records, new AuditEntry(
                key, time.GetUtcNow(), JobSupport.Scheduler, "schedule.disbursement.restarted",
                [AuditTrail.Subject("call", call.CallId)], "分期拨付流程已中断，已自动重启 (the disbursement had stopped; restarted by the schedule)",
                AuditTrail.ToDetails(new { instanceId, previousStatus = instance.RuntimeStatus.ToString(), scheduledInstalments = call.Scheduled, scheduledAt })));
        }

        var due = calls.Sum(c => c.Due);
        if (due > 0)
        {
            JobSupport.Audit(records, new AuditEntry(
                $"schedule/instalments/due/{JobSupport.Key(JobSupport.Ms(scheduledAt))}", time.GetUtcNow(), JobSupport.Scheduler, "schedule.instalments.due",
                calls.Where(c => c.Due > 0).Select(c => AuditTrail.Subject("call", c.CallId)).ToList(),
                $"{year} 年度到期分期 {due} 笔 (instalments due by {year})",
                AuditTrail.ToDetails(new { year, calls = calls.Select(c => new { c.CallId, c.Due, c.Scheduled, amount = c.Fen / 100m }) })));
        }

        LogDone(logger, scheduledAt, calls.Count, restarted, due);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instalments: restarted {InstanceId} (was {PreviousStatus}; {Scheduled} instalment(s) scheduled)")]
    private static partial void LogRestarted(ILogger logger, string instanceId, string previousStatus, long scheduled);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instalments: {InstanceId} is {Status} again after an automatic restart; left to the bureau")]
    private static partial void LogLeft(ILogger logger, string instanceId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instalments {ScheduledAt}: {Calls} call(s) with scheduled instalments, {Restarted} disbursement(s) restarted, {Due} instalment(s) due")]
    private static partial void LogDone(ILogger logger, DateTimeOffset scheduledAt, int calls, int restarted, long due);
}
