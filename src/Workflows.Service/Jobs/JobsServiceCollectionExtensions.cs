using Workflows.Service.Schedules;

namespace Workflows.Service.Jobs;

/// <summary>Registers the scheduled jobs that drive the yearly cycle with nobody pressing a button.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>Default cron of <see cref="AnnualAssessmentsJob"/>: 01:00 every day (China time).</summary>
    public const string AnnualAssessmentsCron = "0 0 1 * * *";

    /// <summary>Default cron of <see cref="InstalmentsJob"/>: 01:30 every day.</summary>
    public const string InstalmentsCron = "0 30 1 * * *";

    /// <summary>Default cron of <see cref="DeadlineSweepJob"/>: 02:00 every day.</summary>
    public const string DeadlineSweepCron = "0 0 2 * * *";

    /// <summary>
    /// Adds <see cref="AnnualAssessmentsJob"/>, <see cref="InstalmentsJob"/> and <see cref="DeadlineSweepJob"/> to the
    /// schedule runner (settings <c>Workflows:Schedules:&lt;Name&gt;</c> override the default crons) and binds
    /// <see cref="JobsOptions"/>. The runner itself is added by <c>AddWorkflowsSchedules</c> (in <c>AddWorkflowsHost</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The settings.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWorkflowsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName);
        new WorkflowsSchedulesBuilder(services)
            .AddJob<AnnualAssessmentsJob>(AnnualAssessmentsCron)
            .AddJob<InstalmentsJob>(InstalmentsCron)
            .AddJob<DeadlineSweepJob>(DeadlineSweepCron);
        return services;
    }
}
