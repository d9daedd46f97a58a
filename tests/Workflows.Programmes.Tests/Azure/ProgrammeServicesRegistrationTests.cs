using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable.Client;
using Workflows.Durable.Testing;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Azure;
using Workflows.Programmes.Batches;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;
using Workflows.Programmes.Supervision;

namespace Workflows.Programmes.Tests.Azure;

/// <summary>
/// What a host without the embedded runtime (the Azure Functions app) gets from <c>AddProgrammeServices</c>: every facade,
/// and every registered orchestrator and activity can be created from the container, as its one-line function does.
/// </summary>
public sealed class ProgrammeServicesRegistrationTests : IAsyncLifetime
{
    private readonly string recordsPath = Path.Combine(Path.GetTempPath(), $"programmes-di-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private DurableTestHost? host;
    private ServiceProvider? provider;

    public async Task InitializeAsync()
    {
        // A client only: the embedded runtime is here just to hand out a real DurableTaskClient.
        this.host = await DurableTestHost.StartAsync(_ => { });
        var services = new ServiceCollection();
        services.AddSingleton(new ProgrammeRecords(this.recordsPath));
        services.AddSingleton<DurableTaskClient>(this.host.Client);
        services.AddProgrammeServices();
        this.provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async Task DisposeAsync()
    {
        if (this.provider is not null)
        {
            await this.provider.DisposeAsync();
        }

        if (this.host is not null)
        {
            await this.host.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(this.recordsPath + suffix);
        }
    }

    [Fact]
    public void AddProgrammeServices_WithRecordsAndClient_ResolvesEveryFacade()
    {
        var sp = this.provider!;

        Assert.Same(sp.GetRequiredService<ProgrammeOperations>().Client, this.host!.Client);
        Assert.NotNull(sp.GetRequiredService<BaseOperations>());
        Assert.NotNull(sp.GetRequiredService<BatchOperations>());
        Assert.NotNull(sp.GetRequiredService<ClaimOperations>());
        Assert.NotNull(sp.GetRequiredService<SupervisionOperations>());
        Assert.NotNull(sp.GetRequiredService<SanctionsOperations>());
        Assert.Equal(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddProgrammeServices_EveryRegisteredTask_CanBeCreatedFromTheContainer()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;
        var failures = new List<string>();
        foreach (var name in catalogue.OrchestratorNames)
        {
            Try(name, () => catalogue.CreateOrchestrator(name, this.provider!));
        }

        foreach (var name in catalogue.ActivityNames)
        {
            Try(name, () => catalogue.CreateActivity(name, this.provider!));
        }

        Assert.NotEmpty(catalogue.ActivityNames);
        Assert.Empty(failures);

        void Try(string name, Func<object> create)
        {
            try
            {
                Assert.NotNull(create());
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }
    }

    [Fact]
    public void AddProgrammeServices_CalledTwice_RegistersEachInstalmentCheckOnce()
    {
        var services = new ServiceCollection();
        services.AddProgrammeServices();
        int once = services.Count;

        services.AddProgrammeServices();

        Assert.Equal(once, services.Count);
    }
}
