using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Durable.Client;

namespace Workflows.Programmes.Supervision;

/// <summary>002's task supervision: tables, the per-task orchestration, its activity and <see cref="SupervisionOperations"/>.</summary>
public sealed class SupervisionModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "supervision";

    /// <inheritdoc/>
    public string? SchemaScript => SupervisionStore.Schema;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(TaskSupervisionOrchestrator.Name, () => new TaskSupervisionOrchestrator());
        registry.AddActivity(TaskSupervisionOrchestrator.StepActivity, sp => new SupervisionStepActivity(sp.GetRequiredService<ProgrammeServices>(), SupervisionCatalogue.Default));
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SupervisionOperations(sp.GetRequiredService<ProgrammeServices>(), sp.GetRequiredService<DurableTaskClient>()));
    }
}
