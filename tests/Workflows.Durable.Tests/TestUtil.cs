using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

internal static class TestUtil
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<OrchestrationMetadata> CompleteAsync(this DurableTestHost host, string instanceId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        }
        catch (OperationCanceledException)
        {
            OrchestrationMetadata? m = await host.Client.GetInstanceAsync(instanceId, true);
            throw new TimeoutException($"Instance {instanceId} did not complete within {Timeout}; it is {m?.RuntimeStatus} (custom status {m?.SerializedCustomStatus}).");
        }
    }

    public static async Task<OrchestrationMetadata> StatusAsync(this DurableTestHost host, string instanceId)
        => await host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"instance {instanceId} missing");

    public static async Task AdvanceAsync(this DurableTestHost host, TimeSpan delta)
    {
        await host.WaitForIdleAsync(Timeout);
        host.ManualTime!.Advance(delta);
        await host.WaitForIdleAsync(Timeout);
    }
}
