using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Client;

/// <summary>Waiting on instances must not leave change waiters behind (the bench saw memory grow per finished instance).</summary>
public class WaitForCompletionSignalTests
{
    [Fact]
    public async Task WaitForInstanceCompletionAsync_OnFinishedInstancesManyTimes_LeavesNoChangeWaiters()
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<int, int>("Double", (ctx, x) => Task.FromResult(x * 2)),
            TestUtil.Options());
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync("Double", i)));

        for (int round = 0; round < 3; round++)
        {
            foreach (string id in ids)
            {
                var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
                Assert.Equal(Array.IndexOf(ids, id) * 2, done.ReadOutputAs<int>());
            }
        }

        Assert.Equal(0, host.Runtime.Engine.ChangeSignalCount);
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_TwoWaitersOnARunningInstance_BothWokenAndNothingLeft()
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<string, string>("Echo", async (ctx, _) => await ctx.WaitForExternalEvent<string>("go")),
            TestUtil.Options());
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x");
        await host.Client.WaitForInstanceStartAsync(id);

        Task<Workflows.Durable.Client.OrchestrationMetadata> first = host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Task<Workflows.Durable.Client.OrchestrationMetadata> second = host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        await host.Client.RaiseEventAsync(id, "go", "done");

        var results = await Task.WhenAll(first, second).WaitAsync(TestUtil.Timeout);
        Assert.All(results, m => Assert.Equal("done", m.ReadOutputAs<string>()));
        Assert.Equal(0, host.Runtime.Engine.ChangeSignalCount);
    }
}
