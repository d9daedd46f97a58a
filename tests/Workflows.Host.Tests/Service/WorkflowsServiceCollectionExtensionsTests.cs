using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflows.Programmes.Records;
using Workflows.Programmes.Security;
using Workflows.Service;
using Workflows.Service.Email;
using Workflows.Service.Schedules;

namespace Workflows.Host.Tests.Service;

public sealed class WorkflowsServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(new ProgrammeRecords(Path.Combine(Path.GetTempPath(), "never-opened-" + Guid.NewGuid().ToString("N") + ".db")));
        services.AddWorkflowsService(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddWorkflowsService_TimerHost_NoBackgroundLoopOnlyTheSchemaStep()
    {
        await using var provider = Build([]);

        // ASP.NET Core's own (data protection, health check publisher) aside.
        var hosted = provider.GetServices<IHostedService>().Select(s => s.GetType()).Where(t => t.Namespace!.StartsWith("Workflows.", StringComparison.Ordinal)).Select(t => t.Name).ToList();

        Assert.Equal(["RecordsStartup"], hosted);
        Assert.NotNull(provider.GetRequiredService<OutboxDispatcher>());
        // The runner's jobs need the host's DurableTaskClient, so it is only checked to be registered here.
        Assert.True(provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(ScheduleRunner)));
    }

    [Fact]
    public async Task AddWorkflowsService_NoSigningKeySetting_ResolvingTheKeyNamesTheSetting()
    {
        await using var provider = Build([]);

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TokenSigningKey>());

        Assert.Contains("'Workflows:Auth:SigningKey'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowsService_SigningKeySetting_TokensFromItValidate()
    {
        var key = TokenSigningKey.Generate();
        await using var provider = Build(new() { ["Workflows:Auth:SigningKey"] = key.ToBase64() });

        var token = new DevTokenIssuer(key, TokenSettings.Default, TimeProvider.System).Issue(new TokenClaims("officer-1", [WorkflowRoles.Bureau]), TimeSpan.FromMinutes(5));

        var result = provider.GetRequiredService<TokenValidator>().Validate(token);
        Assert.Null(result.Error);
        Assert.Equal("officer-1", result.Claims!.Subject);
    }
}
