using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Programmes.Operations;

namespace Workflows.Programmes.Claims;

/// <summary>Claim windows: the table, the window orchestration, its lapse activity and <see cref="ClaimOperations"/>.</summary>
public sealed class ClaimsModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "claims";

    /// <inheritdoc/>
    public string? SchemaScript => ClaimStore.Schema;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(ClaimWindowOrchestrator.Name, () => new ClaimWindowOrchestrator());
        registry.AddActivity(ClaimWindowOrchestrator.LapseActivity, sp => new LapseClaimActivity(sp.GetRequiredService<ProgrammeServices>()));
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ClaimOperations(sp.GetRequiredService<ProgrammeOperations>()));
    }
}
