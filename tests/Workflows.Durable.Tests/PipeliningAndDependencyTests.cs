using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

public class PipeliningAndDependencyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PipelineCommits_EitherSetting_RunsChainsFanOutAndEventsToTheSameResult(bool pipeline)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
                .AddOrchestratorFunc<int, int>("Chain", async (ctx, n) =>
                {
                    int x = 0;
                    for (int i = 0; i < n; i++)
                    {
                        x = await ctx.CallActivityAsync<int>("Inc", x);
                    }

                    int[] fan = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Inc", i)));
                    for (int i = 0; i < 5; i++)
                    {
                        x += await ctx.WaitForExternalEvent<int>("e");
                    }

                    return x + fan.Sum();
                }),
            TestUtil.Options(more: o => o.PipelineCommits = pipeline));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 50);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => host.Client.RaiseEventAsync(id, "e", 10)));
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(50 + 50 + Enumerable.Range(1, 50).Sum(), m.ReadOutputAs<int>());
        List<string> history = TestUtil.ReadHistoryJson(host.DatabasePath, id);
        Assert.Equal(100, history.Count(e => e.Contains("TaskCompleted.v1", StringComparison.Ordinal)));
        Assert.Equal(100, history.Count(e => e.Contains("TaskScheduled.v1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Activity_WithMissingDependency_FailsTheTaskNamingTheService()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivity<NeedsClock>()
            .AddOrchestratorFunc<string?, string>("O", async (ctx, _) =>
            {
                try
                {
                    return await ctx.CallActivityAsync<string>(nameof(NeedsClock));
                }
                catch (TaskFailedException ex)
                {
                    return ex.FailureDetails.ErrorMessage;
                }
            }));
        string message = (await host.StartAndCompleteAsync("O")).ReadOutputAs<string>()!;
        Assert.Contains(nameof(IClockService), message);
    }

    [Fact]
    public async Task ClientOnly_ScheduleWithStartAt_IsPickedUpByTheWorkerWhenDue()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<string?, string>("E", (ctx, _) => Task.FromResult("ran")));
        await using EmbeddedDurableTaskRuntime tool = EmbeddedDurableTaskRuntime.OpenClientOnly(new EmbeddedDurableTaskOptions { DatabasePath = host.DatabasePath, TimeProvider = host.TimeProvider });
        string id = await tool.Client.ScheduleNewOrchestrationInstanceAsync("E", null, new StartOrchestrationOptions(StartAt: host.TimeProvider.GetUtcNow().AddDays(1)));
        await host.AdvanceAsync(TimeSpan.FromHours(23));
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.StatusAsync(id)).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal("ran", (await host.CompleteAsync(id)).ReadOutputAs<string>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => tool.StartWorkerAsync());
    }

    public interface IClockService
    {
        DateTimeOffset Now { get; }
    }

    public sealed class NeedsClock(IClockService clock) : TaskActivity<string?, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string? input) => Task.FromResult(clock.Now.ToString("O"));
    }
}

public class NonDurableAwaitTests
{
    [Fact]
    public async Task RunAsync_AwaitingANonDurableTask_FailsInsteadOfHangingForever()
    {
        var never = new TaskCompletionSource<int>();
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, int>("Stuck", async (ctx, _) => await never.Task));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Stuck");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Contains("waiting on a task that is not durable", m.FailureDetails!.ErrorMessage);
    }
}

public class AsyncCancellationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task CancelAsync_InOrchestratorCode_ResumesInsideTheEpisode(int cacheSize)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<string?, string>("Race", async (ctx, _) =>
            {
                using var cts = new CancellationTokenSource();
                Task<string> e = ctx.WaitForExternalEvent<string>("x", cts.Token);
                Task t = ctx.CreateTimer(ctx.CurrentUtcDateTime.AddDays(10), CancellationToken.None);
                Task winner = await Task.WhenAny(e, t);
                await cts.CancelAsync();
                string first = winner == e ? "event" : "timer";
                string second = await ctx.WaitForExternalEvent<string>("x");
                return $"{first}/{e.IsCanceled}/{second}";
            }),
            TestUtil.Options(cacheSize));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        await host.AdvanceAsync(TimeSpan.FromDays(10));
        await host.Client.RaiseEventAsync(id, "x", "later");
        Assert.Equal("timer/True/later", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task CancelAsync_OnATimer_DeletesItAndContinues()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string?, string>("Fast", (ctx, _) => "fast")
            .AddOrchestratorFunc<string?, string>("Race", async (ctx, _) =>
            {
                using var cts = new CancellationTokenSource();
                Task timer = ctx.CreateTimer(TimeSpan.FromDays(30), cts.Token);
                Task<string> work = ctx.CallActivityAsync<string>("Fast");
                await Task.WhenAny(timer, work);
                await cts.CancelAsync();
                return $"{await work}/{timer.IsCanceled}";
            }));
        Assert.Equal("fast/True", (await host.StartAndCompleteAsync("Race")).ReadOutputAs<string>());
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM timers"));
    }
}
