using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable;

namespace Workflows.Programmes;

/// <summary>
/// One feature folder of Workflows.Programmes (lifecycles, batches, claims, assessments, supervision): its tables,
/// its orchestrators and activities, its services. Implementations are found by reflection (<see cref="ProgrammeModules.All"/>),
/// so adding a module needs no edit elsewhere. It needs a public parameterless constructor.
/// </summary>
public interface IProgrammeModule
{
    /// <summary>Gets the module name, for logs and errors.</summary>
    string Name { get; }

    /// <summary>Gets the module's idempotent SQL (<c>CREATE TABLE IF NOT EXISTS …</c>), applied by <see cref="Records.ProgrammeRecords.EnsureSchema"/>; null for none.</summary>
    string? SchemaScript => null;

    /// <summary>Registers the module's orchestrators and activities.</summary>
    /// <param name="registry">The registry.</param>
    void Register(DurableTaskRegistry registry);

    /// <summary>Adds the module's services (ports and their defaults, with TryAdd so the host can replace them).</summary>
    /// <param name="services">The services.</param>
    void ConfigureServices(IServiceCollection services)
    {
    }
}

/// <summary>Finds the <see cref="IProgrammeModule"/> implementations of this assembly.</summary>
public static class ProgrammeModules
{
    private static readonly Lazy<IReadOnlyList<IProgrammeModule>> Discovered = new(Discover);

    /// <summary>Gets every module, ordered by type name (stable).</summary>
    public static IReadOnlyList<IProgrammeModule> All => Discovered.Value;

    /// <summary>Registers the orchestrators and activities of every module.</summary>
    /// <param name="registry">The registry.</param>
    public static void RegisterAll(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var module in All)
        {
            module.Register(registry);
        }
    }

    private static IReadOnlyList<IProgrammeModule> Discover() =>
        typeof(ProgrammeModules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IProgrammeModule).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IProgrammeModule)Activator.CreateInstance(t)!)
            .ToList();
}
