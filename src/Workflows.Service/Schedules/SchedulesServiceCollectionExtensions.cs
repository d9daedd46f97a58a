using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Programmes.Records;

namespace Workflows.Service.Schedules;

/// <summary>Adds jobs to the schedule runner.</summary>
public sealed class WorkflowsSchedulesBuilder
{
    internal WorkflowsSchedulesBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a job (singleton) with a default cron; the setting <c>Workflows:Schedules:&lt;JobName&gt;</c> overrides it.</summary>
    /// <typeparam name="TJob">The job type.</typeparam>
    /// <param name="defaultCron">Six-field cron used when the setting is absent; null makes the setting required.</param>
    /// <returns>This builder.</returns>
    public WorkflowsSchedulesBuilder AddJob<TJob>(string? defaultCron = null)
        where TJob : class, IScheduledJob
    {
        Services.TryAddSingleton<TJob>();
        Services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<TJob>());
        Services.AddSingleton(new ScheduledJobRegistration(typeof(TJob), defaultCron));
        return this;
    }
}

/// <summary>DI entry point of the schedules feature.</summary>
public static class SchedulesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="ScheduleRunner"/> (one pass per call: nothing runs until a host's loop or timer calls it), its
    /// settings (section <c>Workflows:Schedules</c>) and its state store in the records database: the registered
    /// <see cref="ProgrammeRecords"/>, which must be built with the registered <see cref="RecordsSchema"/> services
    /// (this adds <see cref="ScheduleStateStore.Schema"/> to them).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Settings.</param>
    /// <returns>A builder to add jobs.</returns>
    public static WorkflowsSchedulesBuilder AddWorkflowsSchedules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddRecordsSchema(ScheduleStateStore.Schema);
        services.TryAddSingleton(sp => new ScheduleStateStore(sp.GetRequiredService<ProgrammeRecords>()));
        // The settings given here hold the crons, so the runner does not depend on IConfiguration being registered.
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<ScheduleRunner>(sp, configuration));
        return new WorkflowsSchedulesBuilder(services);
    }
}
