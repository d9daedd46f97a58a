using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Durable.Testing;
using Workflows.Programmes.Records;
using Workflows.Service.Schedules;

namespace Workflows.Host.Tests.Schedules;

/// <summary>
/// <see cref="ScheduleRunner.RunDueAsync(DateTimeOffset, CancellationToken)"/> called the way a timer host calls it:
/// once a minute in UTC, no loop, the crons evaluated in China time, state in a real SQLite file.
/// </summary>
public sealed class ScheduleRunnerPassTests : IDisposable
{
    private static readonly TimeSpan Plus8 = TimeSpan.FromHours(8);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"schedule-pass-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly string _cs;
    private readonly ManualTimeProvider _clock = new(Local(3, 1, 0, 0, 30));
    private readonly ConcurrentQueue<(string Job, DateTimeOffset ScheduledAt)> _runs = new();

    public ScheduleRunnerPassTests() => _cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

    private ProgrammeRecords Records() => new(_cs, schemas: [ScheduleStateStore.Schema]);

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private static DateTimeOffset Local(int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(2026, month, day, hour, minute, second, Plus8);

    private sealed class Job(string name, ConcurrentQueue<(string, DateTimeOffset)> runs, Func<int, Task>? body = null) : IScheduledJob
    {
        private int _calls;

        public string Name => name;

        public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            runs.Enqueue((name, scheduledAt));
            return body?.Invoke(Interlocked.Increment(ref _calls)) ?? Task.CompletedTask;
        }
    }

    private ScheduleRunner Runner(Dictionary<string, string?> settings, params IScheduledJob[] jobs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(sp => new ProgrammeRecords(_cs, schemas: sp.GetServices<RecordsSchema>()));
        var builder = services.AddWorkflowsSchedules(configuration);
        foreach (var job in jobs)
        {
            builder.Services.AddSingleton(job);
        }

        return services.BuildServiceProvider().GetRequiredService<ScheduleRunner>();
    }

    /// <summary>A pass of the one-minute UTC timer at <paramref name="at"/>, as Azure Functions would make it.</summary>
    private async Task<IReadOnlyList<ScheduledJobOutcome>> TickAsync(ScheduleRunner runner, DateTimeOffset at)
    {
        _clock.SetUtcNow(at.ToUniversalTime());
        return await runner.RunDueAsync(_clock.GetUtcNow(), CancellationToken.None);
    }

