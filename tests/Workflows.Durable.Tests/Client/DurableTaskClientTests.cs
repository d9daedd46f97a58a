using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Client;

public class DurableTaskClientTests
{
    private static void Register(DurableTaskRegistry r) => r
        .AddOrchestratorFunc<string?, string>("Echo", (ctx, input) => Task.FromResult(input ?? "none"))
        .AddOrchestratorFunc<int, int>("Square", (ctx, x) => Task.FromResult(x * x))
        .AddOrchestratorFunc<string?, string>("Waiter", (ctx, _) => ctx.WaitForExternalEvent<string>("go"));

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_GivenId_UsesItAndGeneratedIdsAreUnique()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        string given = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "a", new StartOrchestrationOptions("my-id"));
        string g1 = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "b");
        string g2 = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "c");
        Assert.Equal("my-id", given);
        Assert.NotEqual(g1, g2);
        Assert.Equal("a", (await host.CompleteAsync(given)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_DuplicateRunningId_ThrowsAndLeavesTheFirstAlone()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("dup"));
        var ex = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x", new StartOrchestrationOptions("dup")));
        Assert.Contains("'dup' already exists", ex.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(ex);
        OrchestrationMetadata m = await host.StatusAsync("dup");
        Assert.Equal("Waiter", m.Name);
        Assert.True(m.IsRunning || m.RuntimeStatus == OrchestrationRuntimeStatus.Pending);
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_CompletedId_CanBeReused()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        await host.CompleteAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Square", 3, new StartOrchestrationOptions("again")));
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Square", 4, new StartOrchestrationOptions("again"));
        Assert.Equal(16, (await host.CompleteAsync("again")).ReadOutputAs<int>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_UnknownName_ThrowsAndWritesNothing()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Nope", "x", new StartOrchestrationOptions("n1")));
        Assert.Contains("No orchestrator named 'Nope'", ex.Message);
        Assert.Null(await host.Client.GetInstanceAsync("n1"));
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM instances"));
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_InputThatDoesNotDeserialise_ThrowsAndWritesNothing()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Square", "not a number"));
        Assert.Contains("does not deserialise to Int32", ex.Message);
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM instances"));
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_InputTooLarge_ThrowsPayloadTooLarge()
    {
        await using var host = await DurableTestHost.StartAsync(Register, TestUtil.Options(more: o => o.MaxPayloadBytes = 100));
        var ex = await Assert.ThrowsAsync<PayloadTooLargeException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", new string('x', 200)));
        Assert.Contains("the limit is 100 bytes", ex.Message);
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM instances"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\nid")]
    public async Task ScheduleNewOrchestrationInstanceAsync_BadInstanceId_Throws(string id)
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x", new StartOrchestrationOptions(id)));
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_StartAt_StaysPendingUntilTheClockGetsThere()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        DateTimeOffset at = host.TimeProvider.GetUtcNow().AddDays(3);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "later", new StartOrchestrationOptions(StartAt: at));
        await host.Client.RaiseEventAsync(id, "ignored", 1);
        await host.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.StatusAsync(id)).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        OrchestrationMetadata started = await host.Client.WaitForInstanceStartAsync(id);
        Assert.NotEqual(OrchestrationRuntimeStatus.Pending, started.RuntimeStatus);
        Assert.Equal("later", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEventAsync_MissingOrCompletedInstance_ThrowsNamingIt()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.RaiseEventAsync("ghost", "go", "x"));
        Assert.Contains("no orchestration instance with id 'ghost' exists", missing.Message);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x");
        await host.CompleteAsync(id);
        var done = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.RaiseEventAsync(id, "go", "x"));
        Assert.Contains("is already Completed", done.Message);
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM messages"));
    }

    [Fact]
    public async Task GetInstanceAsync_WithoutInputsAndOutputs_OmitsPayloads()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "payload");
        await host.CompleteAsync(id);
        OrchestrationMetadata light = (await host.Client.GetInstanceAsync(id))!;
        Assert.Null(light.SerializedInput);
        Assert.Null(light.SerializedOutput);
        Assert.Throws<InvalidOperationException>(() => light.ReadOutputAs<string>());
        OrchestrationMetadata full = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal("\"payload\"", full.SerializedInput);
        Assert.Equal("\"payload\"", full.SerializedOutput);
        Assert.Equal(host.TimeProvider.GetUtcNow(), full.CreatedAt);
        Assert.Null(await host.Client.GetInstanceAsync("ghost"));
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_MissingInstance_Throws()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.WaitForInstanceCompletionAsync("ghost"));
    }

    [Fact]
    public async Task TerminateInstanceAsync_Running_EndsTerminatedWithOutput()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.WaitForIdleAsync();
        await host.Client.TerminateInstanceAsync(id, "stopped by officer");
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, m.RuntimeStatus);
        Assert.Equal("stopped by officer", m.ReadOutputAs<string>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.TerminateInstanceAsync(id, "again"));
    }

    [Fact]
    public async Task TerminateInstanceAsync_Recursive_TerminatesChildrenAndParentSeesFailure()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Waiter", (ctx, _) => ctx.WaitForExternalEvent<string>("go"))
            .AddOrchestratorFunc<string?, string>("Parent", (ctx, _) => ctx.CallSubOrchestratorAsync<string>("Waiter", null, TaskOptions.WithInstanceId("kid"))));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent");
        await host.WaitForIdleAsync();
        await host.Client.TerminateInstanceAsync(id, new TerminateInstanceOptions("end", Recursive: true));
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.CompleteAsync(id)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.CompleteAsync("kid")).RuntimeStatus);
    }

    [Fact]
    public async Task SuspendAndResume_EventsWaitWhileSuspended()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.WaitForIdleAsync();
        await host.Client.SuspendInstanceAsync(id, "checking");
        await host.WaitForIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.StatusAsync(id)).RuntimeStatus);
        await host.Client.RaiseEventAsync(id, "go", "value");
        await host.WaitForIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.StatusAsync(id)).RuntimeStatus);
        await host.Client.ResumeInstanceAsync(id, "ok");
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal("value", m.ReadOutputAs<string>());
        List<string> history = TestUtil.ReadHistoryJson(host.DatabasePath, id);
        Assert.Contains(history, e => e.Contains("ExecutionSuspended.v1", StringComparison.Ordinal));
        Assert.Contains(history, e => e.Contains("ExecutionResumed.v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SuspendInstanceAsync_TimerDueWhileSuspended_FiresAfterResume()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<string?, string>("Sleep", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromDays(1), CancellationToken.None);
            return "woke";
        }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleep");
        await host.WaitForIdleAsync();
        await host.Client.SuspendInstanceAsync(id);
        await host.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.StatusAsync(id)).RuntimeStatus);
        await host.Client.ResumeInstanceAsync(id);
        Assert.Equal("woke", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task PurgeInstanceAsync_Running_ThrowsAndKeepsIt_Completed_DeletesEverything()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        string running = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.WaitForIdleAsync();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.PurgeInstanceAsync(running));
        Assert.Contains("Cannot purge", ex.Message);
        Assert.NotNull(await host.Client.GetInstanceAsync(running));

        string done = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x");
        await host.CompleteAsync(done);
        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(done)).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(done));
        Assert.Empty(TestUtil.ReadHistoryJson(host.DatabasePath, done));
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(done)).PurgedInstanceCount);
    }

    [Fact]
    public async Task PurgeAllInstancesAsync_ByStatusAndCreatedRange_PurgesOnlyMatches()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        DateTimeOffset day0 = host.TimeProvider.GetUtcNow();
        string old = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "old");
        await host.CompleteAsync(old);
        await host.AdvanceAsync(TimeSpan.FromDays(10));
        string recent = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "new");
        await host.CompleteAsync(recent);
        string live = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.WaitForIdleAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Running])));
        PurgeResult result = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: day0.AddDays(1)));
        Assert.Equal(1, result.PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(old));
        Assert.NotNull(await host.Client.GetInstanceAsync(recent));
        Assert.NotNull(await host.Client.GetInstanceAsync(live));
        Assert.Equal(1, (await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter())).PurgedInstanceCount);
        Assert.NotNull(await host.Client.GetInstanceAsync(live));
    }

    [Fact]
    public async Task GetAllInstancesAsync_Paging_ReturnsEveryInstanceOnceWithContinuationTokens()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        for (int i = 0; i < 25; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Square", i, new StartOrchestrationOptions($"sq-{i:D2}"));
        }

        await host.WaitForIdleAsync();
        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (Page<OrchestrationMetadata> page in host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 10 }).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Values.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"sq-{i:D2}"), pages.SelectMany(p => p.Values).Select(m => m.InstanceId));

        var resumed = new List<string>();
        await foreach (OrchestrationMetadata m in host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 10, ContinuationToken = pages[1].ContinuationToken }))
        {
            resumed.Add(m.InstanceId);
        }

        Assert.Equal(Enumerable.Range(20, 5).Select(i => $"sq-{i:D2}"), resumed);
    }

    [Fact]
    public async Task GetAllInstancesAsync_Filters_ByStatusNamePrefixAndCreatedRange()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        DateTimeOffset t0 = host.TimeProvider.GetUtcNow();
        await host.CompleteAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "a", new StartOrchestrationOptions("app-1")));
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("app-2"));
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("other-1"));
        await host.WaitForIdleAsync();

        async Task<List<string>> Ids(OrchestrationQuery q)
        {
            var list = new List<string>();
            await foreach (OrchestrationMetadata m in host.Client.GetAllInstancesAsync(q))
            {
                list.Add(m.InstanceId);
            }

            return list;
        }

        Assert.Equal(["app-1", "app-2"], await Ids(new OrchestrationQuery { InstanceIdPrefix = "app-" }));
        Assert.Equal(["app-2", "other-1"], await Ids(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Running])));
        Assert.Equal(["app-2", "other-1"], await Ids(new OrchestrationQuery { Name = "waiter" }));
        Assert.Equal(["app-1"], await Ids(new OrchestrationQuery(CreatedTo: t0.AddMinutes(30))));
        Assert.Equal(["app-2", "other-1"], await Ids(new OrchestrationQuery(CreatedFrom: t0.AddMinutes(30))));
        OrchestrationMetadata withIo = (await host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "app-1", FetchInputsAndOutputs = true }).AsPages().FirstAsync()).Values.Single();
        Assert.Equal("a", withIo.ReadOutputAs<string>());
    }

    [Fact]
    public async Task GetAllInstancesAsync_BadQuery_ThrowsNamingTheField()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        Assert.Contains("PageSize", Assert.Throws<ArgumentException>(() => host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 0 })).Message);
        Assert.Contains("continuation token", Assert.Throws<ArgumentException>(() => host.Client.GetAllInstancesAsync(new OrchestrationQuery { ContinuationToken = "garbage" })).Message);
    }
}

