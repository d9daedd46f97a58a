using Workflows.Durable.Testing;

namespace Workflows.Host.Tests.Infrastructure;

/// <summary>Which host serves the API in a test.</summary>
public enum ApiHostKind
{
    /// <summary>The embedded host (<c>Program</c> through WebApplicationFactory).</summary>
    Embedded,

    /// <summary>A bare Kestrel server whose only middleware runs <c>WorkflowsPipeline.Build(...)</c>, as the Azure Functions host does.</summary>
    AzureShaped,
}

/// <summary>A running host serving the Workflows API, with its clock and a way to sign tokens.</summary>
public interface IApiHost : IDisposable
{
    /// <summary>The data folder (records.db, documents).</summary>
    string DataPath { get; }

    /// <summary>The host's clock.</summary>
    ManualTimeProvider Clock { get; }

    /// <summary>The host's root services.</summary>
    IServiceProvider Services { get; }

    /// <summary>A client without credentials.</summary>
    HttpClient CreateClient();

    /// <summary>A signed token from the host's own key.</summary>
    string Token(string role, string sub, string? org = null, string? name = null, TimeSpan? lifetime = null);

    /// <summary>A client that sends a bearer token for the given user.</summary>
    HttpClient ClientFor(string role, string sub, string? org = null);
}

/// <summary>Creates either kind of host.</summary>
public static class ApiHosts
{
    /// <summary>Both kinds, for <c>[MemberData]</c>.</summary>
    public static TheoryData<ApiHostKind> Kinds => new() { ApiHostKind.Embedded, ApiHostKind.AzureShaped };

    /// <summary>Starts a host of the given kind on a fresh data folder.</summary>
    public static IApiHost Create(ApiHostKind kind) => kind switch
    {
        ApiHostKind.Embedded => new WorkflowsHostFactory(),
        ApiHostKind.AzureShaped => new AzureShapedHost(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown host kind."),
    };
}