    [Fact]
    public async Task RunDue_MinuteTicksAroundChinaTime0200_RunsOnceWithTheScheduledTime()
    {
        var runner = Runner(new() { ["Workflows:Schedules:Sweep"] = "0 0 2 * * *" }, new Job("Sweep", _runs));

        var early = Assert.Single(await TickAsync(runner, Local(3, 1, 1, 59, 30)));
        var onTime = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 0, 30)));
        var after = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 1, 30)));

        Assert.Equal((ScheduledJobStatus.NotDue, (DateTimeOffset?)Local(3, 1, 2)), (early.Status, early.NextCheckAt));
        Assert.Equal((ScheduledJobStatus.Succeeded, (DateTimeOffset?)Local(3, 1, 2)), (onTime.Status, onTime.ScheduledAt));
        Assert.Equal((ScheduledJobStatus.NotDue, (DateTimeOffset?)Local(3, 2, 2)), (after.Status, after.NextCheckAt));
        Assert.Equal([("Sweep", Local(3, 1, 2))], _runs);
        Assert.Equal("Succeeded", new ScheduleStateStore(Records()).Get("Sweep")!.LastStatus);
    }

    [Fact]
    public async Task RunDue_NoTicksForThreeDays_CatchesUpOnceWithTheLatestOccurrence()
    {
        var runner = Runner(new() { ["Workflows:Schedules:Sweep"] = "0 0 2 * * *" }, new Job("Sweep", _runs));
        await TickAsync(runner, Local(3, 1, 1));

        var late = Assert.Single(await TickAsync(runner, Local(3, 4, 9, 15)));
        var next = Assert.Single(await TickAsync(runner, Local(3, 4, 9, 16)));

        Assert.Equal(ScheduledJobStatus.Succeeded, late.Status);
        Assert.Equal(Local(3, 4, 2), late.ScheduledAt);
        Assert.Equal(ScheduledJobStatus.NotDue, next.Status);
        Assert.Equal([("Sweep", Local(3, 4, 2))], _runs);
    }

    [Fact]
    public async Task RunDue_FailingJob_RetriedAfterTheDelayThenGivesUpUntilTheNextOccurrence()
    {
        var runner = Runner(
            new() { ["Workflows:Schedules:Broken"] = "0 0 2 * * *", ["Workflows:Schedules:MaxRetries"] = "1", ["Workflows:Schedules:RetryDelay"] = "00:05:00" },
            new Job("Broken", _runs, _ => throw new InvalidOperationException("assessment data missing")));
        await TickAsync(runner, Local(3, 1, 1));

        var first = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 0, 10)));
        var tooEarly = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 4, 10)));
        var retried = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 5, 10)));
        var afterwards = Assert.Single(await TickAsync(runner, Local(3, 1, 2, 30)));

        Assert.Equal(ScheduledJobStatus.RetryScheduled, first.Status);
        Assert.Equal(Local(3, 1, 2, 5, 10), first.NextCheckAt);
        Assert.Equal("InvalidOperationException: assessment data missing", first.Error);
        Assert.Equal(ScheduledJobStatus.NotDue, tooEarly.Status);
        Assert.Equal((ScheduledJobStatus.GaveUp, (DateTimeOffset?)Local(3, 1, 2)), (retried.Status, retried.ScheduledAt));
        Assert.Equal((ScheduledJobStatus.NotDue, (DateTimeOffset?)Local(3, 2, 2)), (afterwards.Status, afterwards.NextCheckAt));
        Assert.Equal([("Broken", Local(3, 1, 2)), ("Broken", Local(3, 1, 2))], _runs);
        var state = new ScheduleStateStore(Records()).Get("Broken")!;
        Assert.Null(state.InFlight);
        Assert.Equal("InvalidOperationException: assessment data missing", state.LastError);
    }

    [Fact]
    public async Task RunDue_SlowJobStillRunning_NextTickLeavesItAloneAndRunsTheOthers()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = Runner(
            new() { ["Workflows:Schedules:Long"] = "0 0 2 * * *", ["Workflows:Schedules:Quick"] = "0 1 2 * * *" },
            new Job("Long", _runs, async _ =>
            {
                started.TrySetResult();
                await release.Task;
            }),
            new Job("Quick", _runs));
        await TickAsync(runner, Local(3, 1, 1, 59, 30));

        // The earlier tick's pass over Long only, so nothing else of it can still be in progress.
        var slowPass = runner.RunDueAsync(runner.Entries.Single(e => e.Job.Name == "Long"), Local(3, 1, 2, 0, 30), CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var overlapping = await runner.RunDueAsync(Local(3, 1, 2, 1, 30), CancellationToken.None);
        release.SetResult();
        var slow = await slowPass.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ScheduledJobStatus.AlreadyRunning, overlapping.Single(o => o.JobName == "Long").Status);
        Assert.Equal(ScheduledJobStatus.Succeeded, overlapping.Single(o => o.JobName == "Quick").Status);
        Assert.Equal(ScheduledJobStatus.Succeeded, slow.Status);
        Assert.Single(_runs, r => r.Job == "Long");
    }

    [Fact]
    public async Task RunDue_StoppedMidRun_ThrowsAndTheNextPassRunsTheSameOccurrence()
    {
        using var stop = new CancellationTokenSource();
        var runner = Runner(
            new() { ["Workflows:Schedules:Long"] = "0 0 2 * * *" },
            new Job("Long", _runs, calls =>
            {
                if (calls == 1)
                {
                    stop.Cancel();
                    throw new OperationCanceledException(stop.Token);
                }

                return Task.CompletedTask;
            }));
        await TickAsync(runner, Local(3, 1, 1));
        _clock.SetUtcNow(Local(3, 1, 2, 0, 30).ToUniversalTime());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunDueAsync(_clock.GetUtcNow(), stop.Token));
        Assert.Equal(Local(3, 1, 2), new ScheduleStateStore(Records()).Get("Long")!.InFlight);
        var resumed = Assert.Single(await TickAsync(runner, Local(3, 1, 9)));

        Assert.Equal((ScheduledJobStatus.Succeeded, (DateTimeOffset?)Local(3, 1, 2)), (resumed.Status, resumed.ScheduledAt));
        Assert.Equal([("Long", Local(3, 1, 2)), ("Long", Local(3, 1, 2))], _runs);
    }
}
