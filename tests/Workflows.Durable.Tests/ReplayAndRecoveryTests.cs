using Workflows.Durable.Client;
using Workflows.Durable.Core;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

public class ReplayAndRecoveryTests
{
    [Fact]
    public async Task Replay_CodeChangedToScheduleDifferentWork_FailsWithNonDeterminismError()
    {
        string path = TestUtil.TempDb();
        try
        {
            var clock = new ManualTimeProvider();
            string activityName = "Reserve";
            void Register(DurableTaskRegistry r) => r
                .AddActivityFunc<string?, string>("Reserve", (ctx, _) => "reserved")
                .AddActivityFunc<string?, string>("Charge", (ctx, _) => "charged")
                .AddOrchestratorFunc<string?, string>("Order", async (ctx, _) =>
                {
                    string first = await ctx.CallActivityAsync<string>(activityName);
                    await ctx.WaitForExternalEvent<string>("confirm");
                    return first;
                });
            var options = new DurableTestHostOptions { DatabasePath = path, TimeProvider = clock };
            string id;
            await using (var host = await DurableTestHost.StartAsync(Register, options))
            {
                id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Order");
                await host.WaitForIdleAsync();
            }

            activityName = "Charge"; // a deployment that is not replay-compatible
            await using (var host = await DurableTestHost.StartAsync(Register, options))
            {
                int historyBefore = TestUtil.ReadHistoryJson(path, id).Count;
                await host.Client.RaiseEventAsync(id, "confirm", "yes");
                OrchestrationMetadata m = await host.CompleteAsync(id);
                Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
                Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, m.FailureDetails!.ErrorType);
                Assert.Contains("activity 'Charge' as task #0, but the history records activity 'Reserve'", m.FailureDetails.ErrorMessage);
                Assert.Equal(historyBefore, TestUtil.ReadHistoryJson(path, id).Count);
            }
        }
        finally
        {
            TestUtil.DeleteDb(path);
        }
    }

    [Fact]
    public async Task Replay_CodeNoLongerSchedulesRecordedWork_FailsWithNonDeterminismError()
    {
        bool callActivity = true;
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string?, string>("A", (ctx, _) => "a")
                .AddOrchestratorFunc<string?, string>("O", async (ctx, _) =>
                {
                    if (callActivity)
                    {
                        await ctx.CallActivityAsync<string>("A");
                    }

                    return await ctx.WaitForExternalEvent<string>("go");
                }),
            TestUtil.Options(cacheSize: 0));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("O");
        await host.WaitForIdleAsync();
        callActivity = false;
        await host.Client.RaiseEventAsync(id, "go", "x");
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, m.FailureDetails!.ErrorType);
        Assert.Contains("no longer schedules it", m.FailureDetails.ErrorMessage);
    }

    [Fact]
    public async Task CreateTimer_AcrossRestart_FiresOnceAfterReopeningTheSameFile()
    {
        int fired = 0;
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string?, int>("Count", (ctx, _) => Interlocked.Increment(ref fired))
            .AddOrchestratorFunc<string?, int>("Deadline", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromDays(60), CancellationToken.None);
                return await ctx.CallActivityAsync<int>("Count");
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Deadline");
        await host.AdvanceAsync(TimeSpan.FromDays(30));
        await host.RestartAsync();
        await host.AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.StatusAsync(id)).RuntimeStatus);
        await host.RestartAsync();
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal(1, (await host.CompleteAsync(id)).ReadOutputAs<int>());
        await host.RestartAsync();
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public async Task Restart_MidOrchestration_ReplaysAndContinuesWithoutRerunningCompletedSteps()
    {
        var runs = new List<string>();
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string, string>("Step", (ctx, name) =>
            {
                lock (runs)
                {
                    runs.Add(name);
                }

                return name.ToUpperInvariant();
            })
            .AddOrchestratorFunc<string?, string>("Steps", async (ctx, _) =>
            {
                string a = await ctx.CallActivityAsync<string>("Step", "a");
                string b = await ctx.CallActivityAsync<string>("Step", "b");
                string e = await ctx.WaitForExternalEvent<string>("go");
                string c = await ctx.CallActivityAsync<string>("Step", "c");
                return a + b + e + c;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Steps");
        await host.WaitForIdleAsync();
        await host.RestartAsync();
        await host.Client.RaiseEventAsync(id, "go", "-");
        Assert.Equal("AB-C", (await host.CompleteAsync(id)).ReadOutputAs<string>());
        Assert.Equal(["a", "b", "c"], runs);
    }

    [Fact]
    public async Task Activity_InterruptedByShutdown_RunsAgainAfterRestart()
    {
        var deliveries = new List<int>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string?, string>("Slow", async (ctx, _) =>
            {
                lock (deliveries)
                {
                    deliveries.Add(ctx.DeliveryCount);
                }

                if (ctx.DeliveryCount == 1)
                {
                    firstStarted.TrySetResult();
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                }

                return "done";
            })
            .AddOrchestratorFunc<string?, string>("O", (ctx, _) => ctx.CallActivityAsync<string>("Slow")));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("O");
        await firstStarted.Task.WaitAsync(TestUtil.Timeout);
        await host.RestartAsync();
        Assert.Equal("done", (await host.CompleteAsync(id)).ReadOutputAs<string>());
        Assert.Equal([1, 2], deliveries);
    }

    [Fact]
    public async Task Activity_LeaseExpired_IsDeliveredAgainAndTheFirstResultIsDropped()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int completions = 0;
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string?, int>("Hang", async (ctx, _) =>
                {
                    if (ctx.DeliveryCount == 1)
                    {
                        firstStarted.TrySetResult();
                        await release.Task;
                    }

                    Interlocked.Increment(ref completions);
                    return ctx.DeliveryCount;
                })
                .AddOrchestratorFunc<string?, int>("O", (ctx, _) => ctx.CallActivityAsync<int>("Hang")),
            TestUtil.Options(more: o =>
            {
                o.ActivityLeaseDuration = TimeSpan.FromMinutes(1);
                o.PollingInterval = TimeSpan.FromSeconds(30);
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("O");
        await firstStarted.Task.WaitAsync(TestUtil.Timeout);
        host.ManualTime!.Advance(TimeSpan.FromMinutes(2));
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(2, m.ReadOutputAs<int>());
        release.SetResult();
        await host.WaitForIdleAsync();
        Assert.Equal(2, completions);
        Assert.Equal(1, TestUtil.ReadHistoryJson(host.DatabasePath, id).Count(e => e.Contains("TaskCompleted.v1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StartWorkerAsync_SecondWorkerOnTheSameFile_IsRefusedWithAClearMessage()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<string?, string>("E", (ctx, _) => Task.FromResult("e")));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedDurableTaskRuntime.StartAsync(
            new EmbeddedDurableTaskOptions { DatabasePath = host.DatabasePath, TimeProvider = host.TimeProvider },
            r => r.AddOrchestratorFunc<string?, string>("E", (ctx, _) => Task.FromResult("e"))));
        Assert.Contains("already served by another worker", ex.Message);
        Assert.Contains($"process {Environment.ProcessId}", ex.Message);

        // A client-only handle on the same file works while the worker runs.
        await using EmbeddedDurableTaskRuntime clientOnly = EmbeddedDurableTaskRuntime.OpenClientOnly(new EmbeddedDurableTaskOptions { DatabasePath = host.DatabasePath, TimeProvider = host.TimeProvider });
        string id = await clientOnly.Client.ScheduleNewOrchestrationInstanceAsync("E");
        host.ManualTime!.Advance(TimeSpan.FromSeconds(1)); // the worker polls for work written by other clients
        Assert.Equal("e", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Cache_Bounded_EvictedInstancesReplayAndCompletedOnesAreDropped()
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
                .AddOrchestratorFunc<int, int>("Acc", async (ctx, x) =>
                {
                    x = await ctx.CallActivityAsync<int>("Inc", x);
                    x += await ctx.WaitForExternalEvent<int>("add");
                    return await ctx.CallActivityAsync<int>("Inc", x);
                }),
            TestUtil.Options(cacheSize: 2));
        var ids = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            ids.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("Acc", i * 10));
        }

        await host.WaitForIdleAsync();
        var engine = GetEngine(host);
        Assert.InRange(engine.CachedExecutors, 1, 2);
        for (int i = 0; i < 6; i++)
        {
            await host.Client.RaiseEventAsync(ids[i], "add", 100);
        }

        for (int i = 0; i < 6; i++)
        {
            Assert.Equal((i * 10) + 102, (await host.CompleteAsync(ids[i])).ReadOutputAs<int>());
        }

        await host.WaitForIdleAsync();
        Assert.Equal(0, engine.CachedExecutors);
    }

    [Fact]
    public async Task Cache_ManyCompletedInstances_LeaveNothingBehindInMemoryOrQueues()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
            .AddOrchestratorFunc<int, int>("One", (ctx, x) => ctx.CallActivityAsync<int>("Inc", x)));
        var ids = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            ids.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("One", i));
        }

        foreach (string id in ids)
        {
            await host.CompleteAsync(id);
        }

        await host.WaitForIdleAsync();
        Assert.Equal(0, GetEngine(host).CachedExecutors);
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM messages") + TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM activities") + TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM timers"));
    }

    private static DurableEngine GetEngine(DurableTestHost host) => host.Runtime.Engine;
}

public class SchemaTests
{
    [Fact]
    public async Task Open_DatabaseWithAnotherSchemaVersion_IsRefusedNamingBothVersions()
    {
        string path = TestUtil.TempDb();
        try
        {
            await using (var host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<string?, string>("E", (ctx, _) => Task.FromResult("e")), new DurableTestHostOptions { DatabasePath = path }))
            {
                Assert.Equal(1, TestUtil.Count(path, "SELECT version FROM schema_version"));
            }

            using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "UPDATE schema_version SET version = 99";
                cmd.ExecuteNonQuery();
            }

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<string?, string>("E", (ctx, _) => Task.FromResult("e")), new DurableTestHostOptions { DatabasePath = path }));
            Assert.Contains("schema version 99; this runtime reads version 1", ex.Message);
        }
        finally
        {
            TestUtil.DeleteDb(path);
        }
    }
}
