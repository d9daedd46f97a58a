using Workflows.Service.Schedules;

namespace Workflows.Host.Background;

/// <summary>
/// The embedded host's schedule loop: one loop per job, each calling
/// <see cref="ScheduleRunner.RunDueAsync(ScheduledJobEntry, DateTimeOffset, CancellationToken)"/> (the same pass an
/// Azure Functions timer runs) and then waiting on the host's <see cref="TimeProvider"/> until the job's next
/// occurrence or retry, so a slow or failing job never holds up another.
/// </summary>
/// <param name="runner">The single pass.</param>
/// <param name="time">The clock the waits are measured on.</param>
public sealed class ScheduleRunnerService(ScheduleRunner runner, TimeProvider time) : BackgroundService
{
    /// <summary>The runner this loop drives.</summary>
    public ScheduleRunner Runner => runner;

    /// <summary>Validates every job's schedule (a bad one stops the host with a message naming its setting), then starts the loops.</summary>
    /// <param name="cancellationToken">Start-up cancellation.</param>
    /// <returns>A task that completes when the loops are started.</returns>
    /// <exception cref="InvalidOperationException">A schedule, a job name or the time zone is invalid.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _ = runner.Entries;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Runs one loop per job until the host stops.</summary>
    /// <param name="stoppingToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when every loop has ended.</returns>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(runner.Entries.Select(e => Task.Run(() => LoopAsync(e, stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(ScheduledJobEntry entry, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ScheduledJobOutcome outcome;
            try
            {
                outcome = await runner.RunDueAsync(entry, time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (outcome.NextCheckAt is not { } next)
            {
                return;
            }

            var wait = next - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                await Task.Delay(wait < ScheduleRunner.MaxWait ? wait : ScheduleRunner.MaxWait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