internal static class AsyncEnumerableTestExtensions
{
    public static async Task<T> FirstAsync<T>(this IAsyncEnumerable<T> source)
    {
        await foreach (T item in source)
        {
            return item;
        }

        throw new InvalidOperationException("empty");
    }
}

public class InstanceHistoryTests
{
    [Fact]
    public async Task GetInstanceHistoryAsync_ReturnsTheEventsInOrderAndNullForUnknown()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
            .AddOrchestratorFunc<int, int>("H", async (ctx, x) =>
            {
                x = await ctx.CallActivityAsync<int>("Inc", x);
                await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                return x + await ctx.WaitForExternalEvent<int>("add");
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("H", 1);
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        await host.Client.RaiseEventAsync(id, "add", 10);
        await host.CompleteAsync(id);
        IReadOnlyList<OrchestrationHistoryEvent> history = (await host.Client.GetInstanceHistoryAsync(id))!;
        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled", "TaskCompleted", "TimerCreated", "TimerFired", "EventRaised", "ExecutionCompleted"],
            history.Where(e => e.EventType != "OrchestratorStarted").Select(e => e.EventType));
        Assert.Equal("Inc", history.Single(e => e.EventType == "TaskScheduled").Name);
        Assert.Equal("2", history.Single(e => e.EventType == "TaskCompleted").Result);
        Assert.Equal(host.TimeProvider.GetUtcNow(), history.Single(e => e.EventType == "TimerFired").FireAt);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, history[^1].Status);
        Assert.Null(await host.Client.GetInstanceHistoryAsync("ghost"));
    }
}
