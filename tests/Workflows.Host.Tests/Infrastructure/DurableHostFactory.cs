using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable.Client;
using Workflows.Host.Runtime;

namespace Workflows.Host.Tests.Infrastructure;

/// <summary>Input of the test orchestrator "Greet".</summary>
public sealed record Greeting(string Name);

/// <summary>The host with a few small orchestrations for the management API tests.</summary>
public sealed class DurableHostFactory : WorkflowsHostFactory
{
    public DurableHostFactory()
    {
    }

    private DurableHostFactory(string dataPath)
        : base(dataPath)
    {
    }

    /// <summary>A host on an existing data folder (kept on dispose), e.g. to restart on the same files.</summary>
    public static DurableHostFactory OnDataFolder(string dataPath) => new(dataPath);

    public const string Greet = "Greet";
    public const string Approval = "Approval";
    public const string Failing = "Failing";
    public const string Sequence = "Sequence";

    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddDurableTasks(r => r
            .AddOrchestratorFunc<Greeting, string>(Greet, (context, input) => Task.FromResult($"你好, {input.Name}"))
            .AddOrchestratorFunc<string>(Approval, async context =>
            {
                context.SetCustomStatus(new { stage = "等待审批 waiting for a decision" });
                var decision = await context.WaitForExternalEvent<string>("decision");
                return "decided: " + decision;
            })
            .AddOrchestratorFunc<string>(Failing, context => throw new InvalidOperationException("补正 deadline missed"))
            .AddActivityFunc<string, string>("Shout", (context, text) => text.ToUpperInvariant() + "!")
            .AddOrchestratorFunc<string, string>(Sequence, async (context, input) =>
            {
                var first = await context.CallActivityAsync<string>("Shout", input);
                return await context.CallActivityAsync<string>("Shout", first);
            }));

    /// <summary>Waits until the instance reaches a status, with a timeout that names what was awaited.</summary>
    public async Task<OrchestrationMetadata> WaitForStatusAsync(string instanceId, OrchestrationRuntimeStatus status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var metadata = await Client.GetInstanceAsync(instanceId, cancellation: timeout.Token);
            if (metadata?.RuntimeStatus == status)
            {
                return metadata;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Instance '{instanceId}' did not reach {status} within 10 s (last: {metadata?.RuntimeStatus.ToString() ?? "missing"}).");
            }
        }
    }
}
