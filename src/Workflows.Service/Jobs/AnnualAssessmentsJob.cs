using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Service.Schedules;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Records;

namespace Workflows.Service.Jobs;

/// <summary>
/// Safety net of the annual assessments (setting <c>Workflows:Schedules:AnnualAssessments</c>): every recognised base
/// that is not revoked has its eternal <c>AnnualAssessment</c> orchestration alive (instance <c>assessment-{baseId}</c>);
/// a missing, failed or terminated one is started again at the base's current period, once per period (one that breaks again is logged for the bureau). Periods that ended without their
/// report being asked for are counted and logged. Running twice starts nothing more.
/// </summary>
/// <param name="records">records.db, read for the bases (table <c>assessment_bases</c>).</param>
/// <param name="client">The durable client.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Logger.</param>
public sealed partial class AnnualAssessmentsJob(ProgrammeRecords records, DurableTaskClient client, TimeProvider time, ILogger<AnnualAssessmentsJob> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "AnnualAssessments";

    /// <inheritdoc/>
    public async Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        var bases = JobSupport.Query(records, "SELECT base_id, period FROM assessment_bases WHERE status <> 'revoked' ORDER BY base_id;", r => (Id: r.GetString(0), Period: r.GetInt32(1)));
        var started = 0;
        foreach (var (baseId, period) in bases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instanceId = AnnualAssessmentOrchestrator.InstanceId(baseId);
            var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
            if (JobSupport.IsAlive(instance))
            {
                continue;
            }

            // One automatic restart per base and period: one that breaks again is left to the bureau, never retried in a loop.
            var key = $"schedule/assessments/{baseId}/{period}";
            if (JobSupport.Exists(records, key))
            {
                LogLeft(logger, instanceId, period, instance?.RuntimeStatus.ToString() ?? "missing");
                continue;
            }

            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(AnnualAssessmentOrchestrator.Name, new AssessmentInput(baseId, period), new StartOrchestrationOptions(instanceId), cancellationToken);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                continue; // started meanwhile
            }

            started++;
            LogStarted(logger, instanceId, period, instance?.RuntimeStatus.ToString() ?? "missing");
            JobSupport.Audit(records, new AuditEntry(
                key, time.GetUtcNow(), JobSupport.Scheduler, "schedule.assessment.started",
                [AuditTrail.Subject("base", baseId)], "年度考核流程未在运行，已自动重启 (the assessment was not running; restarted by the schedule)",
                AuditTrail.ToDetails(new { instanceId, period, previousStatus = instance?.RuntimeStatus.ToString() ?? "missing", scheduledAt })));
        }

        var today = DistrictDates.DateOf(time.GetUtcNow());
        var reportsPending = JobSupport.Query(
            records,
            "SELECT COUNT(*) FROM assessment_periods p JOIN assessment_bases b ON b.base_id = p.base_id WHERE b.status <> 'revoked' AND p.ends_on <= $today AND p.report_due_on IS NULL AND p.outcome IS NULL;",
            r => r.GetInt64(0),
            ("$today", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).FirstOrDefault();
        LogDone(logger, scheduledAt, bases.Count, started, reportsPending);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AnnualAssessments: started {InstanceId} at period {Period} (was {PreviousStatus})")]
    private static partial void LogStarted(ILogger logger, string instanceId, int period, string previousStatus);

    [LoggerMessage(Level = LogLevel.Error, Message = "AnnualAssessments: {InstanceId} is {Status} again at period {Period} after an automatic restart; left to the bureau")]
    private static partial void LogLeft(ILogger logger, string instanceId, int period, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "AnnualAssessments {ScheduledAt}: {Bases} base(s) checked, {Started} started, {ReportsPending} ended period(s) whose report request is still to be sent by its orchestration")]
    private static partial void LogDone(ILogger logger, DateTimeOffset scheduledAt, int bases, int started, long reportsPending);
}
