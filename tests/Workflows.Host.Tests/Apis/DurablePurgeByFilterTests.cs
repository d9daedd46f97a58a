using System.Net;
using System.Text;
using Workflows.Durable.Client;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Apis;

/// <summary>Purge by filter deletes across the whole store, so it gets a host of its own.</summary>
public sealed class DurablePurgeByFilterTests(DurableHostFactory factory) : IClassFixture<DurableHostFactory>
{
    private const string Base = "/runtime/webhooks/durabletask";

    [Fact]
    public async Task PurgeByFilter_FinishedInTheWindow_DeletesThoseAndKeepsTheRunningOne()
    {
        var client = factory.ClientFor(WorkflowRoles.Admin, "admin-1");
        var done = new[] { "p-1", "p-2" };
        foreach (var id in done)
        {
            await client.PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"));
            await factory.Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }

        await client.PostAsync($"{Base}/orchestrators/{DurableHostFactory.Approval}/p-running", null);
        await factory.Client.WaitForInstanceStartAsync("p-running", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var from = factory.Clock.GetUtcNow().AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var response = await client.DeleteAsync($"{Base}/instances?createdTimeFrom={from}&runtimeStatus=Completed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"instancesDeleted":2}""", await response.Content.ReadAsStringAsync());
        Assert.Null(await factory.Client.GetInstanceAsync("p-1"));
        Assert.Null(await factory.Client.GetInstanceAsync("p-2"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await factory.Client.GetInstanceAsync("p-running"))!.RuntimeStatus);
    }
}
