using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Workflows.Programmes.Azure;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Functions;

/// <summary>
/// Timer triggers for the schedules, with the same cron settings as the embedded host
/// (<c>Workflows:Schedules:AnnualAssessments</c>, <c>Instalments</c>, <c>DeadlineSweep</c>; six-field cron), and the
/// outbox dispatch. The Functions timer evaluates cron in UTC unless <c>WEBSITE_TIME_ZONE</c> is set (Windows plans
/// only); set the cron in UTC on Linux/Flex plans or the runs shift by eight hours from China Standard Time.
/// </summary>
/// <param name="records">The records database.</param>
/// <param name="sender">Mail sender.</param>
/// <param name="config">Settings (retry rules of the outbox).</param>
/// <param name="time">Clock.</param>
/// <param name="logger">Logger.</param>
public sealed class ScheduleFunctions(ProgrammeRecords records, IOutboxMailSender sender, IConfiguration config, TimeProvider time, ILogger<ScheduleFunctions> logger)
{
    /// <summary>Annual assessments (Workflows:Schedules:AnnualAssessments).</summary>
    /// <param name="timer">Timer information.</param>
    [Function("AnnualAssessments")]
    public void AnnualAssessments([TimerTrigger("%Workflows:Schedules:AnnualAssessments%")] TimerInfo timer) => this.Tick("AnnualAssessments", timer);

    /// <summary>Instalment run (Workflows:Schedules:Instalments).</summary>
    /// <param name="timer">Timer information.</param>
    [Function("Instalments")]
    public void Instalments([TimerTrigger("%Workflows:Schedules:Instalments%")] TimerInfo timer) => this.Tick("Instalments", timer);

    /// <summary>Deadline sweep (Workflows:Schedules:DeadlineSweep).</summary>
    /// <param name="timer">Timer information.</param>
    [Function("DeadlineSweep")]
    public void DeadlineSweep([TimerTrigger("%Workflows:Schedules:DeadlineSweep%")] TimerInfo timer) => this.Tick("DeadlineSweep", timer);

    /// <summary>Sends due outbox mail every 30 seconds, with the embedded dispatcher's retry rules.</summary>
    /// <param name="timer">Timer information.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    [Function("OutboxDispatch")]
    public async Task OutboxDispatch([TimerTrigger("*/30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var outbox = new SqliteOutbox(records.ConnectionString);
        int maxAttempts = config.GetValue("Workflows:Email:MaxAttempts", 8);
        var first = config.GetValue("Workflows:Email:FirstRetryDelay", TimeSpan.FromSeconds(30));
        var max = config.GetValue("Workflows:Email:MaxRetryDelay", TimeSpan.FromHours(1));
        foreach (var claim in outbox.ClaimDue(time.GetUtcNow(), 50))
        {
            var mail = claim.Mail;
            var result = await sender.SendAsync(mail, cancellationToken);
            var now = time.GetUtcNow();
            int attempts = mail.Attempts + 1;
            switch (result.Kind)
            {
                case MailDeliveryKind.Sent:
                    outbox.MarkSent(mail.Id, claim.LeaseToken, now, result.ProviderMessageId);
                    break;
                case MailDeliveryKind.Transient when attempts < maxAttempts:
                    var backoff = TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, attempts - 1)));
                    outbox.MarkRetry(mail.Id, claim.LeaseToken, now + (result.RetryAfter ?? backoff), result.Error ?? "transient");
                    break;
                case MailDeliveryKind.Transient:
                    outbox.MarkFailed(mail.Id, claim.LeaseToken, $"Gave up after {attempts} attempts; last: {result.Error}");
                    break;
                default:
                    outbox.MarkFailed(mail.Id, claim.LeaseToken, result.Error ?? "permanent");
                    break;
            }
        }
    }

    private void Tick(string job, TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        // The embedded host registers no job bodies for these keys yet (Workflows.Host/Schedules has the runner only);
        // when the shared job code exists, call it here.
        logger.LogInformation("Schedule {Job} fired (past due: {PastDue}).", job, timer.IsPastDue);
    }
}
