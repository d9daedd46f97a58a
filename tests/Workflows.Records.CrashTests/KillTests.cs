using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;
using Workflows.Programmes.Tests.RecordsTables;
using Xunit.Abstractions;
using Workload = Workflows.Records.CrashWorkload.RecordsWorkload;

namespace Workflows.Records.CrashTests;

/// <summary>
/// Replicated records lose nothing when a process is killed: real child processes write numbered rows through a
/// <see cref="RecordsReplica"/> over Azurite's Table service and are killed with SIGKILL at random moments (in start-up,
/// mid-transaction, between the log append and the local commit, mid-snapshot — wherever the run is) and restarted on the
/// same local copy, or on a deleted or damaged one. Afterwards every write a run reported as committed is in the records,
/// each writer's numbers have no gap and no duplicate, and a replica built only from the log holds exactly the same rows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KillTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(120);

    private readonly AzuriteFixture azurite;
    private readonly ITestOutputHelper output;
    private readonly string directory = Directory.CreateTempSubdirectory("records-crash-").FullName;

    static KillTests()
    {
        // The kill loops wait on child output, which the runtime delivers on pool threads; on 2 loaded cores a starved pool
        // reacts a second late and a kill meant for "after 5 commits" lands after 200. More threads from the start avoid that.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }

    public KillTests(AzuriteFixture azurite, ITestOutputHelper output)
    {
        this.azurite = azurite;
        this.output = output;
    }

    [Fact]
    public async Task TwoWriters_KilledAtRandomMomentsAndRestartedOnTheirCopies_NoCommittedWriteLostNoGapCopiesEqualTheLog()
    {
        const int Count = 300;
        // CRASH_SEED=<n> repeats one run's kill moments (as far as timing allows).
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)
            ? s
            : Environment.TickCount;
        string table = await this.NewTableAsync("crash");
        string[] writers = ["w1", "w2"];

        // Both writers run at once on the same log, each with its own kill loop; the kills of one land while the other writes.
        WriterHistory[] histories = await Task.WhenAll(writers.Select((w, i) => this.KillLoopAsync(table, w, Count, new Random(seed + i))));
        int killed = histories.Sum(h => h.Runs.Count(r => r.Killed));
        string log = $"seed {seed} (set CRASH_SEED={seed} to repeat); {killed} kills of a running writer\n" + string.Join('\n', histories.Select(h => h.Describe()));
        this.output.WriteLine(log);
        Assert.True(killed >= 8, $"{log}\nOnly {killed} kills hit a running writer (the writers finished early); the test proved too little.");

        // Each copy was left where its last run stopped; one more run per writer (its count already reached) catches it up.
        foreach (string writer in writers)
        {
            using var catchUp = WorkloadProcess.Start(this.azurite.ConnectionString, table, this.LocalPath(writer), writer, Count);
            Assert.True(await catchUp.WaitForExitAsync(FinishTimeout) == 0, $"{log}\nThe catch-up run of {writer} failed:\n{catchUp.Output}");
            Assert.True(catchUp.CommittedCount == 0, $"{log}\nThe catch-up run of {writer} wrote again after the count was reached:\n{catchUp.Output}");
            Assert.True(catchUp.Lines("log Warning").Count == 0, $"{log}\nThe catch-up run of {writer} found its copy disagreeing with the log:\n{catchUp.Output}");
        }

        var problems = new List<string>();
        foreach (WriterHistory history in histories)
        {
            problems.AddRange(history.Problems());
        }

        Contents fromLog = await this.ReadFreshReplicaAsync(table);
        foreach (string writer in writers)
        {
            CheckWriter(fromLog, writer, Count, histories.Single(h => h.Writer == writer).AllCommitted, problems);
            Contents copy = ReadCopy(this.LocalPath(writer));
            if (copy.Describe() != fromLog.Describe())
            {
                problems.Add($"{writer}'s local copy differs from a replica built from the log:\ncopy: {copy.Describe()}\nlog:  {fromLog.Describe()}");
            }
        }

        Assert.True(problems.Count == 0, $"{log}\n{problems.Count} problems:\n{string.Join('\n', problems.Take(30))}");
        Assert.Equal(2 * Count, fromLog.Rows.Count);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("damaged")]
    public async Task Writer_KilledAndLocalCopyLost_RestartRebuildsFromTheLogEvenWhenKilledMidRebuildAndContinuesWithoutGap(string loss)
    {
        const int Count = 100;
        const string Writer = "solo";
        string table = await this.NewTableAsync("crashlost");
        string path = this.LocalPath(Writer);
        var random = new Random();

        // Past the first automatic snapshot (every 40 positions), so the rebuild restores a snapshot and replays after it.
        IReadOnlyList<long> first;
        using (var run = WorkloadProcess.Start(this.azurite.ConnectionString, table, path, Writer, Count))
        {
            await run.WaitReadyAsync(StartTimeout);
            await run.WaitCommittedOrExitAsync(random.Next(45, 71), ProgressTimeout);
            Assert.False(run.HasExited, $"The workload exited before it was killed:\n{run.Output}");
            run.Kill();
            first = run.Committed;
        }

        Assert.True(File.Exists(path), $"the first run left no local copy at {path}");
        if (loss == "deleted")
        {
            foreach (string suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
            {
                File.Delete(path + suffix);
            }
        }
        else
        {
            // Garbage in place of the whole file, and its -wal gone: SQLite no longer recognises it as a database. (Garbage over
            // the header alone is not damage while the -wal holds page 1: SQLite reads that page from the -wal.)
            long length = new FileInfo(path).Length;
            await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0xA5, (int)Math.Max(length, 4096)).ToArray());
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
        }

        // The next run is killed again a random 0–300 ms after 'ready': often in the middle of the rebuild (restoring the
        // snapshot, replaying the entries after it), sometimes just after. The run after it must still finish the job.
        IReadOnlyList<long> second;
        string secondOutput;
        string secondHow;
        using (var run = WorkloadProcess.Start(this.azurite.ConnectionString, table, path, Writer, Count))
        {
            await run.WaitReadyAsync(StartTimeout);
            await Task.Delay(random.Next(0, 301));
            bool alive = await run.KillAsync(FinishTimeout);
            Assert.True(alive, $"The run after the local copy was {loss} exited before it was killed:\n{run.Output}");
            second = run.Committed;
            secondOutput = run.Output;
            secondHow = run.Lines("log Information: Rebuilt").Count > 0 ? "reported rebuilding the copy, then was killed" : "was killed before it reported a rebuild";
        }

        // Killed after restoring the snapshot but before its log line, the second run leaves a valid copy and the third
        // rightly does not rebuild: then the file must be a database again (it was deleted, or garbage).
        bool restoredBeforeKill = IsSqliteDatabase(path);

        using var third = WorkloadProcess.Start(this.azurite.ConnectionString, table, path, Writer, Count);
        int exit = await third.WaitForExitAsync(FinishTimeout);
        string history = $"first run committed {Range(first)}; the copy was {loss}; the second run {secondHow} and committed {Range(second)}; the third committed {Range(third.Committed)}";
        this.output.WriteLine(history);
        Assert.True(exit == 0, $"{history}\nThe last run exited with {exit}:\n{third.Output}");
        bool rebuildReported = (secondOutput + "\n" + third.Output).Split('\n')
            .Any(l => l.StartsWith("log Information: Rebuilt the local records copy", StringComparison.Ordinal) && l.Contains("from the snapshot at", StringComparison.Ordinal));
        Assert.True(
            rebuildReported || restoredBeforeKill,
            $"{history}\nNo run after the local copy was {loss} reported rebuilding it from a snapshot, and the killed run had not restored it:\n{secondOutput}\n--- third run ---\n{third.Output}");
        long before = first.Concat(second).Max();
        Assert.True(third.Committed.Count > 0 && third.Committed[0] > before, $"{history}\nThe last run did not continue after the writes committed before it.");

        var problems = new List<string>();
        Contents fromLog = await this.ReadFreshReplicaAsync(table);
        CheckWriter(fromLog, Writer, Count, [.. first, .. second, .. third.Committed], problems);
        Contents copy = ReadCopy(path);
        if (copy.Describe() != fromLog.Describe())
        {
            problems.Add($"the rebuilt local copy differs from a replica built from the log:\ncopy: {copy.Describe()}\nlog:  {fromLog.Describe()}");
        }

        Assert.True(problems.Count == 0, $"{history}\n{string.Join('\n', problems)}");
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

    private string LocalPath(string name) => Path.Combine(this.directory, name, "records.db");

    private async Task<string> NewTableAsync(string prefix)
    {
        using RestTableStore store = await this.azurite.NewTableAsync(prefix);
        return store.TableName;
    }

    /// <summary>Kills one writer 5–8 times at random moments, restarting it on the same local copy, then lets it finish.</summary>
    private async Task<WriterHistory> KillLoopAsync(string table, string writer, int count, Random random)
    {
        var history = new WriterHistory(writer);
        int kills = random.Next(5, 9);
        string path = this.LocalPath(writer);
        for (int i = 0; i < kills; i++)
        {
            using var run = WorkloadProcess.Start(this.azurite.ConnectionString, table, path, writer, count);
            await run.WaitReadyAsync(StartTimeout);
            var sinceReady = System.Diagnostics.Stopwatch.StartNew();

            // The moment is drawn in units of progress, so it means the same on a busy machine and an idle one: after 0–20 new
            // commits (0: in start-up, while the copy is opened, caught up or rebuilt), then at once or a few milliseconds later
            // (somewhere in the next writes: the work, the append, the local commit, a snapshot). 8 × 20 leaves room in count
            // for a loaded machine reacting late; a run that finishes before its kill ends the loop (the test then counts the kills).
            int target = random.Next(0, 21);
            await run.WaitCommittedOrExitAsync(target, ProgressTimeout);
            if (random.Next(2) == 0)
            {
                await Task.Delay(random.Next(1, 20));
            }

            bool alive = await run.KillAsync(FinishTimeout);
            bool finished = !alive && run.Lines("done ").Count > 0;
            history.Runs.Add(new RunRecord(
                run.Id,
                alive ? $"killed {sinceReady.ElapsedMilliseconds} ms after ready (target {target} commits)" : $"exited before the kill (target {target} commits)",
                alive || finished,
                alive,
                run.Committed,
                run.Output));
            if (finished)
            {
                return history;
            }
        }

        using var last = WorkloadProcess.Start(this.azurite.ConnectionString, table, path, writer, count);
        int exit = await last.WaitForExitAsync(FinishTimeout);
        history.Runs.Add(new RunRecord(last.Id, $"final run, exit {exit}", exit == 0, false, last.Committed, last.Output));
        return history;
    }

    /// <summary>A replica built only from the log, on a new local path, read through <see cref="ProgrammeRecords.ReadAsync{T}"/>.</summary>
    private async Task<Contents> ReadFreshReplicaAsync(string table)
    {
        using RestTableStore store = RestTableStore.FromConnectionString(this.azurite.ConnectionString, table);
        string path = Path.Combine(this.directory, "fresh-" + Path.GetRandomFileName(), "records.db");
        using var replica = new RecordsReplica(store, path, new RecordsReplicaOptions { InstanceId = "check", ReadOnly = true });
        var records = new ProgrammeRecords(replica, modules: [], schemas: [Workload.Schema]);
        Contents contents = await records.ReadAsync(connection => Task.FromResult(Read(connection, replica.AppliedSequence)));
        Assert.True(contents.Applied == ReadCopy(path).Applied, "the fresh replica's position and its file's replica state agree");
        return contents;
    }

    /// <summary>Reads a local copy as its process left it (plain SQLite, read-only).</summary>
    private static Contents ReadCopy(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand state = connection.CreateCommand();
        state.CommandText = "SELECT applied_seq FROM replica_state WHERE id = 1;";
        return Read(connection, Convert.ToInt64(state.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    private static Contents Read(SqliteConnection connection, long applied)
    {
        var rows = new List<(long Id, string Writer, long N)>();
        using (SqliteCommand cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT id, writer, n FROM {Workload.RowsTable} ORDER BY id;";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2)));
            }
        }

        var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using (SqliteCommand cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT writer, count FROM {Workload.CountersTable};";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                counters.Add(r.GetString(0), r.GetInt64(1));
            }
        }

        return new Contents(applied, rows, counters);
    }

    /// <summary>The writer's rows are exactly 1..count, its counter is count, and every number a run printed is there.</summary>
    private static void CheckWriter(Contents contents, string writer, int count, IReadOnlyList<long> printed, List<string> problems)
    {
        var ns = contents.Rows.Where(r => r.Writer == writer).Select(r => r.N).ToList();
        var present = ns.ToHashSet();
        var missing = Enumerable.Range(1, count).Select(n => (long)n).Where(n => !present.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{writer}: {missing.Count} numbers missing (gaps): {string.Join(", ", missing.Take(20))}");
        }

        foreach (var group in ns.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            problems.Add($"{writer}: n = {group.Key} is stored {group.Count()} times");
        }

        problems.AddRange(ns.Where(n => n < 1 || n > count).Select(n => $"{writer}: n = {n} is outside 1..{count}"));
        problems.AddRange(printed.Where(n => !present.Contains(n)).Select(n => $"{writer}: n = {n} was printed as committed but is not in the records (a lost write)"));
        if (!contents.Counters.TryGetValue(writer, out long counter) || counter != ns.Count)
        {
            problems.Add($"{writer}: the counter row says {(contents.Counters.TryGetValue(writer, out long c) ? c.ToString(CultureInfo.InvariantCulture) : "nothing")}, the rows number {ns.Count}");
        }
    }

    private static bool IsSqliteDatabase(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        return file.Read(header) == 16 && header.AsSpan().SequenceEqual("SQLite format 3\0"u8);
    }

    private static string Range(IReadOnlyList<long> ns) => ns.Count == 0 ? "nothing" : $"{ns[0]}..{ns[^1]} ({ns.Count})";

    private sealed record Contents(long Applied, List<(long Id, string Writer, long N)> Rows, SortedDictionary<string, long> Counters)
    {
        public string Describe() =>
            $"position {this.Applied}; counters {string.Join(", ", this.Counters.Select(p => $"{p.Key}={p.Value}"))}; {this.Rows.Count} rows, hash "
            + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join(';', this.Rows.Select(r => $"{r.Id},{r.Writer},{r.N}")))))[..16];
    }

    private sealed record RunRecord(int Pid, string How, bool Ok, bool Killed, IReadOnlyList<long> Committed, string Output);

    private sealed class WriterHistory(string writer)
    {
        public string Writer { get; } = writer;

        public List<RunRecord> Runs { get; } = [];

        public IReadOnlyList<long> AllCommitted => [.. this.Runs.SelectMany(r => r.Committed)];

        public string Describe() => string.Join('\n', this.Runs.Select((r, i) => $"{this.Writer} run {i + 1}: pid {r.Pid}, {r.How}, committed {Range(r.Committed)}"));

        /// <summary>
        /// Every kill hit a live process and the last run finished; no number was printed twice (a restart never redoes a
        /// committed write); within a run the numbers follow each other and a run continues after everything printed
        /// before it; no run found its copy disagreeing with the log.
        /// </summary>
        public IEnumerable<string> Problems()
        {
            long before = 0;
            for (int i = 0; i < this.Runs.Count; i++)
            {
                RunRecord run = this.Runs[i];
                string name = $"{this.Writer} run {i + 1} (pid {run.Pid})";
                if (!run.Ok)
                {
                    yield return $"{name}: exited on its own without finishing. Output:\n{run.Output}";
                }

                if (run.Committed.Count > 0 && run.Committed[0] <= before)
                {
                    yield return $"{name}: first committed n = {run.Committed[0]}, but {before} was already printed as committed (a committed write was redone)";
                }

                for (int k = 1; k < run.Committed.Count; k++)
                {
                    if (run.Committed[k] != run.Committed[k - 1] + 1)
                    {
                        yield return $"{name}: committed {run.Committed[k - 1]} then {run.Committed[k]}";
                    }
                }

                before = Math.Max(before, run.Committed.Count > 0 ? run.Committed.Max() : 0);
                foreach (string line in run.Output.Split('\n').Where(l => l.StartsWith("log Warning", StringComparison.Ordinal) || l.StartsWith("log Error", StringComparison.Ordinal) || l.Contains("disagrees with the log", StringComparison.Ordinal)))
                {
                    yield return $"{name}: {line}";
                }
            }
        }
    }
}
