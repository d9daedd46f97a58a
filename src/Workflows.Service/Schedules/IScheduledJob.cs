namespace Workflows.Service.Schedules;

/// <summary>
/// A named piece of work run by <see cref="ScheduleRunner"/> at the occurrences of its cron schedule
/// (setting <c>Workflows:Schedules:&lt;Name&gt;</c>).
/// </summary>
/// <remarks>
/// Runs are at least once: a run interrupted by a stop is run again, with the same
/// <c>scheduledAt</c>, when the host starts next, so a job must be idempotent for a given occurrence.
/// </remarks>
public interface IScheduledJob
{
    /// <summary>The job's name: unique, and the suffix of its setting key (e.g. <c>AnnualAssessments</c>).</summary>
    string Name { get; }

    /// <summary>Does the work of one occurrence.</summary>
    /// <param name="scheduledAt">The occurrence being run (not the time the run started, which is later after a catch-up).</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when the work is done.</returns>
    Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken);
}
