using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Workflows.Service.Schedules;

/// <summary>One job with its parsed schedule.</summary>
/// <param name="Job">The job.</param>
/// <param name="Cron">Its schedule.</param>
/// <param name="SettingKey">The setting the schedule came from (or would come from), for messages.</param>
public sealed record ScheduledJobEntry(IScheduledJob Job, CronSchedule Cron, string SettingKey);

/// <summary>What one pass did for one job.</summary>
public enum ScheduledJobStatus
{
    /// <summary>Nothing was due (or a retry is not due yet); see <see cref="ScheduledJobOutcome.NextCheckAt"/>.</summary>
    NotDue,

    /// <summary>The occurrence ran and finished.</summary>
    Succeeded,

    /// <summary>The occurrence failed and is tried again at <see cref="ScheduledJobOutcome.NextCheckAt"/>.</summary>
    RetryScheduled,

    /// <summary>The occurrence failed <see cref="ScheduleOptions.MaxRetries"/> + 1 times; the job waits for its next occurrence.</summary>
    GaveUp,

    /// <summary>The job is still running from an earlier pass in this process; nothing was started.</summary>
    AlreadyRunning,

    /// <summary>The state store failed; the pass should be tried again at <see cref="ScheduledJobOutcome.NextCheckAt"/> (a minute later).</summary>
    StoreFailed,

    /// <summary>The cron has no further occurrences.</summary>
    NoMoreOccurrences,
}

/// <summary>The outcome of one job in one pass of <see cref="ScheduleRunner.RunDueAsync(DateTimeOffset, CancellationToken)"/>.</summary>
/// <param name="JobName">The job.</param>
/// <param name="Status">What happened.</param>
/// <param name="ScheduledAt">The occurrence that ran, when one ran.</param>
/// <param name="NextCheckAt">When a polling host should look at this job again (null: never).</param>
/// <param name="Error">The failure, for <see cref="ScheduledJobStatus.RetryScheduled"/> and <see cref="ScheduledJobStatus.GaveUp"/>.</param>
public sealed record ScheduledJobOutcome(string JobName, ScheduledJobStatus Status, DateTimeOffset? ScheduledAt, DateTimeOffset? NextCheckAt, string? Error = null);

/// <summary>
/// Runs every <see cref="IScheduledJob"/> at the occurrences of its cron (evaluated in
/// <see cref="ScheduleOptions.TimeZone"/>, China Standard Time by default), one pass at a time: the embedded host calls
/// it from a loop per job, a timer host (Azure Functions) from a one-minute UTC timer with
/// <see cref="RunDueAsync(DateTimeOffset, CancellationToken)"/> — the same rules either way.
/// </summary>
/// <remarks>
/// <para>Progress is persisted per job (<see cref="ScheduleStateStore"/>): a job first seen starts its schedule at
/// that moment; occurrences missed while nothing called the runner (host down, timer late) are caught up ONCE, by
/// running the latest of them (a yearly job down for two years runs once, not twice); an occurrence interrupted by a
/// stop is run again with the same scheduled time; an occurrence that finished is never run again. A failed run is
/// logged and recorded with its error and tried again after <see cref="ScheduleOptions.RetryDelay"/> (doubling) up to
/// <see cref="ScheduleOptions.MaxRetries"/> times; then the job waits for its next occurrence.</para>
/// </remarks>
public sealed partial class ScheduleRunner
{
    /// <summary>The longest wait a polling host should make in one go: TimeProvider timers accept at most ~49 days,
    /// and waking daily also re-reads the clock after a jump.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly IEnumerable<IScheduledJob> _jobs;
    private readonly IEnumerable<ScheduledJobRegistration> _registrations;
    private readonly IConfiguration _configuration;
    private readonly ScheduleOptions _options;
    private readonly ScheduleStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleRunner> _logger;
    private readonly Lazy<(TimeZoneInfo Zone, IReadOnlyList<ScheduledJobEntry> Entries)> _schedule;
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the runner (resolved from DI).</summary>
    /// <param name="jobs">All registered jobs.</param>
    /// <param name="registrations">Default crons of jobs added through the builder.</param>
    /// <param name="configuration">Settings holding <c>Workflows:Schedules:&lt;JobName&gt;</c>.</param>
    /// <param name="options">Runner settings.</param>
    /// <param name="store">Persisted progress.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logger.</param>
    public ScheduleRunner(
        IEnumerable<IScheduledJob> jobs,
        IEnumerable<ScheduledJobRegistration> registrations,
        IConfiguration configuration,
        IOptions<ScheduleOptions> options,
        ScheduleStateStore store,
        TimeProvider time,
        ILogger<ScheduleRunner> logger)
    {
        _jobs = jobs;
        _registrations = registrations;
        _configuration = configuration;
        _options = options.Value;
        _store = store;
        _time = time;
        _logger = logger;
        _schedule = new(() =>
        {
            var built = BuildEntries();
            foreach (var entry in built.Entries)
            {
                LogScheduled(entry.Job.Name, entry.Cron.Expression, built.Zone.Id);
            }

            return built;
        });
    }

