using Azure.Core.Serialization;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Functions;
using Workflows.Programmes;
using Workflows.Programmes.Records;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

IConfiguration config = builder.Configuration;
var services = builder.Services;

// Durable Task payloads use the same JSON as the embedded runtime (System.Text.Json web defaults).
services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(ProgrammeTaskDispatcher.JsonOptions));

// Records stay in records.db (ProgrammeRecords is SQLite with no storage interface, so there is nothing to put Azure
// Tables behind yet; Workflows.Programmes.Azure.TableKeys is ready for it).
// Storage: a connection string (Azurite: UseDevelopmentStorage=true) or, on Azure, identity-based access through
// AzureWebJobsStorage__accountName with the app's managed identity (see infra/modules/functionapp.bicep).
services.AddSingleton(_ => StorageClients.Blobs(config));
services.AddSingleton<IDocumentBlobStore>(sp => new BlobDocumentStore(
    sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(config["Workflows:Documents:BlobContainer"] ?? "documents"),
    TimeProvider.System));
services.AddSingleton<IOutboxMailSender>(sp => SendGridOutboxSender.Create(config, TimeProvider.System));

// The programme library: the same services the embedded host registers.
services.AddSingleton(TimeProvider.System);
services.AddSingleton(_ => new ProgrammeRecords(FunctionsSettings.RecordsDatabase(config)));
services.AddSingleton(sp => ProgrammeServices.CreateDefault(sp.GetRequiredService<ProgrammeRecords>(), sp.GetRequiredService<TimeProvider>()));
foreach (var module in ProgrammeModules.All)
{
    module.ConfigureServices(services);
}

services.AddSingleton<ProgrammeTaskDispatcher>();

// The programme facades take the embedded DurableTaskClient as a singleton; on Functions it is the bridge that every
// HTTP and timer trigger attaches its [DurableClient] binding to (DurableClientBridge.Attach) before any call.
services.AddSingleton(_ => new DurableClientBridge(new JsonDataConverter(ProgrammeTaskDispatcher.JsonOptions)));
services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableClientBridge>());

builder.Build().Run();

/// <summary>Storage clients from the Functions storage settings.</summary>
internal static class StorageClients
{
    /// <summary>The blob service client for <c>AzureWebJobsStorage</c>.</summary>
    public static BlobServiceClient Blobs(IConfiguration config) =>
        config["AzureWebJobsStorage"] is { Length: > 0 } cs
            ? new BlobServiceClient(cs)
            : new BlobServiceClient(new Uri($"https://{AccountName(config)}.blob.core.windows.net"), new DefaultAzureCredential());

    private static string AccountName(IConfiguration config) =>
        config["AzureWebJobsStorage:accountName"] is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException("Set 'AzureWebJobsStorage' (a connection string, e.g. UseDevelopmentStorage=true) or 'AzureWebJobsStorage__accountName' (identity-based access, as infra/ deploys).");
}
