using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Sequence_ThreeActivities_CompletesWithOutput()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string, string>("Hello", (ctx, name) => $"Hello {name}")
            .AddOrchestratorFunc<string, List<string>>("Seq", async (ctx, input) =>
            {
                var list = new List<string>();
                list.Add(await ctx.CallActivityAsync<string>("Hello", "A"));
                list.Add(await ctx.CallActivityAsync<string>("Hello", "B"));
                list.Add(await ctx.CallActivityAsync<string>("Hello", input));
                return list;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Seq", "C");
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.Equal(["Hello A", "Hello B", "Hello C"], m.ReadOutputAs<List<string>>());
    }
}
