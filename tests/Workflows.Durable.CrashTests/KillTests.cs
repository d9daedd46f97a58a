using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Durable.Client;
using Workflows.Tests.Shared;
using Xunit.Abstractions;
using Workload = Workflows.Durable.CrashWorkload.CrashWorkload;

namespace Workflows.Durable.CrashTests;

/// <summary>
/// The durable runtime survives SIGKILL at any moment: a real child process runs 300 instances (activities, a durable
/// timer, fan-out/fan-in, a sub-orchestration, an external event) and is killed many times at random moments and
/// restarted on the same SQLite file; at the end every instance has its expected output, every history is a valid
/// run with each step once, and every activity effect is in the ledger exactly once.
/// </summary>
public sealed class KillTests : IDisposable
{
    private const int Instances = 300;
    private const int Kills = 15;

    private readonly ITestOutputHelper output;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "durable-crash-" + Path.GetRandomFileName());

    public KillTests(ITestOutputHelper output)
    {
        this.output = output;
        Directory.CreateDirectory(this.directory);
    }

    private string DatabasePath => Path.Combine(this.directory, "durable.db");

    [Fact]
    public async Task Workload_KilledAtRandomMomentsAndRestarted_EveryInstanceCompletesWithEachStepOnceAndNoEffectLost()
    {
        // CRASH_SEED=<n> reproduces one run's kill moments.
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)
            ? s
            : Environment.TickCount;
        var random = new Random(seed);
        var log = new List<string> { $"seed {seed} (set CRASH_SEED={seed} to repeat)" };
        int killedWhileRunning = 0;
        int effectsSoFar = 0;

        // All instances exist before the first worker starts; even ones get their event now (buffered until the wait).
        await this.WithClientAsync(async client =>
        {
            await Workload.ScheduleMissingAsync(client, Instances);
            foreach (int n in Enumerable.Range(0, Instances).Where(n => n % 2 == 0))
            {
                await Workload.RaiseAsync(client, n);
            }
        });

        bool oddRaised = false;
        int Effects() => ReadLedger(Workload.LedgerPath(this.DatabasePath)).Effects.Count;
        for (int i = 0; i < Kills; i++)
        {
            if (!oddRaised && i == Kills / 3)
            {
                await this.RaiseOddEventsAsync();
                oddRaised = true;
            }

            using CapturedChildProcess child = ChildProcess.Start(this.DatabasePath, Instances);
            await child.WaitReadyAsync(TimeSpan.FromSeconds(60));
            var sinceReady = System.Diagnostics.Stopwatch.StartNew();

            // The kill moment is drawn in units of progress, not time, so the test means the same on a busy machine and
            // an idle one: the child dies after a random 5–60 new activity effects — mid-episode, mid-commit or mid-activity,
            // wherever the run happens to be then. A run that cannot progress (before the odd instances' events are raised a
            // fast run may have done every step that does not need them) is killed after a bounded wait.
            int before = effectsSoFar;
            int target = before + random.Next(5, 61);
            await TryWaitUntilAsync(() => child.HasExited || Effects() >= target, TimeSpan.FromSeconds(10));
            bool alive = !child.HasExited && Effects() < Instances * 6;
            child.Kill();
            effectsSoFar = Effects();
            bool progressed = effectsSoFar > before;
            killedWhileRunning += alive && progressed ? 1 : 0;
            log.Add($"run {i + 1}: pid {child.Id}, killed {sinceReady.ElapsedMilliseconds} ms after READY (target {target - before} new effects)"
                + $"{(alive ? string.Empty : " (had already exited)")}{(progressed ? string.Empty : " (no progress possible)")}; activity effects so far {effectsSoFar}/{Instances * 6}");

            if (!progressed && !oddRaised)
            {
                await this.RaiseOddEventsAsync();
                oddRaised = true;
            }
        }

        if (!oddRaised)
        {
            await this.RaiseOddEventsAsync();
        }

        using (CapturedChildProcess last = ChildProcess.Start(this.DatabasePath, Instances))
        {
            int exit = await last.WaitForExitAsync(TimeSpan.FromSeconds(120));
            log.Add($"final run: pid {last.Id}, exit {exit}");
            Assert.True(exit == 0, $"{string.Join('\n', log)}\nThe final run of the workload exited with {exit}. Output:\n{last.Output}");
        }

        string header = string.Join('\n', log);
        this.output.WriteLine(header);
        Assert.True(killedWhileRunning >= 5, $"{header}\nOnly {killedWhileRunning} of {Kills} kills hit a running workload with work left; the test proved too little.");

        var problems = new List<string>();
        var expectedEffects = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (EmbeddedDurableTaskRuntime reader = EmbeddedDurableTaskRuntime.OpenClientOnly(new EmbeddedDurableTaskOptions { DatabasePath = this.DatabasePath }))
        {
            for (int n = 0; n < Instances; n++)
            {
                await CheckInstanceAsync(reader.Client, n, problems, expectedEffects);
            }
        }

        (Dictionary<string, int> effects, int executions) = ReadLedger(Workload.LedgerPath(this.DatabasePath));
        foreach ((string key, int value) in expectedEffects)
        {
            if (!effects.TryGetValue(key, out int recorded))
            {
                problems.Add($"ledger: the effect of activity {key} is missing (its result {value} is in the history)");
            }
            else if (recorded != value)
            {
                problems.Add($"ledger: activity {key} recorded {recorded}, its history result is {value}");
            }
        }

        problems.AddRange(effects.Keys.Where(k => !expectedEffects.ContainsKey(k)).Select(k => $"ledger: effect {k} belongs to no scheduled activity"));
        this.output.WriteLine($"{effects.Count} effects, {executions} activity executions ({executions - effects.Count} re-runs after kills)");
        Assert.True(problems.Count == 0, $"{header}\n{problems.Count} problems:\n{string.Join('\n', problems.Take(30))}");
        Assert.Equal(Instances * 6, effects.Count);
    }

    [Fact]
    public async Task SecondProcess_WhileWorkerAlive_WorkerRefusedNamingOwnerAndClientCooperates()
    {
        // The child waits for instance 0, which only this (second) process schedules.
        using CapturedChildProcess child = ChildProcess.Start(this.DatabasePath, 1);
        await child.WaitReadyAsync(TimeSpan.FromSeconds(60));

        var options = new EmbeddedDurableTaskOptions { DatabasePath = this.DatabasePath };
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => EmbeddedDurableTaskRuntime.StartAsync(options, r => r.AddOrchestratorFunc<int, int>(Workload.MainName, (_, n) => n)));
        Assert.Contains(child.Id.ToString(CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.False(child.HasExited, "the first worker keeps running while a second one is refused");

        // A client next to the live worker cooperates: what it schedules and raises, the child's worker runs.
        await using EmbeddedDurableTaskRuntime clientOnly = EmbeddedDurableTaskRuntime.OpenClientOnly(options);
        string id = Workload.InstanceId(0);
        await clientOnly.Client.ScheduleNewOrchestrationInstanceAsync(Workload.MainName, 0, new StartOrchestrationOptions(id));
        await Workload.RaiseAsync(clientOnly.Client, 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done;
        try
        {
            done = await clientOnly.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Waited 60 s for the child's worker to complete {id}, scheduled by a second process. Child output:\n{child.Output}");
        }

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(ExpectedOutput(0), done.ReadOutputAs<int>());
        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(this.directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static async Task<bool> TryWaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Odd instances get their event between two runs, while no worker is alive (most already wait for it).</summary>
    private Task RaiseOddEventsAsync() => this.WithClientAsync(async client =>
    {
        foreach (int n in Enumerable.Range(0, Instances).Where(n => n % 2 == 1))
        {
            await Workload.RaiseAsync(client, n);
        }
    });

    private async Task WithClientAsync(Func<DurableTaskClient, Task> action)
    {
        await using EmbeddedDurableTaskRuntime clientOnly = EmbeddedDurableTaskRuntime.OpenClientOnly(new EmbeddedDurableTaskOptions { DatabasePath = this.DatabasePath });
        await action(clientOnly.Client);
    }

    /// <summary>The output of instance n, from the workload's definition (Step(v) = 3v + 1).</summary>
    private static int ExpectedOutput(int n)
    {
        static int Step(int v) => (3 * v) + 1;
        int a = Step(n);
        int sum = Step(a) + Step(a + 1) + Step(a + 2);
        int child = 2 * Step(sum);
        return Step(child + (7 * n));
    }

    private static async Task CheckInstanceAsync(DurableTaskClient client, int n, List<string> problems, Dictionary<string, int> effects)
    {
        string id = Workload.InstanceId(n);
        OrchestrationMetadata? meta = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
        if (meta is null || meta.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            problems.Add($"{id}: {(meta is null ? "missing" : meta.RuntimeStatus + " " + meta.FailureDetails?.ErrorMessage)}");
            return;
        }

        if (meta.ReadOutputAs<int>() != ExpectedOutput(n))
        {
            problems.Add($"{id}: output {meta.SerializedOutput}, expected {ExpectedOutput(n)}");
        }

        await CheckHistoryAsync(client, id, activities: 5, timers: 1, subOrchestrations: 1, problems, effects);
        await CheckHistoryAsync(client, id + "-child", activities: 1, timers: 0, subOrchestrations: 0, problems, effects);
    }

    /// <summary>
    /// A history is one valid run: one start, one completion, every scheduled task id scheduled once, completed once,
    /// and every activity result equal to Step(input).
    /// </summary>
    private static async Task CheckHistoryAsync(
        DurableTaskClient client, string id, int activities, int timers, int subOrchestrations, List<string> problems, Dictionary<string, int> effects)
    {
        IReadOnlyList<OrchestrationHistoryEvent>? history = await client.GetInstanceHistoryAsync(id);
        if (history is null)
        {
            problems.Add($"{id}: no history");
            return;
        }

        int Count(string type) => history.Count(e => e.EventType == type);
        Expect(Count("ExecutionStarted") == 1, $"{Count("ExecutionStarted")} ExecutionStarted events");
        Expect(Count("ExecutionCompleted") == 1, $"{Count("ExecutionCompleted")} ExecutionCompleted events");
        Expect(Count("TaskScheduled") == activities, $"{Count("TaskScheduled")} TaskScheduled events, expected {activities}");
        Expect(Count("TimerCreated") == timers, $"{Count("TimerCreated")} TimerCreated events, expected {timers}");
        Expect(Count("SubOrchestrationInstanceCreated") == subOrchestrations, $"{Count("SubOrchestrationInstanceCreated")} sub-orchestrations created, expected {subOrchestrations}");
        Expect(Count("TaskFailed") + Count("SubOrchestrationInstanceFailed") == 0, "a failed task");

        var scheduled = history.Where(e => e.EventType is "TaskScheduled" or "TimerCreated" or "SubOrchestrationInstanceCreated").ToList();
        foreach (var group in scheduled.GroupBy(e => e.TaskId).Where(g => g.Count() > 1))
        {
            problems.Add($"{id}: task id {group.Key} scheduled {group.Count()} times");
        }

        var completions = history.Where(e => e.EventType is "TaskCompleted" or "TimerFired" or "SubOrchestrationInstanceCompleted").ToList();
        foreach (OrchestrationHistoryEvent task in scheduled)
        {
            var done = completions.Where(c => c.TaskScheduledId == task.TaskId).ToList();
            if (done.Count != 1)
            {
                problems.Add($"{id}: {task.EventType} {task.TaskId} has {done.Count} completions");
                continue;
            }

            if (task.EventType == "TaskScheduled")
            {
                JsonElement input = JsonDocument.Parse(task.Input!).RootElement;
                string key = input.GetProperty("key").GetString()!;
                int expected = (3 * input.GetProperty("value").GetInt32()) + 1;
                int result = int.Parse(done[0].Result!, CultureInfo.InvariantCulture);
                Expect(result == expected, $"activity {key} result {result}, expected {expected}");
                Expect(effects.TryAdd(key, result), $"activity key {key} scheduled twice");
            }
        }

        foreach (OrchestrationHistoryEvent orphan in completions.Where(c => !scheduled.Any(t => t.TaskId == c.TaskScheduledId)))
        {
            problems.Add($"{id}: {orphan.EventType} for task {orphan.TaskScheduledId} that was never scheduled");
        }

        void Expect(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add($"{id}: {problem}");
            }
        }
    }

    private static (Dictionary<string, int> Effects, int Executions) ReadLedger(string path)
    {
        if (!File.Exists(path))
        {
            return ([], 0); // no activity has run yet
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var effects = new Dictionary<string, int>(StringComparer.Ordinal);
        using (SqliteCommand cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT key, value FROM effects";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                effects.Add(r.GetString(0), r.GetInt32(1));
            }
        }

        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM executions";
        return (effects, Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture));
    }
}
