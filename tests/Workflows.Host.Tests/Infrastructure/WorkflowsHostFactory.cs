using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable.Testing;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Infrastructure;

/// <summary>
/// The host in-process with a temporary data folder and a manual clock. One per test class
/// (IClassFixture); the folder is deleted on dispose.
/// </summary>
public class WorkflowsHostFactory : WebApplicationFactory<Program>, IApiHost
{
    private readonly bool _ownsDataPath;

    public WorkflowsHostFactory()
        : this(null)
    {
    }

    /// <summary>A host on an existing data folder (kept on dispose), e.g. to restart on the same files.</summary>
    protected WorkflowsHostFactory(string? dataPath)
    {
        _ownsDataPath = dataPath is null;
        DataPath = dataPath ?? Path.Combine(Path.GetTempPath(), "workflows-host-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);
    }

    public string DataPath { get; }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    /// <summary>Extra settings applied on top of the defaults (set before the first client is made).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Workflows:DataPath", DataPath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            ConfigureTestServices(services);
        });
    }

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>A signed token from the host's own key.</summary>
    public string Token(string role, string sub, string? org = null, string? name = null, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<DevTokenIssuer>().Issue(new TokenClaims(sub, [role], org, name), lifetime ?? TimeSpan.FromHours(1));

    /// <summary>A client that sends a bearer token for the given user.</summary>
    public HttpClient ClientFor(string role, string sub, string? org = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, sub, org));
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataPath && Directory.Exists(DataPath))
        {
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold a pooled handle on Windows; a leftover temp folder is harmless.
            }
        }
    }
}
