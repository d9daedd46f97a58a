using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Workflows.Service.Schedules;

/// <summary>One job with its parsed schedule.</summary>
/// <param name="Job">The job.</param>
/// <param name="Cron">Its schedule.</param>
/// <param name="SettingKey">The setting the schedule came from (or would come from), for messages.</param>
public sealed record ScheduledJobEntry(IScheduledJob Job, CronSchedule Cron, string SettingKey);

/// <summary>
/// Runs every <see cref="IScheduledJob"/> at the occurrences of its cron, on the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>Each job loops on its own, so a slow or failing job never holds up another.</para>
/// <para>Progress is persisted per job (<see cref="ScheduleStateStore"/>): a job first seen starts its schedule at
/// that moment; after a stop, occurrences missed while the host was down are caught up ONCE, by running the latest
/// of them (a yearly job down for two years runs once, not twice); an occurrence interrupted by a stop is run again
/// with the same scheduled time; an occurrence that finished is never run again. A failed run is logged and
/// recorded with its error and tried again after <see cref="ScheduleOptions.RetryDelay"/> (doubling) up to
/// <see cref="ScheduleOptions.MaxRetries"/> times; then the job waits for its next occurrence.</para>
/// </remarks>
public sealed partial class ScheduleRunner : BackgroundService
{
    // TimeProvider timers accept at most ~49 days; waking daily also re-reads the clock after a jump.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly IEnumerable<IScheduledJob> _jobs;
    private readonly IEnumerable<ScheduledJobRegistration> _registrations;
    private readonly IConfiguration _configuration;
    private readonly ScheduleOptions _options;
    private readonly ScheduleStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleRunner> _logger;
    private IReadOnlyList<ScheduledJobEntry>? _entries;
    private TimeZoneInfo? _zone;

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
    }

    /// <summary>The jobs and schedules in force, after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<ScheduledJobEntry> Entries => _entries ?? throw new InvalidOperationException("The schedule runner has not started.");

    /// <summary>The zone the crons are evaluated in, after <see cref="StartAsync"/>.</summary>
    public TimeZoneInfo TimeZone => _zone ?? throw new InvalidOperationException("The schedule runner has not started.");

    /// <summary>Validates every job's schedule (a bad one stops the host with a message naming its setting), then starts the loops.</summary>
    /// <param name="cancellationToken">Start-up cancellation.</param>
    /// <returns>A task that completes when the loops are started.</returns>
    /// <exception cref="InvalidOperationException">A schedule, a job name or the time zone is invalid.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        (_zone, _entries) = BuildEntries();
        foreach (var entry in _entries)
        {
            LogScheduled(entry.Job.Name, entry.Cron.Expression, _zone.Id);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>Runs one loop per job until the host stops.</summary>
    /// <param name="stoppingToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when every loop has ended.</returns>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Entries.Select(e => Task.Run(() => RunLoopAsync(e, stoppingToken), CancellationToken.None)));

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

    private async Task RunLoopAsync(ScheduledJobEntry entry, CancellationToken stoppingToken)
    {
        var name = entry.Job.Name;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? due;
            DateTimeOffset now;
            int failuresSoFar;
            try
            {
                now = _time.GetUtcNow();
                var state = _store.GetOrCreate(name, now);
                failuresSoFar = state.InFlight is null ? 0 : state.Failures;
                if (state.InFlight is not null && state.RetryAt is { } retryAt && retryAt > now)
                {
                    await WaitAsync(retryAt - now, stoppingToken);
                    continue;
                }

                due = state.InFlight ?? LatestDue(entry.Cron, state.Cursor, now);
                if (due is null)
                {
                    var from = state.Cursor > now ? state.Cursor : now;
                    if (entry.Cron.GetNextOccurrence(from, TimeZone) is not { } next)
                    {
                        LogNoMoreOccurrences(name);
                        return;
                    }

                    await WaitAsync(next - now, stoppingToken);
                    continue;
                }

                _store.MarkStarted(name, due.Value, now);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store itself failed (disk full, locked file): try again after a minute rather than spin.
                LogStoreFailed(ex, name);
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var scheduledAt = due.Value;
            LogStarting(name, scheduledAt, now);
            string? failure = null;
            try
            {
                await entry.Job.RunAsync(scheduledAt, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Left in flight on purpose: the next start runs this occurrence again.
                LogInterrupted(name, scheduledAt);
                return;
            }
            catch (Exception ex)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
                LogRunFailed(ex, name, scheduledAt);
            }

            try
            {
                var finishedAt = _time.GetUtcNow();
                if (failure is null)
                {
                    _store.MarkFinished(name, scheduledAt, finishedAt, null);
                    LogSucceeded(name, scheduledAt);
                }
                else if (failuresSoFar < _options.MaxRetries)
                {
                    var retryAt = finishedAt + RetryDelay(failuresSoFar + 1);
                    _store.MarkRetry(name, scheduledAt, finishedAt, retryAt, failure);
                    LogRetrying(name, scheduledAt, failuresSoFar + 1, retryAt, failure);
                }
                else
                {
                    _store.MarkFinished(name, scheduledAt, finishedAt, failure);
                    LogGaveUp(name, scheduledAt, failuresSoFar + 1, failure);
                }
            }
            catch (Exception ex)
            {
                LogStoreFailed(ex, name);
            }
        }
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): the retry delay doubled per earlier retry.</summary>
    internal TimeSpan RetryDelay(int retry)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Clamp(retry - 1, 0, 20));
        return ticks >= MaxWait.Ticks ? MaxWait : TimeSpan.FromTicks((long)ticks);
    }

    private Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken) =>
        Task.Delay(wait < MaxWait ? wait : MaxWait, _time, stoppingToken);

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
