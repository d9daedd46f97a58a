using Workflows.Durable;

namespace Workflows.Programmes.Azure;

/// <summary>
/// Every orchestrator and activity that the programme modules register, by registered task name, for hosts other than
/// the embedded runtime (the Azure Functions app dispatches each one-line function to this catalogue). Built from
/// <see cref="ProgrammeModules.RegisterAll"/>, so the names are exactly the ones the embedded runtime uses.
/// </summary>
public sealed class ProgrammeTaskCatalogue
{
    private readonly IReadOnlyDictionary<string, Func<IServiceProvider, ITaskOrchestrator>> orchestrators;
    private readonly IReadOnlyDictionary<string, Func<IServiceProvider, ITaskActivity>> activities;

    private ProgrammeTaskCatalogue(
        IReadOnlyDictionary<string, Func<IServiceProvider, ITaskOrchestrator>> orchestrators,
        IReadOnlyDictionary<string, Func<IServiceProvider, ITaskActivity>> activities)
    {
        this.orchestrators = orchestrators;
        this.activities = activities;
    }

    /// <summary>The catalogue of all programme modules.</summary>
    public static ProgrammeTaskCatalogue Default { get; } = FromRegistry(Build());

    /// <summary>Registered orchestrator names, sorted.</summary>
    public IReadOnlyList<string> OrchestratorNames => this.orchestrators.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registered activity names, sorted.</summary>
    public IReadOnlyList<string> ActivityNames => this.activities.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Creates the orchestrator registered as <paramref name="name"/>.</summary>
    /// <param name="name">The registered name (case-insensitive).</param>
    /// <param name="services">Services for the factory.</param>
    /// <returns>A new orchestrator instance.</returns>
    /// <exception cref="KeyNotFoundException">No orchestrator has that name.</exception>
    public ITaskOrchestrator CreateOrchestrator(string name, IServiceProvider services) =>
        this.orchestrators.TryGetValue(name, out var factory)
            ? factory(services)
            : throw new KeyNotFoundException($"No programme module registers an orchestrator named '{name}'. Known: {string.Join(", ", this.OrchestratorNames)}.");

    /// <summary>Creates the activity registered as <paramref name="name"/>.</summary>
    /// <param name="name">The registered name (case-insensitive).</param>
    /// <param name="services">Services for the factory (ProgrammeServices and the like).</param>
    /// <returns>A new activity instance.</returns>
    /// <exception cref="KeyNotFoundException">No activity has that name.</exception>
    public ITaskActivity CreateActivity(string name, IServiceProvider services) =>
        this.activities.TryGetValue(name, out var factory)
            ? factory(services)
            : throw new KeyNotFoundException($"No programme module registers an activity named '{name}'. Known: {string.Join(", ", this.ActivityNames)}.");

    private static DurableTaskRegistry Build()
    {
        var registry = new DurableTaskRegistry();
        ProgrammeModules.RegisterAll(registry);
        return registry;
    }

    private static ProgrammeTaskCatalogue FromRegistry(DurableTaskRegistry registry) =>
        new(new Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>>(registry.Orchestrators, StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, Func<IServiceProvider, ITaskActivity>>(registry.Activities, StringComparer.OrdinalIgnoreCase));
}
