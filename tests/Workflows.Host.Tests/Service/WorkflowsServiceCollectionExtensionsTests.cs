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
        services.AddSingleton(sp => new ProgrammeRecords(Path.Combine(Path.GetTempPath(), "never-opened-" + Guid.NewGuid().ToString("N") + ".db"), schemas: sp.GetServices<RecordsSchema>()));
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

    private static ServiceProvider BuildOver(string path, bool withSchemas)
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(sp => withSchemas ? new ProgrammeRecords(path, schemas: sp.GetServices<RecordsSchema>()) : new ProgrammeRecords(path));
        services.AddWorkflowsService(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task RecordsStartup_RecordsBuiltWithTheRegisteredSchemas_EveryServiceTableCreated()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"service-schema-{Environment.ProcessId}-{Path.GetRandomFileName()}");
        try
        {
            await using (var provider = BuildOver(Path.Combine(folder, "records.db"), withSchemas: true))
            {
                var startup = provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "RecordsStartup");
                await startup.StartAsync(CancellationToken.None);

                var records = provider.GetRequiredService<ProgrammeRecords>();
                Assert.Equal(["idempotency", "schedules"], records.Schemas.Select(s => s.Name));
                var tables = records.Read(c =>
                {
                    using var command = c.CreateCommand();
                    command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('idempotency_keys', 'schedule_runs', 'outbox_mail') ORDER BY name;";
                    using var reader = command.ExecuteReader();
                    var names = new List<string>();
                    while (reader.Read())
                    {
                        names.Add(reader.GetString(0));
                    }

                    return names;
                });
                Assert.Equal(["idempotency_keys", "outbox_mail", "schedule_runs"], tables);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RecordsStartup_RecordsBuiltWithoutTheRegisteredSchemas_RefusesNamingThemAndCreatesNothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"service-schema-{Environment.ProcessId}-{Path.GetRandomFileName()}");
        await using var provider = BuildOver(Path.Combine(folder, "records.db"), withSchemas: false);
        var startup = provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "RecordsStartup");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => startup.StartAsync(CancellationToken.None));

        Assert.Contains("'idempotency', 'schedules'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }
}
