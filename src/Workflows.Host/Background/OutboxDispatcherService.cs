using Workflows.Service.Email;

namespace Workflows.Host.Background;

/// <summary>
/// The embedded host's mail loop: runs <see cref="OutboxDispatcher.DispatchDueAsync"/> (the same pass an Azure
/// Functions timer runs) until the host stops — again at once after a full batch, otherwise after
/// <c>Workflows:Email:PollInterval</c> on the host's <see cref="TimeProvider"/>. Does nothing with provider <c>None</c>.
/// </summary>
/// <param name="dispatcher">The single pass.</param>
/// <param name="time">The clock the poll interval is measured on.</param>
/// <param name="logger">Logger.</param>
public sealed partial class OutboxDispatcherService(OutboxDispatcher dispatcher, TimeProvider time, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    /// <summary>Polls until the host stops.</summary>
    /// <param name="stoppingToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when the loop ends.</returns>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!dispatcher.IsEnabled)
        {
            LogOutboxOnly();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(ex);
            }

            if (claimed >= dispatcher.BatchSize)
            {
                continue;
            }

            try
            {
                await Task.Delay(dispatcher.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Email provider is None: mail is kept in the outbox (GET /api/outbox) and not delivered")]
    private partial void LogOutboxOnly();

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Outbox dispatch round failed; trying again after the poll interval")]
    private partial void LogRoundFailed(Exception exception);
}