    /// <summary>
    /// The jobs and schedules in force. Read on first use: a host reads it at start, so a bad schedule stops it with a
    /// message naming the setting.
    /// </summary>
    /// <exception cref="InvalidOperationException">A schedule, a job name, the retry settings or the time zone is invalid.</exception>
    public IReadOnlyList<ScheduledJobEntry> Entries => _schedule.Value.Entries;

    /// <summary>The zone the crons are evaluated in.</summary>
    /// <exception cref="InvalidOperationException">The time zone setting is invalid.</exception>
    public TimeZoneInfo TimeZone => _schedule.Value.Zone;

    /// <summary>
    /// One pass over every job: runs each job whose occurrence is due at <paramref name="now"/> (or whose failed
    /// occurrence's retry is due), concurrently, so a slow job never holds up another. A timer host calls this every
    /// minute; a job already running from an earlier pass is left alone.
    /// </summary>
    /// <param name="now">The current instant (UTC).</param>
    /// <param name="cancellationToken">Signalled when the host stops; a job it interrupts runs again at the next pass.</param>
    /// <returns>What happened to each job, in <see cref="Entries"/> order.</returns>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public async Task<IReadOnlyList<ScheduledJobOutcome>> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await Task.WhenAll(Entries.Select(e => Task.Run(() => RunDueAsync(e, now, cancellationToken), CancellationToken.None)));

    /// <summary>One pass over one job; see <see cref="RunDueAsync(DateTimeOffset, CancellationToken)"/>.</summary>
    /// <param name="entry">One of <see cref="Entries"/>.</param>
    /// <param name="now">The current instant (UTC).</param>
    /// <param name="cancellationToken">Signalled when the host stops; an interrupted occurrence stays in flight and runs again.</param>
    /// <returns>What happened, and when to look again.</returns>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public async Task<ScheduledJobOutcome> RunDueAsync(ScheduledJobEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = entry.Job.Name;
        if (!_running.TryAdd(name, 0))
        {
            return new ScheduledJobOutcome(name, ScheduledJobStatus.AlreadyRunning, null, now + TimeSpan.FromMinutes(1));
        }

