using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Testing;

/// <summary>
/// WaitForIdleAsync must not return while work is in flight: an activity result not yet committed and dispatched,
/// a sub-orchestration start not yet run, a pipelined commit, or a timer due now.
/// </summary>
public class WaitForIdleTests
{
    private static readonly TimeSpan TimerDelay = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(true, 1, 100)]
    [InlineData(false, 1, 40)]
    [InlineData(true, 8, 25)]
    public async Task WaitForIdleAsync_ActivityThenSubOrchestrationThenTimer_ReturnsOnlyWhenNothingIsInFlight(bool pipeline, int perRound, int rounds)
    {
        var logs = new RecordingLoggerFactory();
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
                .AddOrchestratorFunc<int, string>("Child", async (ctx, x) =>
                {
                    DateTime armedAt = ctx.CurrentUtcDateTime;
                    await ctx.CreateTimer(armedAt + TimerDelay, CancellationToken.None);
                    return $"{x}@{armedAt:O}";
                })
                .AddOrchestratorFunc<int, string>("Parent", async (ctx, x) =>
                {
                    int y = await ctx.CallActivityAsync<int>("Inc", x);
                    return await ctx.CallSubOrchestratorAsync<string>("Child", y);
                }),
            TestUtil.Options(more: o => o.PipelineCommits = pipeline, loggerFactory: logs));
        ManualTimeProvider clock = host.ManualTime!;

        for (int round = 0; round < rounds; round++)
        {
            DateTimeOffset before = clock.GetUtcNow();
            string[] ids = await Task.WhenAll(Enumerable.Range(0, perRound).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", i)));
            await host.WaitForIdleAsync(TestUtil.Timeout);

            // Idle means: nothing queued, running or uncommitted, in memory or in the store, and every child's timer
            // was armed at the time before the clock moves.
            string pending = host.Runtime.Engine.DescribePendingWork();
            Assert.True(pending.Length == 0, $"round {round}: idle returned with work in flight: {pending}");
            Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM messages"));
            Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM activities"));
            Assert.Equal(perRound, TestUtil.Count(host.DatabasePath, $"SELECT COUNT(*) FROM timers WHERE fire_at = {(before + TimerDelay).UtcTicks}"));

            clock.Advance(TimerDelay);
            await host.WaitForIdleAsync(TestUtil.Timeout);
            Assert.Equal(string.Empty, host.Runtime.Engine.DescribePendingWork());
            for (int i = 0; i < perRound; i++)
            {
                OrchestrationMetadata? m = await host.Client.GetInstanceAsync(ids[i], getInputsAndOutputs: true);
                Assert.True(
                    m?.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
                    $"round {round}: parent {i} is {m?.RuntimeStatus} after the clock passed the child's timer; logs: {string.Join(" | ", logs.Messages)}");
                Assert.Equal($"{i + 1}@{before.UtcDateTime:O}", m!.ReadOutputAs<string>());
            }
        }
    }

    [Fact]
    public async Task WaitForIdleAsync_TimerDueAtCurrentTime_WaitsUntilItsEpisodeRan()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<int, int>("Sleeper", async (ctx, x) =>
            {
                await ctx.CreateTimer(ctx.CurrentUtcDateTime + TimerDelay, CancellationToken.None);
                return x;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper", 7);
        await host.WaitForIdleAsync(TestUtil.Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.StatusAsync(id)).RuntimeStatus);

        host.ManualTime!.Advance(TimerDelay);
        await host.WaitForIdleAsync(TestUtil.Timeout);

        Assert.Equal(string.Empty, host.Runtime.Engine.DescribePendingWork());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task WaitForIdleAsync_TimerDueButItsWakeUpNotYetDelivered_RunsTheTimerBeforeReturning()
    {
        // A clock whose timer callbacks lag behind its time (as thread-pool timers do): a timer is due at the
        // current time, but nothing has told the worker yet. Idle means no timer due now, so the wait must run it.
        var clock = new LaggingTimeProvider(ManualTimeProvider.DefaultStart);
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<int, int>("Sleeper", async (ctx, x) =>
            {
                await ctx.CreateTimer(ctx.CurrentUtcDateTime + TimerDelay, CancellationToken.None);
                return x + 1;
            }),
            new DurableTestHostOptions { TimeProvider = clock });
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper", 1);
        await host.WaitForIdleAsync(TestUtil.Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.StatusAsync(id)).RuntimeStatus);

        clock.Now += TimerDelay;
        await host.WaitForIdleAsync(TestUtil.Timeout);

        OrchestrationMetadata m = await host.StatusAsync(id);
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"idle returned with the timer due at the current time still pending; the instance is {m.RuntimeStatus}; {host.Runtime.Engine.DescribePendingWork()}; {string.Join(",", TestUtil.ReadHistoryJson(host.DatabasePath, id))}");
        Assert.Equal(2, m.ReadOutputAs<int>());
        Assert.Equal(string.Empty, host.Runtime.Engine.DescribePendingWork());
    }

    [Fact]
    public async Task WaitForIdleAsync_ClockMovesWhileTheWakeUpIsArmed_RunsTheTimerAtTheNewTime()
    {
        // The clock passes a new durable timer between the worker reading the time and arming its wake-up, so the
        // wake-up is set relative to the new time and would come an hour late: the worker must notice at once.
        var clock = new ClockMovesWhileArming(new ManualTimeProvider(), TimerDelay);
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<int, int>("Sleeper", async (ctx, x) =>
            {
                await ctx.CreateTimer(ctx.CurrentUtcDateTime + TimerDelay, CancellationToken.None);
                return x + 1;
            }),
            new DurableTestHostOptions { TimeProvider = clock, ConfigureRuntime = o => o.PollingInterval = TimeSpan.FromDays(10) });
        clock.MoveOnNextArming = true;
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper", 1);
        await host.WaitForIdleAsync(TestUtil.Timeout);

        Assert.False(clock.MoveOnNextArming, "the clock was not moved while a wake-up was armed");
        OrchestrationMetadata m = await host.StatusAsync(id);
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"the timer due at the current time did not run; the instance is {m.RuntimeStatus}");
        Assert.Equal(2, m.ReadOutputAs<int>());
    }

    /// <summary>Moves the inner clock forward right before the next timer is armed with a finite delay.</summary>
    private sealed class ClockMovesWhileArming(ManualTimeProvider inner, TimeSpan jump) : TimeProvider
    {
        private int move;

        public bool MoveOnNextArming
        {
            get => Volatile.Read(ref this.move) == 1;
            set => Volatile.Write(ref this.move, value ? 1 : 0);
        }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => new MovingTimer(this, inner.CreateTimer(callback, state, dueTime, period));

        private void MoveIfAsked()
        {
            if (Interlocked.Exchange(ref this.move, 0) == 1)
            {
                inner.Advance(jump);
            }
        }

        private sealed class MovingTimer(ClockMovesWhileArming owner, ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
                {
                    owner.MoveIfAsked();
                }

                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    /// <summary>A settable clock whose timers never fire by themselves (their wake-ups are "still on the way").</summary>
    private sealed class LaggingTimeProvider(DateTimeOffset start) : TimeProvider
    {
        private long ticks = start.UtcTicks;

        public DateTimeOffset Now
        {
            get => new(Interlocked.Read(ref this.ticks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref this.ticks, value.UtcTicks);
        }

        public override DateTimeOffset GetUtcNow() => this.Now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new SilentTimer();

        private sealed class SilentTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
