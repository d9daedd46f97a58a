namespace Workflows.Service.Schedules;

/// <summary>Settings of the schedule runner (section <c>Workflows:Schedules</c>); each job's cron is <c>Workflows:Schedules:&lt;JobName&gt;</c>.</summary>
public sealed class ScheduleOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Schedules";

    /// <summary>Time zone whose wall clock the cron fields describe (IANA or Windows id).</summary>
    /// <value>Defaults to <c>Asia/Shanghai</c> (China Standard Time, UTC+8, no daylight saving).</value>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Setting value that switches a job off.</summary>
    public const string Disabled = "Disabled";

    /// <summary>
    /// How many times a failed run of one occurrence is tried again before the job waits for its next occurrence
    /// (<c>Workflows:Schedules:MaxRetries</c>). A yearly job that fails once must not wait a year.
    /// </summary>
    /// <value>Defaults to 3.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Wait before the first retry; doubles for each further one (<c>Workflows:Schedules:RetryDelay</c>).</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Names under the section that are settings, not jobs.</summary>
    public static IReadOnlyList<string> ReservedNames { get; } = [nameof(TimeZone), nameof(MaxRetries), nameof(RetryDelay)];
}

/// <summary>A job type registered with <see cref="WorkflowsSchedulesBuilder.AddJob{TJob}"/> and its default cron.</summary>
/// <param name="JobType">The job's implementation type.</param>
/// <param name="DefaultCron">The cron used when the setting <c>Workflows:Schedules:&lt;Name&gt;</c> is absent; null means the setting is required.</param>
public sealed record ScheduledJobRegistration(Type JobType, string? DefaultCron);
