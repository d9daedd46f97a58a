using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Assessments;

/// <summary>The periodic assessment of recognised bases: tables, the eternal orchestration, its activities and <see cref="BaseOperations"/>.</summary>
public sealed class AssessmentsModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "assessments";

    /// <inheritdoc/>
    public string? SchemaScript => AssessmentStore.Schema;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(AnnualAssessmentOrchestrator.Name, () => new AnnualAssessmentOrchestrator());
        registry.AddActivity(AssessmentActivities.BeginPeriod, sp => new BeginAssessmentPeriodActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(AssessmentActivities.RequestReport, sp => new RequestAssessmentReportActivity(sp.GetRequiredService<ProgrammeServices>()));
        registry.AddActivity(AssessmentActivities.ApplySignal, sp => new ApplyAssessmentSignalActivity(sp.GetRequiredService<ProgrammeServices>()));
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new BaseOperations(sp.GetRequiredService<ProgrammeServices>(), sp.GetRequiredService<DurableTaskClient>()));
    }
}
