using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Policies;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Records;

namespace Workflows.Programmes;

/// <summary>Options of <see cref="ProgrammesServiceCollectionExtensions.AddWorkflowsProgrammes(IEmbeddedDurableTaskBuilder, Action{ProgrammesOptions})"/>.</summary>
public sealed class ProgrammesOptions
{
    /// <summary>Gets or sets the records database: a connection string or a file path (the host passes <c>records.db</c> in its data folder).</summary>
    public string RecordsDatabase { get; set; } = string.Empty;
}

/// <summary>Registers the programme lifecycles in a host.</summary>
public static class ProgrammesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the programme services (records, notification port, quote engine, instalment checks, the
    /// <see cref="ProgrammeOperations"/> facade) and registers every module's orchestrators and activities in the
    /// embedded durable runtime, whose payloads are then written as <see cref="ProgrammePayloads"/> says. Ports are added with TryAdd: register your own before this call to replace one
    /// (e.g. an <see cref="INotificationPort"/>, a <see cref="ProgrammeCatalogue"/> or a <see cref="WorkingDayCalendar"/>);
    /// further <see cref="IInstalmentEligibility"/> checks may be added at any time (all must pass).
    /// </summary>
    /// <param name="durable">The builder returned by <c>AddEmbeddedDurableTask</c>.</param>
    /// <param name="configure">Sets <see cref="ProgrammesOptions.RecordsDatabase"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No records database was given.</exception>
    public static IEmbeddedDurableTaskBuilder AddWorkflowsProgrammes(this IEmbeddedDurableTaskBuilder durable, Action<ProgrammesOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ProgrammesOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.RecordsDatabase))
        {
            throw new ArgumentException("ProgrammesOptions.RecordsDatabase must name the records database (a path or a connection string).", nameof(configure));
        }

        var services = durable.Services;
        services.TryAddSingleton(sp => new ProgrammeRecords(options.RecordsDatabase, schemas: sp.GetServices<RecordsSchema>()));
        services.AddProgrammeServices();
        durable.AddTasks(ProgrammeModules.RegisterAll);
        durable.Configure(o => o.DataConverter = ProgrammePayloads.Converter);
        return durable;
    }

    /// <summary>
    /// Adds the programme services without registering any orchestration or activity: the clock, the notification
    /// port, the quote engine, the instalment checks, <see cref="ProgrammeServices"/>, the <see cref="ProgrammeOperations"/>
    /// facade and every module's services. <see cref="AddWorkflowsProgrammes"/> calls it for the embedded runtime; a host
    /// whose runtime registers the tasks its own way (the Azure Functions app: one function per task) calls it directly.
    /// The host registers <see cref="ProgrammeRecords"/> and the durable client itself. Everything is added with TryAdd.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddProgrammeServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INotificationPort, Notifier>();
        services.TryAddSingleton(sp => new QuoteEngine(
            sp.GetService<ProgrammeCatalogue>() ?? ProgrammeCatalogue.Default,
            sp.GetService<WorkingDayCalendar>() ?? WorkingDayCalendar.Default));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInstalmentEligibility, ProfileInstalmentEligibility>());
        services.TryAddSingleton<ProgrammeServices>();
        services.TryAddSingleton<ProgrammeOperations>();
        foreach (var module in ProgrammeModules.All)
        {
            module.ConfigureServices(services);
        }

        return services;
    }
}
