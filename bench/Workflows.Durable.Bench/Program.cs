using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Durable.Bench;
using Workflows.Durable.Client;

// Usage: dotnet run -c Release --project bench/Workflows.Durable.Bench [--quick]
// Every figure uses synchronous=FULL (the runtime's default) on a fresh temp file, one process, one run.
bool quick = args.Contains("--quick");
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string root = Path.Combine(Path.GetTempPath(), "durable-bench-" + Path.GetRandomFileName());
Directory.CreateDirectory(root);
var results = new List<(string What, double Value, string Unit, double? Target)>();

Console.WriteLine($"nproc {Environment.ProcessorCount}; load average {Machine.LoadAverage()}; memory {Machine.MemoryTotal()}; .NET {Environment.Version}");

double ceilingFull = RawCommits(root, SqliteSynchronousMode.Full);
double ceilingNormal = RawCommits(root, SqliteSynchronousMode.Normal);
results.Add(("raw SQLite single-row commits/s, WAL, synchronous=FULL (the ceiling)", ceilingFull, "commits/s", null));
results.Add(("raw SQLite single-row commits/s, WAL, synchronous=NORMAL", ceilingNormal, "commits/s", null));

await using (var rt = await Runtime.StartAsync(root, "seq"))
{
    await Bench.SequentialAsync(rt, 100); // warm-up (JIT)
    int n = quick ? 1000 : 5000;
    double perSecond = await Bench.SequentialAsync(rt, n);
    results.Add(($"sequential activities in one instance ({n})", perSecond, "activities/s", 1000));
}

foreach (int n in new[] { 1000, 10_000 })
{
    await using var rt = await Runtime.StartAsync(root, "fan" + n);
    await Bench.FanOutAsync(rt, 100); // warm-up
    double perSecond = await Bench.FanOutAsync(rt, n);
    results.Add(($"fan-out/fan-in of {n:N0} activities", perSecond, "activities/s", 10_000));
}

await using (var rt = await Runtime.StartAsync(root, "events"))
{
    await Bench.EventsAsync(rt, 100); // warm-up
    int n = quick ? 1000 : 5000;
    double perSecond = await Bench.EventsAsync(rt, n);
    results.Add(($"external events into one instance ({n})", perSecond, "events/s", 3000));
}

await using (var rt = await Runtime.StartAsync(root, "many"))
{
    int batch = quick ? 2000 : 10_000;
    Bench.ManyResult first = await Bench.ManyInstancesAsync(rt, batch, 0);
    results.Add(($"{batch:N0} concurrent instances of a 5-step orchestration: instances completed/s", first.InstancesPerSecond, "instances/s", null));
    results.Add(("  … the same as activity steps/s", first.InstancesPerSecond * 5, "activities/s", null));
    results.Add(("  … start-to-completion latency p50", first.P50.TotalMilliseconds, "ms", null));
    results.Add(("  … start-to-completion latency p99", first.P99.TotalMilliseconds, "ms", null));
    results.Add(("  … peak managed memory (GC.GetTotalMemory, sampled)", first.PeakManagedBytes / 1048576.0, "MiB", null));
    results.Add(("  … peak working set (Process.PeakWorkingSet64)", Machine.PeakWorkingSetMiB(), "MiB", null));
    var memory = new List<string> { $"{batch:N0}: managed {Machine.ManagedMiB():0.0} MiB, working set {Machine.WorkingSetMiB():0.0} MiB" };
    Console.WriteLine($"memory after {memory[^1]}");
    for (int done = 2 * batch; done <= 4 * batch; done += batch)
    {
        await Bench.ManyInstancesAsync(rt, batch, done - batch);
        memory.Add($"{done:N0}: managed {Machine.ManagedMiB():0.0} MiB, working set {Machine.WorkingSetMiB():0.0} MiB");
        Console.WriteLine($"memory after {memory[^1]}");
    }

    results.Add(("memory as completed instances accumulate — " + string.Join("; ", memory), double.NaN, string.Empty, null));
}

Console.WriteLine();
Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| measurement | value | unit | fraction of the FULL commit ceiling | target | met |");
Console.WriteLine("|---|---:|---|---:|---:|---|");
foreach ((string what, double value, string unit, double? target) in results)
{
    if (double.IsNaN(value))
    {
        Console.WriteLine($"| {what} | | | | flat | |");
        continue;
    }

    bool rate = unit.EndsWith("/s", StringComparison.Ordinal);
    string fraction = rate ? (value / ceilingFull).ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;
    string met = target is null ? string.Empty : value >= target ? "yes" : "NO";
    Console.WriteLine($"| {what} | {value:N0} | {unit} | {fraction} | {(target is null ? string.Empty : target.Value.ToString("N0", CultureInfo.InvariantCulture))} | {met} |");
}

try
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}
catch (IOException)
{
    // temp files; best effort
}

static double RawCommits(string root, SqliteSynchronousMode mode)
{
    string path = Path.Combine(root, "raw-" + mode + ".db");
    using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
    {
        connection.Open();
        using (SqliteCommand setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(mode == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")}; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES ($v)";
        SqliteParameter v = insert.Parameters.Add("$v", SqliteType.Text);
        insert.Prepare();
        var clock = Stopwatch.StartNew();
        int commits = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            v.Value = "row " + commits;
            insert.ExecuteNonQuery(); // autocommit: one transaction, one WAL commit per row
            commits++;
        }

        double perSecond = commits / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"raw commits synchronous={mode}: {perSecond:N0}/s");
        connection.Close();
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        return perSecond;
    }
}
