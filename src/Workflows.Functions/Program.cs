using Azure.Core.Serialization;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Functions;
using Workflows.Programmes;
using Workflows.Programmes.Records;
using Workflows.Programmes.Security;
using Workflows.Service;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

IConfiguration config = builder.Configuration;
var services = builder.Services;

// Records are SQLite in records.db (no Azure Tables store yet): on Azure refuse to start unless explicitly allowed.
FunctionsSettings.EnsureRecordsStorageAllowed(config, Environment.GetEnvironmentVariable);

// On Azure every instance must share the token signing key: refuse to start without Workflows:Auth:SigningKey.
FunctionsSettings.EnsureSigningKeyConfigured(config, Environment.GetEnvironmentVariable);

// Durable Task payloads use the same JSON as the embedded runtime (System.Text.Json web defaults).
services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(ProgrammeTaskDispatcher.JsonOptions));

// Registered before AddWorkflowsService, whose TryAdds then keep them: the clock, the records database (built with every
// registered schema piece, so its EnsureSchema creates every table of records.db), and the token
// signing key (Workflows:Auth:SigningKey, or locally the key file in the data folder as the embedded host does, so
// `workflows token --data <folder>` works against a local Functions host too).
services.AddSingleton(TimeProvider.System);
services.AddSingleton(sp => new ProgrammeRecords(FunctionsSettings.RecordsDatabase(config), schemas: sp.GetServices<RecordsSchema>()));
services.AddSingleton(_ => SigningKeyStore.LoadOrCreate(FunctionsSettings.DataFolder(config), config[FunctionsSettings.SigningKey]));

// The shared service: HTTP API, auth, idempotency, outbox, schedules and jobs, exactly as the embedded host has them.
services.AddWorkflowsService(config);
SendGridOutboxSender.UseForSendGrid(services);

// Documents in Azure Blobs. Storage: a connection string (Azurite: UseDevelopmentStorage=true) or, on Azure,
// identity-based access through AzureWebJobsStorage__accountName with the app's managed identity (infra/).
services.AddSingleton(_ => StorageClients.Blobs(config));
services.AddSingleton<IDocumentStore>(sp => new BlobDocumentStore(
    sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(config[FunctionsSettings.DocumentsContainer] is { Length: > 0 } name ? name : "documents"),
    sp.GetRequiredService<IOptionsMonitor<DocumentOptions>>(),
    sp.GetRequiredService<TimeProvider>()));

// The programme library (services, operations, every module's facades), as the embedded host has it; here each task
// is a function in TaskFunctions.cs instead of an embedded runtime registration.
services.AddProgrammeServices();

services.AddSingleton<ProgrammeTaskDispatcher>();

// The programme facades and the jobs take the embedded DurableTaskClient as a singleton; on Functions it is the bridge
// that every HTTP and timer trigger attaches its [DurableClient] binding to (DurableClientBridge.Attach) first.
services.AddSingleton(_ => new DurableClientBridge(new JsonDataConverter(ProgrammeTaskDispatcher.JsonOptions)));
services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableClientBridge>());

// The shared request pipeline, served by the one catch-all HTTP function.
services.AddSingleton<SharedApiPipeline>();

builder.Build().Run();

/// <summary>Storage clients from the Functions storage settings.</summary>
internal static class StorageClients
{
    /// <summary>The blob service client for <c>AzureWebJobsStorage</c>.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The client.</returns>
    public static BlobServiceClient Blobs(IConfiguration config) =>
        config["AzureWebJobsStorage"] is { Length: > 0 } cs
            ? new BlobServiceClient(cs)
            : new BlobServiceClient(new Uri($"https://{AccountName(config)}.blob.core.windows.net"), new DefaultAzureCredential());

    private static string AccountName(IConfiguration config) =>
        config["AzureWebJobsStorage:accountName"] is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException("Set 'AzureWebJobsStorage' (a connection string, e.g. UseDevelopmentStorage=true) or 'AzureWebJobsStorage__accountName' (identity-based access, as infra/ deploys).");
}
