using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Durable;
using Workflows.Durable.Testing;
using Workflows.Programmes;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;
using Workflows.Programmes.Security;
using Workflows.Service;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

namespace Workflows.Host.Tests.Infrastructure;

/// <summary>
/// The API served the way the Azure Functions host serves it: a bare Kestrel server on 127.0.0.1 (no WebApplication
/// defaults, nothing of Workflows.Host) whose ONLY middleware is <c>app.Run(ctx =&gt; pipeline(ctx))</c>, with the
/// pipeline from <see cref="WorkflowsPipeline.Build"/> and the services from
/// <see cref="WorkflowsServiceCollectionExtensions.AddWorkflowsService"/> plus what a host supplies itself: the
/// records database, the durable client (the embedded runtime stands in for Durable Functions), the document store,
/// the clock and a signing key from settings. The management API is left out, as on Azure.
/// </summary>
public sealed class AzureShapedHost : IApiHost
{
    private readonly IHost _host;
    private readonly Lazy<Uri> _address;

    /// <param name="settings">Settings over the defaults (a fresh signing key).</param>
    /// <param name="recordsLog">The records log's table; a new, empty one when null. Share one between hosts to run them as instances of one app.</param>
    public AzureShapedHost(IDictionary<string, string?>? settings = null, InMemoryTableStore? recordsLog = null)
    {
        DataPath = Path.Combine(Path.GetTempPath(), "workflows-azure-shaped-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);
        RecordsLog = recordsLog ?? new InMemoryTableStore();
        var records = Path.Combine(DataPath, "records.db");
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Workflows:Auth:SigningKey"] = TokenSigningKey.Generate().ToBase64(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        _host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(all))
            .ConfigureWebHost(web => web
                .UseKestrel()
                .UseUrls("http://127.0.0.1:0")
                .ConfigureServices((context, services) =>
                {
                    services.AddLogging();
                    services.AddSingleton<TimeProvider>(Clock);
                    // As the Functions host registers them for the Tables store; the container disposes the replica.
                    services.AddSingleton(sp => new RecordsReplica(RecordsLog, records, new RecordsReplicaOptions
                    {
                        InstanceId = "azure-shaped/" + Path.GetFileName(DataPath),
                        Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<RecordsReplica>(),
                    }));
                    services.AddSingleton(sp => new ProgrammeRecords(sp.GetRequiredService<RecordsReplica>(), schemas: sp.GetServices<RecordsSchema>()));

                    // AddWorkflowsProgrammes only TryAdds records over this path: the replicated registration above wins.
                    services.AddEmbeddedDurableTask(o => o.DatabasePath = Path.Combine(DataPath, "durable.db"))
                        .AddWorkflowsProgrammes(o => o.RecordsDatabase = records);
                    services.AddSingleton<IDocumentStore>(sp => new FileSystemDocumentStore(
                        Path.Combine(DataPath, "documents"), sp.GetRequiredService<IOptionsMonitor<DocumentOptions>>(), Clock));
                    services.AddWorkflowsService(context.Configuration);
                })
                .Configure(app =>
                {
                    var pipeline = WorkflowsPipeline.Build(app.ApplicationServices, new WorkflowsPipelineOptions { IncludeDurableManagementApi = false });
                    app.Run(context => pipeline(context));
                }))
            .Build();
        _address = new Lazy<Uri>(() =>
        {
            _host.StartAsync().GetAwaiter().GetResult();
            var addresses = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.Single());
        });
    }

    public string DataPath { get; }

    /// <summary>The shared log of the replicated records (the Azure table of the Functions host).</summary>
    public InMemoryTableStore RecordsLog { get; }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services
    {
        get
        {
            _ = _address.Value;
            return _host.Services;
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = _address.Value };

    public string Token(string role, string sub, string? org = null, string? name = null, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<DevTokenIssuer>().Issue(new TokenClaims(sub, [role], org, name), lifetime ?? TimeSpan.FromHours(1));

    public HttpClient ClientFor(string role, string sub, string? org = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, sub, org));
        return client;
    }

    public void Dispose()
    {
        if (_address.IsValueCreated)
        {
            _host.StopAsync().GetAwaiter().GetResult();
        }

        _host.Dispose();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a pooled handle; a leftover temp folder is harmless.
        }
    }
}
