using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Host.Background;
using Workflows.Host.Configuration;
using Workflows.Host.Data;
using Workflows.Host.Runtime;
using Workflows.Programmes.Security;
using Workflows.Service;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

namespace Workflows.Host;

/// <summary>Registers the embedded host's services. <c>Program.cs</c> calls <see cref="AddWorkflowsHost"/> once.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// Adds what only the embedded host has — the data folder (validated at start), the token signing key file,
    /// documents on the file system, the embedded durable runtime with the programme lifecycles and their
    /// <c>records.db</c> — then the service itself (<see cref="WorkflowsServiceCollectionExtensions.AddWorkflowsService"/>:
    /// API, auth, idempotency, problem details, outbox, schedules, jobs, health), and the two background loops that call
    /// the service's single passes (outbox dispatch, schedules).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The settings (the email provider is chosen at registration).</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWorkflowsHost(this IServiceCollection services, IConfiguration configuration)
    {
        // First, so the data folder and key are ready before any other hosted service starts.
        services.AddHostedService<HostStartup>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowsOptions>().BindConfiguration(WorkflowsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>();
        services.TryAddSingleton<DataFolder>();

        // Before AddWorkflowsService, whose defaults are registered with TryAdd.
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TokenOptions>>().Value;
            return SigningKeyStore.LoadOrCreate(sp.GetRequiredService<DataFolder>().Root, options.SigningKey);
        });
        services.TryAddSingleton<IDocumentStore>(sp => new FileSystemDocumentStore(
            sp.GetRequiredService<DataFolder>().DocumentsPath,
            sp.GetRequiredService<IOptionsMonitor<DocumentOptions>>(),
            sp.GetRequiredService<TimeProvider>()));

        // The service before the runtime, so its start-up step (the records.db schema) runs before the durable worker
        // resumes any orchestration. Lifecycle orchestrations and activities are added with services.AddDurableTasks(...).
        services.AddWorkflowsService(configuration);
        services.AddWorkflowsDurable();

        // The service does one pass per call; these loops make the calls while the host runs.
        services.AddHostedService<OutboxDispatcherService>();
        services.AddHostedService<ScheduleRunnerService>();
        return services;
    }
}
