using Microsoft.Extensions.Options;
using Workflows.Durable;
using Workflows.Host.Data;
using Workflows.Programmes;
using Workflows.Programmes.Records;

namespace Workflows.Host.Runtime;

/// <summary>Wires the embedded durable runtime into the host.</summary>
public static class DurableHostingExtensions
{
    /// <summary>The configuration section of the runtime's options (<see cref="EmbeddedDurableTaskOptions"/>).</summary>
    public const string SectionName = "Workflows:Durable";

    /// <summary>
    /// Adds the embedded durable runtime with its database at <c>{data}/durable.db</c>, the host's clock,
    /// options from <c>Workflows:Durable</c> (e.g. <c>MaxConcurrentActivities</c>, <c>Synchronous</c>), and a
    /// worker that runs while the host runs. Orchestrators and activities are added with
    /// <see cref="AddDurableTasks"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The runtime's builder.</returns>
    public static IEmbeddedDurableTaskBuilder AddWorkflowsDurable(this IServiceCollection services)
    {
        var builder = services.AddEmbeddedDurableTask();

        // The programme lifecycles: ProgrammeOperations (the facade the domain APIs call) and every module's
        // orchestrators and activities. Their records live in the data folder's records.db; the path is known only
        // once the data folder is resolved, so ProgrammeRecords is registered here first (AddWorkflowsProgrammes
        // adds it with TryAdd) and the file name passed below is never opened. Built with every registered schema piece
        // (idempotency keys, schedule state), so EnsureSchema creates every table of records.db.
        services.AddSingleton(sp => new ProgrammeRecords(
            sp.GetRequiredService<DataFolder>().RecordsDatabasePath, schemas: sp.GetServices<RecordsSchema>()));
        builder.AddWorkflowsProgrammes(o => o.RecordsDatabase = DataFolder.RecordsDatabaseFileName);
        services.AddOptions<EmbeddedDurableTaskOptions>()
            .BindConfiguration(SectionName)
            .Configure<DataFolder, TimeProvider>((options, folder, clock) =>
            {
                options.DatabasePath = folder.DurableDatabasePath;
                options.TimeProvider = clock;
            })
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Registers orchestrators and activities with the host's durable runtime. Call after
    /// <see cref="HostServiceCollectionExtensions.AddWorkflowsHost"/>; later calls add to the same registry.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds tasks to the registry.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="InvalidOperationException">The durable runtime has not been added yet.</exception>
    public static IServiceCollection AddDurableTasks(this IServiceCollection services, Action<DurableTaskRegistry> configure)
    {
        var registry = services
            .Where(d => d.ServiceType == typeof(DurableTaskRegistry) && !d.IsKeyedService)
            .Select(d => d.ImplementationInstance)
            .OfType<DurableTaskRegistry>()
            .LastOrDefault()
            ?? throw new InvalidOperationException("The durable runtime is not registered: call AddWorkflowsHost() before AddDurableTasks().");
        configure(registry);
        return services;
    }
}
