using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.Host.Background;
using Workflows.Programmes.Records;
using Workflows.Service.Schedules;

namespace Workflows.Host.Tests.Schedules;

public sealed class ScheduleRunnerTests : IDisposable
{
    private static readonly TimeSpan Plus8 = TimeSpan.FromHours(8);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"schedules-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly string _cs;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, Plus8));
    private readonly RunLog _log = new();

    public ScheduleRunnerTests() => _cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

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

    /// <summary>Every run of every test job, in order.</summary>
    public sealed class RunLog
    {
        public ConcurrentQueue<(string Job, DateTimeOffset ScheduledAt, DateTimeOffset RanAt)> Runs { get; } = new();

        public SemaphoreSlim Signal { get; } = new(0);

        /// <summary>How many runs <see cref="FlakyJob"/> fails before it succeeds.</summary>
        public int FlakyFailures { get; set; } = 1;

        public IReadOnlyList<DateTimeOffset> Of(string job) => Runs.Where(r => r.Job == job).Select(r => r.ScheduledAt).ToList();
    }

    private sealed class RecordingJob(RunLog log, TimeProvider clock) : IScheduledJob
    {
        public string Name => "Sweep";

        public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            log.Runs.Enqueue((Name, scheduledAt, clock.GetUtcNow()));
            log.Signal.Release();
            return Task.CompletedTask;
        }
    }

    private sealed class FailingJob(RunLog log) : IScheduledJob
    {
        public string Name => "Broken";

        public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            log.Runs.Enqueue((Name, scheduledAt, scheduledAt));
            log.Signal.Release();
            throw new InvalidOperationException("assessment data missing");
        }
    }

    /// <summary>Blocks until the host stops, to simulate a stop in the middle of a run.</summary>
    private sealed class BlockingJob(RunLog log) : IScheduledJob
    {
        public string Name => "Long";

        public async Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            log.Runs.Enqueue((Name, scheduledAt, scheduledAt));
            log.Signal.Release();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }

    /// <summary>Fails its first <paramref name="failures"/> runs, then succeeds.</summary>
    private sealed class FlakyJob(RunLog log, TimeProvider clock) : IScheduledJob
    {
        private int _runs;

        public string Name => "Flaky";

        public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            log.Runs.Enqueue((Name, scheduledAt, clock.GetUtcNow()));
            log.Signal.Release();
            return Interlocked.Increment(ref _runs) <= log.FlakyFailures
                ? throw new IOException("report store unreachable")
                : Task.CompletedTask;
        }
    }

    private sealed class NamedJob(string name) : IScheduledJob
    {
        public string Name => name;

        public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private ServiceProvider Build(Dictionary<string, string?> settings, Action<WorkflowsSchedulesBuilder> jobs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_log);
        services.AddSingleton(sp => new ProgrammeRecords(_cs, schemas: sp.GetServices<RecordsSchema>()));
        jobs(services.AddWorkflowsSchedules(configuration));
        services.AddHostedService<ScheduleRunnerService>();
        return services.BuildServiceProvider();
    }

    /// <summary>The embedded host's loop over the runner's single pass.</summary>
    private static ScheduleRunnerService Runner(ServiceProvider provider) =>
        provider.GetServices<IHostedService>().OfType<ScheduleRunnerService>().Single();

    private async Task WaitForRunsAsync(int count, string what)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _log.Signal.WaitAsync(WaitLimit), $"Timed out waiting for {what} (run {i + 1} of {count}).");
        }
    }

    private async Task WaitParkedAsync(int timers, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (_clock.WaitingTimers < timers)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what} to wait on the clock.");
            await Task.Yield();
        }
    }

    private ServiceProvider DailySweep() => Build(
        new() { ["Workflows:Schedules:Sweep"] = "0 0 2 * * *" },
        b => b.AddJob<RecordingJob>());

    [Fact]
    public async Task Runner_DailyCron_FiresAtEachOccurrenceWithItsScheduledTime()
    {
        await using var provider = DailySweep();
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        await WaitParkedAsync(1, "the Sweep loop");

        _clock.AdvanceTo(Local(3, 1, 1, 59, 59));
        await WaitParkedAsync(1, "the Sweep loop before 02:00");
        Assert.Empty(_log.Runs);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForRunsAsync(1, "the 02:00 run on 1 March");
        await WaitParkedAsync(1, "the Sweep loop after its first run");
        _clock.AdvanceTo(Local(3, 2, 2));
        await WaitForRunsAsync(1, "the 02:00 run on 2 March");

        Assert.Equal([Local(3, 1, 2), Local(3, 2, 2)], _log.Of("Sweep"));
        Assert.All(_log.Runs, r => Assert.Equal(r.ScheduledAt, r.RanAt));
        await runner.StopAsync(CancellationToken.None);

        var state = new ScheduleStateStore(Records()).Get("Sweep")!;
        Assert.Equal(Local(3, 2, 2), state.Cursor);
        Assert.Null(state.InFlight);
        Assert.Equal("Succeeded", state.LastStatus);
    }

    [Fact]
    public async Task Runner_RestartAfterMissedOccurrences_CatchesUpOnceWithTheLatest()
    {
        await using (var first = DailySweep())
        {
            var runner = Runner(first);
            await runner.StartAsync(CancellationToken.None);
            await WaitParkedAsync(1, "the first runner");
            _clock.AdvanceTo(Local(3, 1, 2));
            await WaitForRunsAsync(1, "the 1 March run");
            await runner.StopAsync(CancellationToken.None);
        }

        // Down for three occurrences (2, 3 and 4 March at 02:00).
        _clock.AdvanceTo(Local(3, 4, 9, 30));
        await using var second = DailySweep();
        var restarted = Runner(second);
        await restarted.StartAsync(CancellationToken.None);
        await WaitForRunsAsync(1, "the catch-up run");
        await WaitParkedAsync(1, "the restarted runner after catch-up");

        Assert.Equal([Local(3, 1, 2), Local(3, 4, 2)], _log.Of("Sweep"));
        Assert.Equal(Local(3, 4, 9, 30), _log.Runs.Last().RanAt);

        _clock.AdvanceTo(Local(3, 5, 2));
        await WaitForRunsAsync(1, "the 5 March run");
        Assert.Equal([Local(3, 1, 2), Local(3, 4, 2), Local(3, 5, 2)], _log.Of("Sweep"));
        await restarted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runner_RestartWithNothingMissed_DoesNotRunTwice()
    {
        await using (var first = DailySweep())
        {
            var runner = Runner(first);
            await runner.StartAsync(CancellationToken.None);
            await WaitParkedAsync(1, "the first runner");
            _clock.AdvanceTo(Local(3, 1, 2));
            await WaitForRunsAsync(1, "the 1 March run");
            await WaitParkedAsync(1, "the first runner after its run");
            await runner.StopAsync(CancellationToken.None);
        }

        _clock.AdvanceTo(Local(3, 1, 2, 0, 30));
        await using var second = DailySweep();
        var restarted = Runner(second);
        await restarted.StartAsync(CancellationToken.None);
        await WaitParkedAsync(1, "the restarted runner");

        Assert.Equal([Local(3, 1, 2)], _log.Of("Sweep"));
        await restarted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runner_StoppedMidRun_RunsThatOccurrenceAgainOnRestart()
    {
        var settings = new Dictionary<string, string?> { ["Workflows:Schedules:Long"] = "0 0 2 * * *" };
        await using (var first = Build(settings, b => b.AddJob<BlockingJob>()))
        {
            var runner = Runner(first);
            await runner.StartAsync(CancellationToken.None);
            await WaitParkedAsync(1, "the Long loop");
            _clock.AdvanceTo(Local(3, 1, 2));
            await WaitForRunsAsync(1, "the interrupted run to start");
            await runner.StopAsync(CancellationToken.None);
        }

        Assert.Equal(Local(3, 1, 2), new ScheduleStateStore(Records()).Get("Long")!.InFlight);
        _clock.AdvanceTo(Local(3, 1, 3));
        await using var second = Build(settings, b => b.AddJob<BlockingJob>());
        var restarted = Runner(second);
        await restarted.StartAsync(CancellationToken.None);
        await WaitForRunsAsync(1, "the rerun of the interrupted occurrence");

        Assert.Equal([Local(3, 1, 2), Local(3, 1, 2)], _log.Of("Long"));
        await restarted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runner_OneJobThrows_OtherJobsKeepRunningAndFailureIsRecorded()
    {
        await using var provider = Build(
            new() { ["Workflows:Schedules:Sweep"] = "0 0 * * * *", ["Workflows:Schedules:Broken"] = "0 0 * * * *", ["Workflows:Schedules:MaxRetries"] = "0" },
            b => b.AddJob<RecordingJob>().AddJob<FailingJob>());
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        await WaitParkedAsync(2, "both job loops");

        _clock.AdvanceTo(Local(3, 1, 1));
        await WaitForRunsAsync(2, "both 01:00 runs");
        await WaitParkedAsync(2, "both loops after 01:00");
        _clock.AdvanceTo(Local(3, 1, 2));
        await WaitForRunsAsync(2, "both 02:00 runs");
        await WaitParkedAsync(2, "both loops after 02:00");
        await runner.StopAsync(CancellationToken.None);

        Assert.Equal([Local(3, 1, 1), Local(3, 1, 2)], _log.Of("Sweep"));
        Assert.Equal([Local(3, 1, 1), Local(3, 1, 2)], _log.Of("Broken"));
        var broken = new ScheduleStateStore(Records()).Get("Broken")!;
        Assert.Equal("Failed", broken.LastStatus);
        Assert.Equal("InvalidOperationException: assessment data missing", broken.LastError);
        Assert.Equal(Local(3, 1, 2), broken.Cursor);
    }

    [Fact]
    public async Task Runner_YearlyJobFailsTwice_RetriedAfterDoublingDelayThenSucceeds()
    {
        _log.FlakyFailures = 2;
        await using var provider = Build(
            new() { ["Workflows:Schedules:Flaky"] = "0 0 2 1 3 *", ["Workflows:Schedules:RetryDelay"] = "00:05:00" },
            b => b.AddJob<FlakyJob>());
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        await WaitParkedAsync(1, "the Flaky loop");

        _clock.AdvanceTo(Local(3, 1, 2));
        await WaitForRunsAsync(1, "the first (failing) run");
        await WaitParkedAsync(1, "the Flaky loop waiting to retry");
        var afterFirst = new ScheduleStateStore(Records()).Get("Flaky")!;
        Assert.Equal(("Failed", 1, Local(3, 1, 2, 5)), (afterFirst.LastStatus, afterFirst.Failures, afterFirst.RetryAt!.Value));
        Assert.Equal("IOException: report store unreachable", afterFirst.LastError);

        _clock.AdvanceTo(Local(3, 1, 2, 5));
        await WaitForRunsAsync(1, "the first retry (failing)");
        await WaitParkedAsync(1, "the Flaky loop waiting to retry again");
        Assert.Equal(Local(3, 1, 2, 15), new ScheduleStateStore(Records()).Get("Flaky")!.RetryAt);

        _clock.AdvanceTo(Local(3, 1, 2, 15));
        await WaitForRunsAsync(1, "the second retry (succeeding)");
        await WaitParkedAsync(1, "the Flaky loop after success");
        await runner.StopAsync(CancellationToken.None);

        Assert.Equal([Local(3, 1, 2), Local(3, 1, 2), Local(3, 1, 2)], _log.Of("Flaky"));
        Assert.Equal([Local(3, 1, 2), Local(3, 1, 2, 5), Local(3, 1, 2, 15)], _log.Runs.Select(r => r.RanAt));
        var done = new ScheduleStateStore(Records()).Get("Flaky")!;
        Assert.Equal(("Succeeded", 0, (DateTimeOffset?)null, (DateTimeOffset?)null, Local(3, 1, 2)), (done.LastStatus, done.Failures, done.RetryAt, done.InFlight, done.Cursor));
    }

    [Fact]
    public async Task Runner_FailsBeyondMaxRetries_GivesUpUntilNextOccurrence()
    {
        _log.FlakyFailures = 100;
        var settings = new Dictionary<string, string?> { ["Workflows:Schedules:Flaky"] = "0 0 2 * * *", ["Workflows:Schedules:MaxRetries"] = "1", ["Workflows:Schedules:RetryDelay"] = "00:10:00" };
        await using var provider = Build(settings, b => b.AddJob<FlakyJob>());
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        await WaitParkedAsync(1, "the Flaky loop");

        _clock.AdvanceTo(Local(3, 1, 2));
        await WaitForRunsAsync(1, "the failing run");
        await WaitParkedAsync(1, "the Flaky loop waiting to retry");
        _clock.AdvanceTo(Local(3, 1, 2, 10));
        await WaitForRunsAsync(1, "the failing retry");
        await WaitParkedAsync(1, "the Flaky loop after giving up");

        var state = new ScheduleStateStore(Records()).Get("Flaky")!;
        Assert.Equal(("Failed", (DateTimeOffset?)null, Local(3, 1, 2)), (state.LastStatus, state.InFlight, state.Cursor));
        _clock.AdvanceTo(Local(3, 2, 2));
        await WaitForRunsAsync(1, "the next day's run");
        await runner.StopAsync(CancellationToken.None);
        Assert.Equal([Local(3, 1, 2), Local(3, 1, 2), Local(3, 2, 2)], _log.Of("Flaky"));
    }

    [Fact]
    public void ScheduleOptions_Defaults()
    {
        var o = new ScheduleOptions();
        Assert.Equal(("Asia/Shanghai", 3, TimeSpan.FromMinutes(5)), (o.TimeZone, o.MaxRetries, o.RetryDelay));
    }

    [Fact]
    public async Task StartAsync_NegativeMaxRetries_FailsNamingTheSetting()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:Sweep"] = "0 0 2 * * *", ["Workflows:Schedules:MaxRetries"] = "-1" }, b => b.AddJob<RecordingJob>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Equal("'Workflows:Schedules:MaxRetries' must be 0 or more and 'Workflows:Schedules:RetryDelay' positive.", ex.Message);
    }

    [Fact]
    public async Task StartAsync_JobNamedLikeASetting_Fails()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:TimeZone"] = "UTC" }, b => b.Services.AddSingleton<IScheduledJob>(new NamedJob("TimeZone")));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Contains("is named 'TimeZone', which is a schedules setting", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_DefaultCronFromRegistration_UsedWhenSettingAbsentAndSettingWins()
    {
        await using var defaulted = Build([], b => b.AddJob<RecordingJob>("0 30 * * * *"));
        var runner = Runner(defaulted);
        await runner.StartAsync(CancellationToken.None);
        Assert.Equal("0 30 * * * *", runner.Runner.Entries.Single().Cron.Expression);
        Assert.Equal("Asia/Shanghai", runner.Runner.TimeZone.Id);
        await runner.StopAsync(CancellationToken.None);

        await using var overridden = Build(new() { ["Workflows:Schedules:Sweep"] = "0 0 3 * * *", ["Workflows:Schedules:TimeZone"] = "UTC" }, b => b.AddJob<RecordingJob>("0 30 * * * *"));
        var second = Runner(overridden);
        await second.StartAsync(CancellationToken.None);
        Assert.Equal("0 0 3 * * *", second.Runner.Entries.Single().Cron.Expression);
        Assert.Equal("UTC", second.Runner.TimeZone.Id);
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runner_DisabledSetting_JobNotScheduled()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:Sweep"] = "disabled" }, b => b.AddJob<RecordingJob>("0 30 * * * *"));
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        Assert.Empty(runner.Runner.Entries);
        await runner.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_BadCronInSettings_FailsNamingTheSettingAndField()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:Sweep"] = "0 0 25 * * *" }, b => b.AddJob<RecordingJob>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Equal("Setting 'Workflows:Schedules:Sweep': Cron expression '0 0 25 * * *': field 'hour' ('25') has value 25 outside 0-23.", ex.Message);
    }

    [Fact]
    public async Task StartAsync_JobWithoutSchedule_FailsNamingTheKey()
    {
        await using var provider = Build([], b => b.AddJob<RecordingJob>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Contains("Scheduled job 'Sweep' has no schedule: set 'Workflows:Schedules:Sweep'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DuplicateJobNames_Fails()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:Same"] = "0 0 2 * * *" }, b =>
        {
            b.Services.AddSingleton<IScheduledJob>(new NamedJob("Same"));
            b.Services.AddSingleton<IScheduledJob>(new NamedJob("Same"));
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Contains("Two scheduled jobs are named 'Same'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownTimeZone_FailsNamingTheSetting()
    {
        await using var provider = Build(new() { ["Workflows:Schedules:Sweep"] = "0 0 2 * * *", ["Workflows:Schedules:TimeZone"] = "Mars/Olympus" }, b => b.AddJob<RecordingJob>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(provider).StartAsync(CancellationToken.None));
        Assert.Contains("'Workflows:Schedules:TimeZone' = 'Mars/Olympus' is not a known time zone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatestDue_PerSecondCronAfterLongStop_ReturnsLastSecondQuickly()
    {
        await using var provider = DailySweep();
        var runner = Runner(provider);
        await runner.StartAsync(CancellationToken.None);
        var cron = CronSchedule.Parse("* * * * * *");
        var now = Local(6, 1, 12, 0, 0).AddMilliseconds(500);

        Assert.Equal(Local(6, 1, 12), runner.Runner.LatestDue(cron, Local(1, 1), now));
        Assert.Null(runner.Runner.LatestDue(cron, Local(6, 1, 12), now));
        Assert.Equal(Local(1, 1, 2), runner.Runner.LatestDue(CronSchedule.Parse("0 0 2 1 1 *"), Local(1, 1), now));
        await runner.StopAsync(CancellationToken.None);
    }
}
