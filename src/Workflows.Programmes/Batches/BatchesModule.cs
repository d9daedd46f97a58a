using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Durable.Client;

namespace Workflows.Programmes.Batches;

/// <summary>免申即享 batches: tables, the batch orchestration, its activities and <see cref="BatchOperations"/>.</summary>
public sealed class BatchesModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "batches";

    /// <inheritdoc/>
    public string? SchemaScript => BatchStore.Schema;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(NoApplicationBatchOrchestrator.Name, () => new NoApplicationBatchOrchestrator());
        registry.AddActivity(NoApplicationBatchOrchestrator.StateActivity, sp => new BatchStateActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(NoApplicationBatchOrchestrator.ConfirmActivity, sp => new BatchConfirmActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(NoApplicationBatchOrchestrator.CloseActivity, sp => new BatchCloseActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(NoApplicationBatchOrchestrator.ListCohortActivity, sp => new BatchListCohortActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(NoApplicationBatchOrchestrator.SyncCohortActivity, sp => new BatchSyncCohortActivity(sp.GetRequiredService<ProgrammeServices>()));
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new BatchOperations(sp.GetRequiredService<ProgrammeServices>(), sp.GetRequiredService<DurableTaskClient>()));
    }
}
