using Azure.Core.Serialization;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Functions;
using Workflows.Programmes;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Security;
using Workflows.Service;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

IConfiguration config = builder.Configuration;
var services = builder.Services;

// Records: Workflows:Records:Store = Tables (default on Azure) or File (default locally). A bad store or table name stops
// the host here, and so does File on Azure without Workflows:Records:AllowInstanceLocalDatabase.
FunctionsSettings.EnsureRecordsStorageAllowed(config, Environment.GetEnvironmentVariable);
var recordsStore = FunctionsSettings.Records(config, Environment.GetEnvironmentVariable);

// On Azure every instance must share the token signing key: refuse to start without Workflows:Auth:SigningKey.
FunctionsSettings.EnsureSigningKeyConfigured(config, Environment.GetEnvironmentVariable);

// Durable Task payloads use the same JSON as the embedded runtime (System.Text.Json web defaults).
services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(ProgrammeTaskDispatcher.JsonOptions));

// Registered before AddWorkflowsService, whose TryAdds then keep them: the clock, the records (built with every
// registered schema piece, so their EnsureSchema creates every records table), and the token signing key
// (Workflows:Auth:SigningKey, or locally the key file in the data folder as the embedded host does, so
// `workflows token --data <folder>` works against a local Functions host too).
services.AddSingleton(TimeProvider.System);
if (recordsStore == RecordsStore.Tables)
{
    // Replicated records: a local SQLite copy per instance (a cache on the instance's disk), every write transaction
    // appended to the shared log in ONE Azure table before it commits locally, every read caught up with the log first.
    // The table is created if missing when the records are first resolved, which RecordsStartup does at host start.
    // The container disposes the replica (its local copy's lock) on shutdown.
    string recordsTable = FunctionsSettings.RecordsTable(config);
    services.AddSingleton(_ => StorageClients.Table(config, recordsTable));
    services.AddSingleton(sp =>
    {
        var store = new AzureTableStore(sp.GetRequiredService<TableClient>());
        store.CreateTableIfNotExistsAsync().GetAwaiter().GetResult();
        return new RecordsReplica(
            store,
            FunctionsSettings.RecordsLocalCopy(config, Environment.GetEnvironmentVariable),
            new RecordsReplicaOptions
            {
                InstanceId = FunctionsSettings.InstanceId(Environment.GetEnvironmentVariable),
                Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<RecordsReplica>(),
            });
    });
    services.AddSingleton(sp => new ProgrammeRecords(sp.GetRequiredService<RecordsReplica>(), schemas: sp.GetServices<RecordsSchema>()));
}
else
{
    services.AddSingleton(sp => new ProgrammeRecords(FunctionsSettings.RecordsDatabase(config), schemas: sp.GetServices<RecordsSchema>()));
}

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

    /// <summary>
    /// The table client of the records log for <c>AzureWebJobsStorage</c>: a connection string (Azurite:
    /// <c>UseDevelopmentStorage=true</c>) or identity-based access to <c>https://{account}.table.core.windows.net</c>.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="tableName">The table (<see cref="FunctionsSettings.RecordsTable"/>).</param>
    /// <returns>The client.</returns>
    public static TableClient Table(IConfiguration config, string tableName) =>
        config["AzureWebJobsStorage"] is { Length: > 0 } cs
            ? new TableClient(cs, tableName)
            : new TableClient(new Uri($"https://{AccountName(config)}.table.core.windows.net"), tableName, new DefaultAzureCredential());

    private static string AccountName(IConfiguration config) =>
        config["AzureWebJobsStorage:accountName"] is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException("Set 'AzureWebJobsStorage' (a connection string, e.g. UseDevelopmentStorage=true) or 'AzureWebJobsStorage__accountName' (identity-based access, as infra/ deploys).");
}
