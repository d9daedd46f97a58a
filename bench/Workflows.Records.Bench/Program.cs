using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;

// Replicated records against a local records.db, in one process and one run, so the ratios hold on a noisy machine.
// Each write is one transaction of two statements (a row and a counter, like a state change and its audit entry).
// Usage: [--tables <connection string>] [--writes N]. Without --tables only the in-memory log is measured.
string? tables = null;
var writes = 2_000;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--tables": tables = args[++i]; break;
        case "--writes": writes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown argument {args[i]}; use --tables <connection string> and --writes N.");
    }
}

var folder = Directory.CreateTempSubdirectory("records-bench-").FullName;
var piece = new RecordsSchema("bench", "CREATE TABLE IF NOT EXISTS bench_items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL); CREATE TABLE IF NOT EXISTS bench_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);");
var body = new string('x', 400); // about the size of an audit entry with its details
var results = new List<(string What, double Value, string Unit)>();
var run = 0;

ProgrammeRecords Local() => new(Path.Combine(folder, $"local-{run++}.db"), modules: [], schemas: [piece]);

ProgrammeRecords Replicated(ITableStore log, string name, int snapshotEvery = 500) =>
    new(new RecordsReplica(log, Path.Combine(folder, $"{name}-{run++}", "records.db"), new RecordsReplicaOptions { InstanceId = name, SnapshotEvery = snapshotEvery }), modules: [], schemas: [piece]);

static int Write(ProgrammeRecords records, string name, string body) => records.Transaction((c, t) =>
{
    Db.Execute(c, t, "INSERT INTO bench_items (name, body) VALUES ($n, $b);", ("$n", name), ("$b", body));
    return Db.Execute(c, t, "INSERT INTO bench_counters (name, value) VALUES ('writes', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1;");
});

static long Count(ProgrammeRecords records) => records.Read(c => (long)Db.Scalar(c, null, "SELECT value FROM bench_counters WHERE name = 'writes';")!);

double WritesPerSecond(ProgrammeRecords records, string label, int count)
{
    Write(records, label + "-warm", body);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        Write(records, $"{label}-{i}", body);
    }

    var rate = count / clock.Elapsed.TotalSeconds;
    if (Count(records) != count + 1)
    {
        throw new InvalidOperationException($"{label}: expected {count + 1} writes, found {Count(records)}.");
    }

    return rate;
}

double ReadsPerSecond(ProgrammeRecords records, int count)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        Count(records);
    }

    return count / clock.Elapsed.TotalSeconds;
}

async Task Scenario(string store, Func<ITableStore> newLog, int count)
{
    var local = Local();
    var localRate = WritesPerSecond(local, "local", count);
    var localReads = ReadsPerSecond(local, count);

    var log = newLog();
    var a = Replicated(log, store + "-a");
    var replicatedRate = WritesPerSecond(a, store, count);
    var replicatedReads = ReadsPerSecond(a, count);
    results.Add(($"local records.db: writes/s", localRate, "/s"));
    results.Add(($"{store} log: writes/s (one instance)", replicatedRate, $"/s ({replicatedRate / localRate:P1} of local)"));
    results.Add(($"local records.db: reads/s", localReads, "/s"));
    results.Add(($"{store} log: reads/s, nothing new in the log", replicatedReads, $"/s ({replicatedReads / localReads:P1} of local)"));

    // Two instances writing at once on one log: every write lands once, losers retry.
    var b = Replicated(log, store + "-b");
    var runs = 0;
    var perInstance = Math.Max(50, count / 4);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(
        Task.Run(() => Contend(a, "a")),
        Task.Run(() => Contend(b, "b")));
    var contended = 2 * perInstance / clock.Elapsed.TotalSeconds;
    void Contend(ProgrammeRecords records, string who)
    {
        for (var i = 0; i < perInstance; i++)
        {
            records.Transaction((c, t) =>
            {
                Interlocked.Increment(ref runs);
                Db.Execute(c, t, "INSERT INTO bench_items (name, body) VALUES ($n, $b);", ("$n", $"{who}-{i}"), ("$b", body));
                return Db.Execute(c, t, "UPDATE bench_counters SET value = value + 1 WHERE name = 'writes';");
            });
        }
    }

    if (Count(a) != count + 1 + (2 * perInstance) || Count(b) != Count(a))
    {
        throw new InvalidOperationException($"{store}: two instances lost updates ({Count(a)} / {Count(b)}).");
    }

    results.Add(($"{store} log: writes/s, two instances at once", contended, $"/s (work ran {runs / (2.0 * perInstance):F2}× per write)"));

    // A new instance: newest snapshot plus the entries after it.
    var rebuild = Stopwatch.StartNew();
    var fresh = Replicated(log, store + "-fresh");
    var rows = Count(fresh);
    results.Add(($"{store} log: new instance ready ({rows:N0} writes in the log)", rebuild.Elapsed.TotalMilliseconds, "ms"));

    // One large transaction: 10,000 rows (a big notice or batch).
    var big = Stopwatch.StartNew();
    a.Transaction((c, t) =>
    {
        for (var i = 0; i < 10_000; i++)
        {
            Db.Execute(c, t, "INSERT INTO bench_items (name, body) VALUES ($n, $b);", ("$n", $"big-{i}"), ("$b", body));
        }

        return 0;
    });
    results.Add(($"{store} log: one transaction of 10,000 rows", big.Elapsed.TotalMilliseconds, "ms"));
    await b.Replica!.RefreshAsync();
    foreach (var r in new[] { a, b, fresh })
    {
        r.Replica!.Dispose();
    }
}

Console.WriteLine($"records bench: {writes:N0} writes per scenario, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {File.ReadAllText("/proc/loadavg").Trim()}");
await Scenario("in-memory", () => new InMemoryTableStore(), writes);
if (tables is not null)
{
    await Scenario("Azurite", () =>
    {
        var store = RestTableStore.FromConnectionString(tables, "bench" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));
        store.CreateTableIfNotExistsAsync().GetAwaiter().GetResult();
        return store;
    }, writes);
}

foreach (var (what, value, unit) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-62} {value,12:N0} {unit}"));
}

SqliteConnection.ClearAllPools();
Directory.Delete(folder, recursive: true);
