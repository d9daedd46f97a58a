using System.Net;
using System.Net.Http.Headers;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Auth;

/// <summary>What `workflows token` relies on: it finds the host's key and settings the way the host does.</summary>
public sealed class DevTokenEnvironmentTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "workflows-devtoken-" + Guid.NewGuid().ToString("N"));

    public DevTokenEnvironmentTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Func<string, string?> Env(params (string Key, string Value)[] variables) =>
        key => variables.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void Resolve_NothingConfigured_UsesTheDefaults()
    {
        var environment = DevTokenEnvironment.Resolve(_folder, null, Env());

        Assert.Equal(Path.Combine(_folder, "app_data"), environment.DataFolder);
        Assert.Null(environment.SigningKey);
        Assert.Equal(TokenSettings.Default, environment.Settings);
    }

    [Fact]
    public void Resolve_LocalSettings_AreRead()
    {
        File.WriteAllText(Path.Combine(_folder, "local.settings.json"), """
            { "IsEncrypted": false, "Values": { "Workflows__DataPath": "./data", "Workflows:Auth:Issuer": "iss-x", "Workflows__Auth__Audience": "aud-x" } }
            """);

        var environment = DevTokenEnvironment.Resolve(_folder, null, Env());

        Assert.Equal(Path.Combine(_folder, "data"), environment.DataFolder);
        Assert.Equal(new TokenSettings("iss-x", "aud-x"), environment.Settings);
    }

    [Fact]
    public void Resolve_EnvironmentOverLocalSettings_AndDataOptionOverBoth()
    {
        File.WriteAllText(Path.Combine(_folder, "local.settings.json"), """{ "Values": { "Workflows__DataPath": "./from-file" } }""");

        var fromEnvironment = DevTokenEnvironment.Resolve(_folder, null, Env(("Workflows__DataPath", "/srv/from-env")));
        var fromOption = DevTokenEnvironment.Resolve(_folder, "./from-option", Env(("Workflows__DataPath", "/srv/from-env")));

        Assert.Equal("/srv/from-env", fromEnvironment.DataFolder);
        Assert.Equal(Path.Combine(_folder, "from-option"), fromOption.DataFolder);
    }

    [Fact]
    public void Resolve_BrokenLocalSettings_NamesTheFile()
    {
        File.WriteAllText(Path.Combine(_folder, "local.settings.json"), "{ not json");

        var ex = Assert.Throws<FormatException>(() => DevTokenEnvironment.Resolve(_folder, null, Env()));

        Assert.StartsWith(Path.Combine(_folder, "local.settings.json") + " is not valid JSON", ex.Message);
    }

    [Fact]
    public async Task CreateIssuer_KeyFileOfARunningHost_TokenIsAcceptedByThatHost()
    {
        using var factory = new WorkflowsHostFactory();
        _ = factory.CreateClient();
        var environment = DevTokenEnvironment.Resolve(_folder, factory.DataPath, Env());

        var token = environment.CreateIssuer(factory.Clock).Issue(new TokenClaims("officer-9", [WorkflowRoles.Bureau]), TimeSpan.FromDays(30));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task CreateIssuer_BeforeTheHostsFirstRun_TheHostAdoptsTheKey()
    {
        using var factory = new WorkflowsHostFactory();
        var environment = DevTokenEnvironment.Resolve(_folder, factory.DataPath, Env());
        var token = environment.CreateIssuer(factory.Clock).Issue(new TokenClaims("admin-1", [WorkflowRoles.Admin]), TimeSpan.FromDays(1));

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }
}