        try
        {
            return await RunOnceAsync(entry, now, cancellationToken);
        }
        finally
        {
            _running.TryRemove(name, out _);
        }
    }

    private async Task<ScheduledJobOutcome> RunOnceAsync(ScheduledJobEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = entry.Job.Name;
        DateTimeOffset scheduledAt;
        int failuresSoFar;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = _store.GetOrCreate(name, now);
            failuresSoFar = state.InFlight is null ? 0 : state.Failures;
            if (state.InFlight is not null && state.RetryAt is { } retryAt && retryAt > now)
            {
                return new ScheduledJobOutcome(name, ScheduledJobStatus.NotDue, null, retryAt);
            }

            var due = state.InFlight ?? LatestDue(entry.Cron, state.Cursor, now);
            if (due is null)
            {
                var from = state.Cursor > now ? state.Cursor : now;
                if (entry.Cron.GetNextOccurrence(from, TimeZone) is not { } next)
                {
                    LogNoMoreOccurrences(name);
                    return new ScheduledJobOutcome(name, ScheduledJobStatus.NoMoreOccurrences, null, null);
                }

                return new ScheduledJobOutcome(name, ScheduledJobStatus.NotDue, null, next);
            }

            scheduledAt = due.Value;
            _store.MarkStarted(name, scheduledAt, now);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The store itself failed (disk full, locked file): try again after a minute rather than spin.
            LogStoreFailed(ex, name);
            return new ScheduledJobOutcome(name, ScheduledJobStatus.StoreFailed, null, now + TimeSpan.FromMinutes(1));
        }

        LogStarting(name, scheduledAt, now);
        string? failure = null;
        try
        {
            await entry.Job.RunAsync(scheduledAt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Left in flight on purpose: the next pass (after a restart) runs this occurrence again.
            LogInterrupted(name, scheduledAt);
            throw;
        }
        catch (Exception ex)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
            LogRunFailed(ex, name, scheduledAt);
        }

        var finishedAt = _time.GetUtcNow();
        try
        {
            if (failure is null)
            {
                _store.MarkFinished(name, scheduledAt, finishedAt, null);
                LogSucceeded(name, scheduledAt);
                return new ScheduledJobOutcome(name, ScheduledJobStatus.Succeeded, scheduledAt, finishedAt);
            }

            if (failuresSoFar < _options.MaxRetries)
            {
                var retryAt = finishedAt + RetryDelay(failuresSoFar + 1);
                _store.MarkRetry(name, scheduledAt, finishedAt, retryAt, failure);
                LogRetrying(name, scheduledAt, failuresSoFar + 1, retryAt, failure);
                return new ScheduledJobOutcome(name, ScheduledJobStatus.RetryScheduled, scheduledAt, retryAt, failure);
            }

            _store.MarkFinished(name, scheduledAt, finishedAt, failure);
            LogGaveUp(name, scheduledAt, failuresSoFar + 1, failure);
            return new ScheduledJobOutcome(name, ScheduledJobStatus.GaveUp, scheduledAt, finishedAt, failure);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, name);
            return new ScheduledJobOutcome(name, ScheduledJobStatus.StoreFailed, scheduledAt, finishedAt + TimeSpan.FromMinutes(1), failure);
        }
    }

    private (TimeZoneInfo Zone, IReadOnlyList<ScheduledJobEntry> Entries) BuildEntries()
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Setting '{ScheduleOptions.SectionName}:TimeZone' = '{_options.TimeZone}' is not a known time zone (e.g. 'Asia/Shanghai').", ex);
        }

        if (_options.MaxRetries < 0 || _options.RetryDelay <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"'{ScheduleOptions.SectionName}:MaxRetries' must be 0 or more and '{ScheduleOptions.SectionName}:RetryDelay' positive.");
        }

        var defaults = _registrations.GroupBy(r => r.JobType).ToDictionary(g => g.Key, g => g.Last().DefaultCron);
        var entries = new List<ScheduledJobEntry>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var job in _jobs)
        {
            if (string.IsNullOrWhiteSpace(job.Name) || job.Name.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"Scheduled job {job.GetType().Name} has name '{job.Name}'; a job name is non-empty and has no ':'.");
                continue;
            }

            if (ScheduleOptions.ReservedNames.Contains(job.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Scheduled job {job.GetType().Name} is named '{job.Name}', which is a schedules setting; choose another name.");
                continue;
            }

            if (!names.Add(job.Name))
            {
                errors.Add($"Two scheduled jobs are named '{job.Name}'.");
                continue;
            }

            var key = $"{ScheduleOptions.SectionName}:{job.Name}";
            var text = _configuration[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                text = defaults.GetValueOrDefault(job.GetType());
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add($"Scheduled job '{job.Name}' has no schedule: set '{key}' to a six-field cron such as '0 0 2 * * *' or to '{ScheduleOptions.Disabled}'.");
                continue;
            }

            if (string.Equals(text.Trim(), ScheduleOptions.Disabled, StringComparison.OrdinalIgnoreCase))
            {
                LogDisabled(job.Name, key);
                continue;
            }

            if (!CronSchedule.TryParse(text, out var cron, out var error))
            {
                errors.Add($"Setting '{key}': {error}");
                continue;
            }

            entries.Add(new ScheduledJobEntry(job, cron, key));
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        return (zone, entries);
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): the retry delay doubled per earlier retry.</summary>
    internal TimeSpan RetryDelay(int retry)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Clamp(retry - 1, 0, 20));
        return ticks >= MaxWait.Ticks ? MaxWait : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The latest occurrence in (<paramref name="cursor"/>, <paramref name="now"/>], or null.</summary>
    internal DateTimeOffset? LatestDue(CronSchedule cron, DateTimeOffset cursor, DateTimeOffset now)
    {
        if (cron.GetNextOccurrence(cursor, TimeZone) is not { } first || first > now)
        {
            return null;
        }

        // Search growing windows ending at now, so a per-second cron after a long stop does not walk every second.
        TimeSpan[] windows = [TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367)];
        foreach (var window in windows)
        {
            var start = now - window;
            if (start < cursor)
            {
                break;
            }

            DateTimeOffset? latest = null;
            foreach (var occurrence in cron.GetOccurrences(start, now, TimeZone))
            {
                latest = occurrence;
            }

            if (latest is not null)
            {
                return latest;
            }
        }

        DateTimeOffset last = first;
        foreach (var occurrence in cron.GetOccurrences(first, now, TimeZone))
        {
            last = occurrence;
        }

        return last;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Job {JobName} scheduled '{Cron}' in {TimeZone}")]
    private partial void LogScheduled(string jobName, string cron, string timeZone);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Job {JobName} is disabled by setting {SettingKey}")]
    private partial void LogDisabled(string jobName, string settingKey);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Job {JobName} starting occurrence {ScheduledAt:o} at {Now:o}")]
    private partial void LogStarting(string jobName, DateTimeOffset scheduledAt, DateTimeOffset now);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Job {JobName} finished occurrence {ScheduledAt:o}")]
    private partial void LogSucceeded(string jobName, DateTimeOffset scheduledAt);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Job {JobName} failed occurrence {ScheduledAt:o} {Attempts} time(s) and gives up until its next occurrence: {Error}")]
    private partial void LogGaveUp(string jobName, DateTimeOffset scheduledAt, int attempts, string error);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Job {JobName} threw during occurrence {ScheduledAt:o}")]
    private partial void LogRunFailed(Exception exception, string jobName, DateTimeOffset scheduledAt);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Job {JobName} failed occurrence {ScheduledAt:o} (failure {Failures}); retrying at {RetryAt:o}: {Error}")]
    private partial void LogRetrying(string jobName, DateTimeOffset scheduledAt, int failures, DateTimeOffset retryAt, string error);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Job {JobName} interrupted during occurrence {ScheduledAt:o}; it runs again at the next start")]
    private partial void LogInterrupted(string jobName, DateTimeOffset scheduledAt);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "Schedule state store failed for job {JobName}; retrying in a minute")]
    private partial void LogStoreFailed(Exception exception, string jobName);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Job {JobName} has no further occurrences")]
    private partial void LogNoMoreOccurrences(string jobName);
}
