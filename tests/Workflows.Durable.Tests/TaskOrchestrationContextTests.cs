using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

public class TaskOrchestrationContextTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task CallActivityAsync_Sequence_CompletesWithOutputsInOrder(int cacheSize)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string, string>("Hello", (ctx, name) => $"Hello {name}")
                .AddOrchestratorFunc<string, List<string>>("Seq", async (ctx, input) =>
                [
                    await ctx.CallActivityAsync<string>("Hello", "A"),
                    await ctx.CallActivityAsync<string>("Hello", "B"),
                    await ctx.CallActivityAsync<string>("Hello", input),
                ]),
            TestUtil.Options(cacheSize));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Seq", "C");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.Equal(["Hello A", "Hello B", "Hello C"], m.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task CallActivityAsync_TypedClasses_RunWithConstructorlessTypes()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddActivity<DoubleActivity>().AddOrchestrator<DoubleTwiceOrchestrator>());
        OrchestrationMetadata m = await host.StartAndCompleteAsync(nameof(DoubleTwiceOrchestrator), 5);
        Assert.Equal(20, m.ReadOutputAs<int>());
        Assert.Equal(5, m.ReadInputAs<int>());
    }

    [Fact]
    public async Task CallActivityAsync_ActivityThrows_OrchestratorSeesTaskFailedExceptionWithDetails()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string, string>("Boom", (ctx, _) => Task.FromException<string>(new InvalidOperationException("boom", new FormatException("inner"))))
            .AddOrchestratorFunc<string?, string>("Catch", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallActivityAsync<string>("Boom");
                    return "no";
                }
                catch (TaskFailedException ex)
                {
                    return $"{ex.FailureDetails.ErrorType}|{ex.FailureDetails.ErrorMessage}|{ex.FailureDetails.IsCausedBy<InvalidOperationException>()}|{ex.FailureDetails.IsCausedBy<ArgumentException>()}|{ex.FailureDetails.InnerFailure?.ErrorType}|{ex.TaskName}|{ex.FailureDetails.StackTrace is not null}";
                }
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Catch");
        Assert.Equal("System.InvalidOperationException|boom|True|False|System.FormatException|Boom|True", m.ReadOutputAs<string>());
    }

    [Fact]
    public async Task RunAsync_UnhandledActivityFailure_InstanceFailedWithInnerDetails()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string, string>("Boom", (ctx, _) => Task.FromException<string>(new InvalidOperationException("boom")))
            .AddOrchestratorFunc<string?, string>("NoCatch", (ctx, _) => ctx.CallActivityAsync<string>("Boom")));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("NoCatch");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, m.FailureDetails!.ErrorType);
        Assert.Equal("System.InvalidOperationException", m.FailureDetails.InnerFailure!.ErrorType);
        Assert.True(m.FailureDetails.IsCausedBy<TaskFailedException>());
    }

    [Fact]
    public async Task RunAsync_OrchestratorThrows_InstanceFailedWithTypeMessageAndStack()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<int, int>("Throws", (ctx, n) => Task.FromException<int>(new NotSupportedException($"no {n}"))));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Throws", 7);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal("System.NotSupportedException", m.FailureDetails!.ErrorType);
        Assert.Equal("no 7", m.FailureDetails.ErrorMessage);
        Assert.NotNull(m.FailureDetails.StackTrace);
    }

    [Fact]
    public async Task CallActivityAsync_RetryPolicy_BacksOffOnTheFakeClockThenSucceeds()
    {
        var attempts = new List<DateTimeOffset>();
        ManualTimeProvider clock = new();
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string?, string>("Flaky", (ctx, _) =>
                {
                    lock (attempts)
                    {
                        attempts.Add(clock.GetUtcNow());
                        if (attempts.Count < 4)
                        {
                            throw new TimeoutException($"attempt {attempts.Count}");
                        }
                    }

                    return "ok";
                })
                .AddOrchestratorFunc<string?, string>("Retry", (ctx, _) => ctx.CallActivityAsync<string>(
                    "Flaky",
                    options: TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(10), backoffCoefficient: 2)))),
            new DurableTestHostOptions { TimeProvider = clock });
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retry");
        DateTimeOffset t0 = clock.GetUtcNow();
        await host.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Single(attempts);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, attempts.Count);
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, attempts.Count);
        await host.AdvanceAsync(TimeSpan.FromSeconds(40));
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal("ok", m.ReadOutputAs<string>());
        Assert.Equal([t0, t0.AddSeconds(10), t0.AddSeconds(30), t0.AddSeconds(70)], attempts);
    }

    [Fact]
    public async Task CallActivityAsync_RetryExhaustedOrNotHandled_Rethrows()
    {
        int calls = 0;
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string, string>("Fail", (ctx, kind) =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromException<string>(kind == "arg" ? new ArgumentException("bad") : new TimeoutException("slow"));
            })
            .AddOrchestratorFunc<string, int>("R", async (ctx, kind) =>
            {
                var policy = new RetryPolicy(3, TimeSpan.FromMinutes(1), maxRetryInterval: TimeSpan.FromMinutes(1)) { HandleFailure = f => !f.IsCausedBy<ArgumentException>() };
                try
                {
                    await ctx.CallActivityAsync<string>("Fail", kind, TaskOptions.FromRetryPolicy(policy));
                }
                catch (TaskFailedException)
                {
                    return -1;
                }

                return 1;
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("R", "arg");
        Assert.Equal(-1, m.ReadOutputAs<int>());
        Assert.Equal(1, calls);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("R", "timeout");
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        m = await host.CompleteAsync(id);
        Assert.Equal(-1, m.ReadOutputAs<int>());
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task CallActivityAsync_RetryTimeout_StopsBeforeMaxAttempts()
    {
        int calls = 0;
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string?, string>("Fail", (ctx, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromException<string>(new TimeoutException("slow"));
            })
            .AddOrchestratorFunc<string?, string>("R", (ctx, _) => ctx.CallActivityAsync<string>(
                "Fail",
                options: TaskOptions.FromRetryPolicy(new RetryPolicy(10, TimeSpan.FromMinutes(1), 2, retryTimeout: TimeSpan.FromMinutes(4))))));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("R");
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal(3, calls); // attempts at 0, 1 and 3 minutes; a fourth would start at 3+4 = 7 minutes, beyond the 4-minute timeout
    }

    [Fact]
    public async Task CallActivityAsync_RetryHandler_DecidesWithContext()
    {
        var seen = new List<int>();
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<string?, string>("Fail", (ctx, _) => Task.FromException<string>(new TimeoutException("slow")))
            .AddOrchestratorFunc<string?, string>("R", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallActivityAsync<string>("Fail", options: TaskOptions.FromRetryHandler(rc =>
                    {
                        seen.Add(rc.LastAttemptNumber);
                        return rc.LastAttemptNumber < 3 && rc.LastFailure.IsCausedBy<TimeoutException>();
                    }));
                }
                catch (TaskFailedException ex)
                {
                    return ex.FailureDetails.ErrorType;
                }

                return "no";
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("R");
        Assert.Equal("System.TimeoutException", m.ReadOutputAs<string>());
        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public async Task CreateTimer_NinetyDays_FiresOnlyWhenTheClockGetsThere()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, DateTime>("Wait", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromDays(90), CancellationToken.None);
                return ctx.CurrentUtcDateTime;
            }));
        DateTimeOffset start = host.TimeProvider.GetUtcNow();
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");
        await host.AdvanceAsync(TimeSpan.FromDays(89));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.StatusAsync(id)).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(start.UtcDateTime.AddDays(90), m.ReadOutputAs<DateTime>());
    }

    [Fact]
    public async Task CreateTimer_ThreeYears_Fires()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, int>("Years", async (ctx, _) =>
            {
                DateTime start = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(start.AddYears(3), CancellationToken.None);
                return ctx.CurrentUtcDateTime.Year - start.Year;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Years");
        await host.AdvanceAsync(TimeSpan.FromDays(3 * 366));
        Assert.Equal(3, (await host.CompleteAsync(id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task CreateTimer_NegativeDelay_FailsInstanceNamingTheProblem()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Neg", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromSeconds(-1), CancellationToken.None);
                return "no";
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Neg");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, m.FailureDetails!.ErrorType);
        Assert.Contains("must not be negative", m.FailureDetails.ErrorMessage);
    }

    [Fact]
    public async Task CreateTimer_PastTime_FiresImmediately()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Past", async (ctx, _) =>
            {
                await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddDays(-1), CancellationToken.None);
                return "fired";
            }));
        Assert.Equal("fired", (await host.StartAndCompleteAsync("Past")).ReadOutputAs<string>());
    }

    [Fact]
    public async Task WhenAll_FanOutFanIn_SumsAllResults()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("Square", (ctx, x) => x * x)
            .AddOrchestratorFunc<int, int>("Fan", async (ctx, n) =>
            {
                int[] results = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)));
                return results.Sum();
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Fan", 100);
        Assert.Equal(Enumerable.Range(1, 100).Sum(i => i * i), m.ReadOutputAs<int>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task WhenAny_ActivityBeforeTimer_TakesActivityAndCancelsTimer(int cacheSize)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string?, string>("Fast", (ctx, _) => "fast")
                .AddOrchestratorFunc<string?, string>("Race", async (ctx, _) =>
                {
                    using var cts = new CancellationTokenSource();
                    Task timer = ctx.CreateTimer(TimeSpan.FromHours(1), cts.Token);
                    Task<string> work = ctx.CallActivityAsync<string>("Fast");
                    Task winner = await Task.WhenAny(timer, work);
                    if (winner == work)
                    {
                        cts.Cancel();
                        return await work;
                    }

                    return "timeout";
                }),
            TestUtil.Options(cacheSize));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Race");
        Assert.Equal("fast", m.ReadOutputAs<string>());
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM timers"));
    }

    [Fact]
    public async Task WaitForExternalEvent_EventsBeforeWait_AreBufferedAndDeliveredInArrivalOrder()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, List<int>>("Collect", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromDays(1), CancellationToken.None);
                var got = new List<int>();
                for (int i = 0; i < 3; i++)
                {
                    got.Add(await ctx.WaitForExternalEvent<int>("Value"));
                }

                return got;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Collect");
        await host.Client.RaiseEventAsync(id, "Value", 3);
        await host.Client.RaiseEventAsync(id, "VALUE", 1);
        await host.Client.RaiseEventAsync(id, "value", 2);
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal([3, 1, 2], (await host.CompleteAsync(id)).ReadOutputAs<List<int>>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task WaitForExternalEvent_TimedOutWait_DoesNotSwallowALaterEventOfTheSameName(int cacheSize)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<string?, string>("Approve", async (ctx, _) =>
            {
                string first;
                try
                {
                    first = await ctx.WaitForExternalEvent<string>("Approval", TimeSpan.FromHours(1));
                }
                catch (TaskCanceledException)
                {
                    first = "timed out";
                }

                string second = await ctx.WaitForExternalEvent<string>("approval");
                return $"{first}/{second}";
            }),
            TestUtil.Options(cacheSize));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approve");
        await host.AdvanceAsync(TimeSpan.FromHours(1));
        await host.Client.RaiseEventAsync(id, "Approval", "yes");
        Assert.Equal("timed out/yes", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_CancelledWait_GivesTheEventToTheNextWait()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Cancel", async (ctx, _) =>
            {
                using var cts = new CancellationTokenSource();
                Task<string> abandoned = ctx.WaitForExternalEvent<string>("E", cts.Token);
                cts.Cancel();
                bool cancelled = abandoned.IsCanceled;
                string value = await ctx.WaitForExternalEvent<string>("E");
                return $"{cancelled}:{value}";
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Cancel");
        await host.WaitForIdleAsync();
        await host.Client.RaiseEventAsync(id, "E", "payload");
        Assert.Equal("True:payload", (await host.CompleteAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_EventBeforeTimeout_ReturnsPayloadAndDeletesTheTimer()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, int>("T", (ctx, _) => ctx.WaitForExternalEvent<int>("Go", TimeSpan.FromDays(7))));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("T");
        await host.WaitForIdleAsync();
        Assert.Equal(1, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM timers"));
        await host.Client.RaiseEventAsync(id, "Go", 42);
        Assert.Equal(42, (await host.CompleteAsync(id)).ReadOutputAs<int>());
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM timers"));
    }

    [Fact]
    public async Task WaitForExternalEvent_ManyEvents_AllArriveInOrderInFewEpisodes()
    {
        const int N = 300;
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, List<int>>("Many", async (ctx, _) =>
            {
                var got = new List<int>(N);
                for (int i = 0; i < N; i++)
                {
                    got.Add(await ctx.WaitForExternalEvent<int>("n"));
                }

                return got;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Many");
        await host.WaitForIdleAsync();
        await host.Client.SuspendInstanceAsync(id);
        for (int i = 0; i < N; i++)
        {
            await host.Client.RaiseEventAsync(id, "n", i);
        }

        await host.Client.ResumeInstanceAsync(id);
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(Enumerable.Range(0, N), m.ReadOutputAs<List<int>>());
        int episodes = TestUtil.ReadHistoryJson(host.DatabasePath, id).Count(e => e.Contains("OrchestratorStarted.v1", StringComparison.Ordinal));
        Assert.InRange(episodes, 2, 5); // start, suspend, then the resume + 300 events batched into one episode
    }

    [Fact]
    public async Task WaitForExternalEvent_PayloadOfWrongType_FailsWithClearMessage()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, int>("Typed", (ctx, _) => ctx.WaitForExternalEvent<int>("n")));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Typed");
        await host.Client.RaiseEventAsync(id, "n", "not a number");
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Contains("does not deserialise to Int32", m.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task ContinueAsNew_KeepsUnprocessedEventsByDefault()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
            {
                int add = await ctx.WaitForExternalEvent<int>("add");
                if (n + add >= 6)
                {
                    return n + add;
                }

                ctx.ContinueAsNew(n + add);
                return 0;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        await host.WaitForIdleAsync();
        await host.Client.SuspendInstanceAsync(id);
        await host.Client.RaiseEventAsync(id, "add", 1);
        await host.Client.RaiseEventAsync(id, "add", 2);
        await host.Client.RaiseEventAsync(id, "add", 3);
        await host.Client.ResumeInstanceAsync(id);
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal(6, m.ReadOutputAs<int>());
        Assert.Equal(3, m.ReadInputAs<int>());
        Assert.DoesNotContain(TestUtil.ReadHistoryJson(host.DatabasePath, id), e => e.Contains("\"input\":\"0\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContinueAsNew_WithoutPreserve_DropsUnprocessedEvents()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<int, int>("Once", async (ctx, n) =>
            {
                int add = await ctx.WaitForExternalEvent<int>("add");
                if (n > 0)
                {
                    return n + add;
                }

                ctx.ContinueAsNew(add, preserveUnprocessedEvents: false);
                return 0;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Once", 0);
        await host.WaitForIdleAsync();
        await host.Client.SuspendInstanceAsync(id);
        await host.Client.RaiseEventAsync(id, "add", 1);
        await host.Client.RaiseEventAsync(id, "add", 100);
        await host.Client.ResumeInstanceAsync(id);
        await host.WaitForIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.StatusAsync(id)).RuntimeStatus);
        await host.Client.RaiseEventAsync(id, "add", 10);
        Assert.Equal(11, (await host.CompleteAsync(id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task SetCustomStatus_IsVisibleToClients()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Status", async (ctx, _) =>
            {
                ctx.SetCustomStatus(new StageStatus("review", 2));
                await ctx.WaitForExternalEvent<string>("go");
                ctx.SetCustomStatus(new StageStatus("done", 3));
                return "ok";
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Status");
        await host.WaitForIdleAsync();
        Assert.Equal(new StageStatus("review", 2), (await host.StatusAsync(id)).ReadCustomStatusAs<StageStatus>());
        await host.Client.RaiseEventAsync(id, "go", "x");
        Assert.Equal(new StageStatus("done", 3), (await host.CompleteAsync(id)).ReadCustomStatusAs<StageStatus>());
    }

    [Fact]
    public async Task SetCustomStatus_TooLarge_FailsClearlyAndNeverTruncates()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Big", (ctx, _) =>
            {
                ctx.SetCustomStatus(new string('x', 20_000));
                return Task.FromResult("no");
            }));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Big");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal(typeof(PayloadTooLargeException).FullName, m.FailureDetails!.ErrorType);
        Assert.Contains("limit is 16384 bytes", m.FailureDetails.ErrorMessage);
        Assert.Null(m.SerializedCustomStatus);
    }

    [Fact]
    public async Task CallActivityAsync_ResultTooLarge_FailsTheTaskWithPayloadError()
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<string?, string>("Huge", (ctx, _) => new string('y', 5000))
                .AddOrchestratorFunc<string?, string>("H", async (ctx, _) =>
                {
                    try
                    {
                        return await ctx.CallActivityAsync<string>("Huge");
                    }
                    catch (TaskFailedException ex)
                    {
                        return ex.FailureDetails.ErrorType;
                    }
                }),
            TestUtil.Options(more: o => o.MaxPayloadBytes = 1000));
        Assert.Equal(typeof(PayloadTooLargeException).FullName, (await host.StartAndCompleteAsync("H")).ReadOutputAs<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task NewGuid_IsVersion5AndStableAcrossReplay(int cacheSize)
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<string?, List<Guid>>("Guids", async (ctx, _) =>
            {
                Guid a = ctx.NewGuid();
                Guid b = ctx.NewGuid();
                await ctx.WaitForExternalEvent<string>("go");
                return [a, b, ctx.NewGuid()];
            }),
            TestUtil.Options(cacheSize));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Guids", null, new StartOrchestrationOptions("fixed-id"));
        await host.Client.RaiseEventAsync(id, "go", "x");
        List<Guid> guids = (await host.CompleteAsync(id)).ReadOutputAs<List<Guid>>()!;
        Assert.Equal(3, guids.Distinct().Count());
        Assert.All(guids, g => Assert.Equal(5, g.Version));
        Assert.All(guids, g => Assert.Equal(0b10, g.Variant >> 2));

        await host.Client.PurgeInstanceAsync(id);
        string again = await host.Client.ScheduleNewOrchestrationInstanceAsync("Guids", null, new StartOrchestrationOptions("fixed-id"));
        await host.Client.RaiseEventAsync(again, "go", "x");
        List<Guid> second = (await host.CompleteAsync(again)).ReadOutputAs<List<Guid>>()!;
        Assert.Equal(guids[0], second[0]); // same instance id, time and counter give the same id
    }

    [Fact]
    public async Task IsReplaying_AndReplaySafeLogger_LogOncePerStepWhenReplayingEveryEpisode()
    {
        var logs = new RecordingLoggerFactory();
        var replaying = new List<bool>();
        await using var host = await DurableTestHost.StartAsync(
            r => r
                .AddActivityFunc<int, int>("Inc", (ctx, x) => x + 1)
                .AddOrchestratorFunc<int, int>("Logged", async (ctx, x) =>
                {
                    var logger = ctx.CreateReplaySafeLogger("Test");
                    for (int i = 0; i < 3; i++)
                    {
                        lock (replaying)
                        {
                            replaying.Add(ctx.IsReplaying);
                        }

                        logger.LogStep(i);
                        x = await ctx.CallActivityAsync<int>("Inc", x);
                    }

                    return x;
                }),
            TestUtil.Options(cacheSize: 0, loggerFactory: logs));
        Assert.Equal(3, (await host.StartAndCompleteAsync("Logged", 0)).ReadOutputAs<int>());
        lock (logs.Messages)
        {
            Assert.Equal(["step 0", "step 1", "step 2"], logs.Messages.Where(m => m.StartsWith("step", StringComparison.Ordinal)));
        }

        Assert.Equal("False,True,False,True,True,False,True,True,True", string.Join(",", replaying));
    }

    [Fact]
    public async Task CurrentUtcDateTime_FollowsTheFakeClockAndIsStableOnReplay()
    {
        await using var host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<string?, List<DateTime>>("Times", async (ctx, _) =>
            {
                DateTime a = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(TimeSpan.FromDays(2), CancellationToken.None);
                DateTime b = ctx.CurrentUtcDateTime;
                await ctx.WaitForExternalEvent<string>("go");
                return [a, b, ctx.CurrentUtcDateTime];
            }),
            TestUtil.Options(cacheSize: 0));
        DateTime t0 = host.TimeProvider.GetUtcNow().UtcDateTime;
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Times");
        await host.AdvanceAsync(TimeSpan.FromDays(2));
        await host.AdvanceAsync(TimeSpan.FromHours(5));
        await host.Client.RaiseEventAsync(id, "go", "x");
        List<DateTime> times = (await host.CompleteAsync(id)).ReadOutputAs<List<DateTime>>()!;
        Assert.Equal([t0, t0.AddDays(2), t0.AddDays(2).AddHours(5)], times);
        Assert.All(times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
    }

    [Fact]
    public async Task GetInput_AndVersion_ComeFromTheSchedule()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<StageStatus, string>("In", (ctx, input) => Task.FromResult($"{ctx.GetInput<StageStatus>()!.Stage}/{input.Step}/{ctx.Version}/{ctx.Name.Name}/{ctx.InstanceId}")));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("In", new StageStatus("s", 4), new StartOrchestrationOptions("in-1") { Version = "2.1" });
        OrchestrationMetadata m = await host.CompleteAsync(id);
        Assert.Equal("s/4/2.1/In/in-1", m.ReadOutputAs<string>());
        Assert.Equal("2.1", m.Version);
    }

    [Fact]
    public async Task CallSubOrchestratorAsync_WithInstanceId_ReturnsChildOutputAndRecordsParent()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("Twice", (ctx, x) => 2 * x)
            .AddOrchestratorFunc<int, int>("Child", async (ctx, x) => await ctx.CallActivityAsync<int>("Twice", x) + (ctx.Parent is null ? 0 : 1000))
            .AddOrchestratorFunc<int, int>("Parent", async (ctx, x) =>
            {
                int a = await ctx.CallSubOrchestratorAsync<int>("Child", x, TaskOptions.WithInstanceId($"{ctx.InstanceId}-child"));
                int b = await ctx.CallSubOrchestratorAsync<int>("Child", x + 1);
                return a + b;
            }));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", 5, new StartOrchestrationOptions("p"));
        Assert.Equal(10 + 12 + 2000, (await host.CompleteAsync(id)).ReadOutputAs<int>());
        OrchestrationMetadata child = await host.StatusAsync("p-child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Equal("p", child.ParentInstanceId);
    }

    [Fact]
    public async Task CallSubOrchestratorAsync_ChildFails_ParentSeesTaskFailedException()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<int, int>("Bad", (ctx, x) => Task.FromException<int>(new InvalidDataException("child broke")))
            .AddOrchestratorFunc<int, string>("P", async (ctx, x) =>
            {
                try
                {
                    await ctx.CallSubOrchestratorAsync<int>("Bad", x);
                    return "no";
                }
                catch (TaskFailedException ex)
                {
                    return $"{ex.FailureDetails.ErrorType}:{ex.FailureDetails.ErrorMessage}";
                }
            }));
        Assert.Equal("System.IO.InvalidDataException:child broke", (await host.StartAndCompleteAsync("P", 1)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SendEvent_ToAnotherInstance_IsDelivered()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Receiver", (ctx, _) => ctx.WaitForExternalEvent<string>("ping"))
            .AddOrchestratorFunc<string, string>("Sender", (ctx, target) =>
            {
                ctx.SendEvent(target, "ping", "hello");
                return Task.FromResult("sent");
            }));
        string receiver = await host.Client.ScheduleNewOrchestrationInstanceAsync("Receiver");
        await host.WaitForIdleAsync();
        await host.StartAndCompleteAsync("Sender", receiver);
        Assert.Equal("hello", (await host.CompleteAsync(receiver)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task CallActivityAsync_UnknownActivity_FailsInstanceNamingIt()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("Typo", (ctx, _) => ctx.CallActivityAsync<string>("Missing")));
        OrchestrationMetadata m = await host.StartAndCompleteAsync("Typo");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Contains("activity 'Missing', which is not registered", m.FailureDetails!.ErrorMessage);
        Assert.Equal(0, TestUtil.Count(host.DatabasePath, "SELECT COUNT(*) FROM activities"));
    }

    public sealed record StageStatus(string Stage, int Step);

    private sealed class DoubleActivity : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input * 2);
    }

    private sealed class DoubleTwiceOrchestrator : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            int once = await context.CallActivityAsync<int>(nameof(DoubleActivity), input);
            return await context.CallActivityAsync<int>(nameof(DoubleActivity), once);
        }
    }
}

internal static partial class TestLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 1, Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "step {Step}")]
    public static partial void LogStep(this Microsoft.Extensions.Logging.ILogger logger, int step);
}
