using Microsoft.Data.Sqlite;
using Workflows.Durable.Client;

namespace Workflows.Durable.CrashWorkload;

/// <summary>The input of the "Step" activity: a ledger key and a number.</summary>
public sealed record StepInput(string Key, int Value);

/// <summary>
/// The workload the crash test runs in a child process. Each instance of "Main" (input n) does:
/// a = Step(n); a durable timer of 1–2 s; fan-out of three Steps (a+0, a+1, a+2) summed; a sub-orchestration
/// "Child" (Step(sum) doubled) with instance id "&lt;id&gt;-child"; an external event "Approve" (payload 7n) raised by the
/// crash test through a client (even instances before the first start, odd ones later, while no worker runs); finally z = Step(child + event), the output.
/// Step(v) = 3v + 1, and every Step writes its effect (key → result) into an idempotent ledger in a separate SQLite file.
/// </summary>
public static class CrashWorkload
{
    /// <summary>The orchestrator name of one workload instance.</summary>
    public const string MainName = "Main";

    /// <summary>The sub-orchestrator name.</summary>
    public const string ChildName = "Child";

    /// <summary>The activity name.</summary>
    public const string StepName = "Step";

    /// <summary>The external event the main orchestration waits for.</summary>
    public const string EventName = "Approve";

    /// <summary>The instance id of workload instance <paramref name="n"/>.</summary>
    public static string InstanceId(int n) => $"crash-{n:D4}";

    /// <summary>The payload of the event raised to instance <paramref name="n"/>.</summary>
    public static int EventPayload(int n) => 7 * n;

    /// <summary>The ledger file kept beside the durable database.</summary>
    public static string LedgerPath(string databasePath) => databasePath + ".ledger.db";

    /// <summary>Registers the orchestrators and the activity.</summary>
    public static void Register(DurableTaskRegistry registry, Ledger ledger)
    {
        registry.AddOrchestratorFunc<int, int>(MainName, async (ctx, n) =>
        {
            string id = ctx.InstanceId;
            int a = await ctx.CallActivityAsync<int>(StepName, new StepInput($"{id}/a", n));
            await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddSeconds(1 + (n % 2)), CancellationToken.None);
            int[] fan = await Task.WhenAll(Enumerable.Range(0, 3)
                .Select(k => ctx.CallActivityAsync<int>(StepName, new StepInput($"{id}/f{k}", a + k))));
            int child = await ctx.CallSubOrchestratorAsync<int>(ChildName, fan.Sum(), TaskOptions.WithInstanceId($"{id}-child"));
            int approval = await ctx.WaitForExternalEvent<int>(EventName);
            return await ctx.CallActivityAsync<int>(StepName, new StepInput($"{id}/z", child + approval));
        });
        registry.AddOrchestratorFunc<int, int>(ChildName, async (ctx, x) =>
        {
            int c = await ctx.CallActivityAsync<int>(StepName, new StepInput($"{ctx.InstanceId}/c", x));
            return 2 * c;
        });
        registry.AddActivityFunc<StepInput, int>(StepName, async (ctx, input) =>
        {
            int result = (3 * input.Value) + 1;
            await ledger.RecordAsync(input.Key, result);
            return result;
        });
    }

    /// <summary>
    /// Schedules instances 0..count-1 that do not exist yet (never an existing id: a finished one would be restarted).
    /// The crash test calls this through a client before the first worker starts.
    /// </summary>
    public static async Task ScheduleMissingAsync(DurableTaskClient client, int count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            string id = InstanceId(n);
            if (await client.GetInstanceAsync(id, cancellation: ct) is null)
            {
                await client.ScheduleNewOrchestrationInstanceAsync(MainName, n, new StartOrchestrationOptions(id), ct);
            }
        });
    }

    /// <summary>Raises the "Approve" event of instance <paramref name="n"/> unless it has completed.</summary>
    public static async Task RaiseAsync(DurableTaskClient client, int n, CancellationToken ct = default)
    {
        try
        {
            await client.RaiseEventAsync(InstanceId(n), EventName, EventPayload(n), ct);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("already Completed", StringComparison.Ordinal))
        {
            // It completed meanwhile (its event came earlier): nothing to raise.
        }
    }

    /// <summary>
    /// The child process: starts the worker on the file (recovering whatever the previous, killed, process left),
    /// prints READY, waits until instances 0..count-1 exist and have completed, prints DONE.
    /// </summary>
    /// <returns>0 when every instance completed; 2 when one failed.</returns>
    public static async Task<int> RunAsync(string databasePath, int count)
    {
        await using var ledger = await Ledger.OpenAsync(LedgerPath(databasePath));
        var options = new EmbeddedDurableTaskOptions { DatabasePath = databasePath, PollingInterval = TimeSpan.FromMilliseconds(200) };
        await using EmbeddedDurableTaskRuntime runtime = await EmbeddedDurableTaskRuntime.StartAsync(options, r => Register(r, ledger));
        Console.WriteLine($"READY {Environment.ProcessId}");
        DurableTaskClient client = runtime.Client;

        int failed = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        for (int n = 0; n < count; n++)
        {
            string id = InstanceId(n);
            while (await client.GetInstanceAsync(id, cancellation: timeout.Token) is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token); // scheduled by another process
            }

            OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id, cancellation: timeout.Token);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                failed++;
                Console.Error.WriteLine($"{done.InstanceId}: {done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
            }
        }

        Console.WriteLine($"DONE {failed}");
        await runtime.StopWorkerAsync();
        return failed == 0 ? 0 : 2;
    }
}

/// <summary>
/// The activity side effects: one row per activity key (INSERT OR IGNORE, so a re-run after a crash changes nothing),
/// plus an append-only count of executions (to show re-runs happened).
/// </summary>
public sealed class Ledger : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim gate = new(1, 1);

    private Ledger(SqliteConnection connection) => this.connection = connection;

    /// <summary>Opens (and creates) the ledger file in WAL mode with synchronous=FULL.</summary>
    public static async Task<Ledger> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;
            CREATE TABLE IF NOT EXISTS effects (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS executions (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, pid INTEGER NOT NULL);
            """;
        await cmd.ExecuteNonQueryAsync();
        return new Ledger(connection);
    }

    /// <summary>Records one execution and the effect of <paramref name="key"/> (once).</summary>
    public async Task RecordAsync(string key, int value)
    {
        await this.gate.WaitAsync();
        try
        {
            using SqliteTransaction tx = this.connection.BeginTransaction();
            using SqliteCommand cmd = this.connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT OR IGNORE INTO effects (key, value) VALUES ($k, $v); INSERT INTO executions (key, pid) VALUES ($k, $p);";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.Parameters.AddWithValue("$p", Environment.ProcessId);
            await cmd.ExecuteNonQueryAsync();
            tx.Commit();
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.connection.DisposeAsync();
        this.gate.Dispose();
    }
}
