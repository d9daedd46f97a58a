using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;
using Workflows.Programmes.Tests.RecordsTables;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.RecordsReplication;

/// <summary>
/// Replicated records: local SQLite copies kept in step through a shared log in a table. The same tests run on the
/// in-memory table store and on Azurite's Table service.
/// </summary>
public abstract class RecordsReplicaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("replica-").FullName;
    private readonly List<RecordsReplica> replicas = [];

    /// <summary>Version 1 of a small schema: items with a unique name, and a counter.</summary>
    internal static readonly RecordsSchemaDefinition V1 = new(1, (c, t) => Db.Execute(c, t, """
        CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, n INTEGER NOT NULL DEFAULT 0, data BLOB NULL);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """));

    /// <summary>Version 2 adds a column to items.</summary>
    internal static readonly RecordsSchemaDefinition V2 = new(2, (c, t) =>
    {
        V1.Apply(c, t);
        if (Db.Scalar(c, t, "SELECT 1 FROM pragma_table_info('items') WHERE name = 'note';") is null)
        {
            Db.Execute(c, t, "ALTER TABLE items ADD COLUMN note TEXT NULL;");
        }
    });

    protected abstract Task<ITableStore> NewTableAsync();

    public void Dispose()
    {
        foreach (var replica in this.replicas)
        {
            replica.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(this.folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Write_OnOneInstance_IsReadOnAnother()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");

        await Insert(a, "first");
        await b.RefreshAsync();

        Assert.Equal(["first"], Names(b));
        Assert.Equal(a.AppliedSequence, b.AppliedSequence);
    }

    [Fact]
    public async Task ConcurrentIncrements_FromTwoInstances_LoseNoUpdate()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        await Increment(a); // creates the row

        async Task Many(RecordsReplica replica)
        {
            for (var i = 0; i < 15; i++)
            {
                await Increment(replica);
            }
        }

        await Task.WhenAll(Task.Run(() => Many(a)), Task.Run(() => Many(b)));
        await a.RefreshAsync();
        await b.RefreshAsync();

        Assert.Equal(31, Counter(a));
        Assert.Equal(31, Counter(b));
        Assert.Equal(a.AppliedSequence, b.AppliedSequence);
    }

    [Fact]
    public async Task UniqueIndex_RacedFromTwoInstances_AdmitsExactlyOne()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        await a.RefreshAsync();
        await b.RefreshAsync();

        // Both copies are at the same position and both lack the row: each work runs and would commit locally.
        var results = await Task.WhenAll(
            Task.Run(() => TryInsert(a, "award-2026-01")),
            Task.Run(() => TryInsert(b, "award-2026-01")));

        Assert.Equal(1, results.Count(r => r));
        await a.RefreshAsync();
        await b.RefreshAsync();
        Assert.Equal(["award-2026-01"], Names(a));
        Assert.Equal(["award-2026-01"], Names(b));
    }

    [Fact]
    public async Task LostRace_RunsTheWorkAgainOnTheNewState()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        await Insert(a, "x");
        await b.RefreshAsync();
        await Insert(a, "y"); // b is now one entry behind

        var runs = 0;
        var seen = await b.WriteAsync((c, t) =>
        {
            runs++;
            var count = Convert.ToInt64(Db.Scalar(c, t, "SELECT COUNT(*) FROM items;"), System.Globalization.CultureInfo.InvariantCulture);
            Db.Execute(c, t, "INSERT INTO items (name, n) VALUES ('z', $n);", ("$n", count));
            return Task.FromResult(count);
        });

        // b catches up before its first run, so the work sees both earlier rows and runs once.
        Assert.Equal(2, seen);
        Assert.Equal(1, runs);
        await a.RefreshAsync();
        Assert.Equal(["x", "y", "z"], Names(a));
    }

    [Fact]
    public async Task Autoincrement_DeletedIdsAreNotReusedByAnotherInstance()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        await Insert(a, "one");
        // Inserted and deleted in one transaction: the changeset holds nothing of row 2, only the counter knows it.
        await a.WriteAsync((c, t) =>
        {
            Db.Execute(c, t, "INSERT INTO items (name) VALUES ('two');");
            return Task.FromResult(Db.Execute(c, t, "DELETE FROM items WHERE name = 'two';"));
        });

        await Insert(b, "three");

        await a.RefreshAsync();
        Assert.Equal([1L, 3L], Ids(a));
        Assert.Equal([1L, 3L], Ids(b));
    }

    [Fact]
    public async Task ReadOnlyWork_AppendsNothing()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        await Insert(a, "one");
        var before = a.AppliedSequence;

        var count = await a.WriteAsync((c, t) => Task.FromResult(Db.Scalar(c, t, "SELECT COUNT(*) FROM items;")));

        Assert.Equal(1L, count);
        Assert.Equal(before, a.AppliedSequence);
        Assert.Null(await a.Log.GetAsync(before + 1));
    }

    [Fact]
    public async Task FailingWork_RollsBackAndAppendsNothing()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        await Insert(a, "one");
        var before = a.AppliedSequence;

        await Assert.ThrowsAsync<SqliteException>(() => a.WriteAsync((c, t) =>
        {
            Db.Execute(c, t, "INSERT INTO items (name) VALUES ('two');");
            Db.Execute(c, t, "INSERT INTO items (name) VALUES ('one');"); // unique violation
            return Task.FromResult(0);
        }));

        Assert.Equal(before, a.AppliedSequence);
        Assert.Null(await a.Log.GetAsync(before + 1));
        Assert.Equal(["one"], Names(a));
    }

    [Fact]
    public async Task LostAppendAnswer_IsResolvedByReadingThePositionBack()
    {
        var inner = await this.NewTableAsync();
        var flaky = new LosingAnswersStore(inner);
        var a = this.Replica(flaky, "a");
        await Insert(a, "before");

        flaky.LoseNextInsertAnswer = true;
        await Insert(a, "lost-answer");

        var b = this.Replica(inner, "b");
        await b.RefreshAsync();
        Assert.Equal(["before", "lost-answer"], Names(b));
        Assert.Equal(["before", "lost-answer"], Names(a));
    }

    [Fact]
    public async Task KilledAfterAppend_TheNextStartAppliesTheEntry()
    {
        var inner = await this.NewTableAsync();
        var flaky = new LosingAnswersStore(inner);
        var a = this.Replica(flaky, "a");
        await Insert(a, "before");

        // The append reaches the log, then the answer and the read-back both fail: the caller sees an error and the
        // local transaction rolls back, as if the process had died between the append and the local commit.
        flaky.LoseNextInsertAnswer = true;
        flaky.FailReadsAfterLoss = true;
        await Assert.ThrowsAsync<IOException>(() => Insert(a, "committed-in-log"));
        flaky.FailReads = false;
        Assert.Equal(["before"], Names(a));

        a.Dispose();
        this.replicas.Remove(a);
        var restarted = this.Replica(inner, "a");
        await restarted.RefreshAsync();

        Assert.Equal(["before", "committed-in-log"], Names(restarted));
    }

    [Fact]
    public async Task Restart_ReusesTheLocalCopyAndCatchesUp()
    {
        var table = await this.NewTableAsync();
        var counting = new CountingStore(table);
        var a = this.Replica(counting, "a", snapshotEvery: 0);
        for (var i = 0; i < 5; i++)
        {
            await Insert(a, "r" + i);
        }

        a.Dispose();
        this.replicas.Remove(a);
        var b = this.Replica(table, "b", snapshotEvery: 0);
        await Insert(b, "while-a-was-down");

        counting.EntriesRead = 0;
        var again = this.Replica(counting, "a", snapshotEvery: 0);
        await again.RefreshAsync();

        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "while-a-was-down"], Names(again));
        Assert.Equal(1, counting.EntriesRead); // only the entry written while it was down
    }

    [Fact]
    public async Task NewInstance_StartsFromTheNewestSnapshot()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a", snapshotEvery: 4);
        for (var i = 0; i < 10; i++)
        {
            await Insert(a, "s" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        }

        var snapshot = await a.Log.LatestSnapshotAsync();
        Assert.NotNull(snapshot);
        Assert.True(snapshot.Sequence >= 8, $"expected a snapshot at 8 or later, found {snapshot.Sequence}");

        var counting = new CountingStore(table);
        var fresh = this.Replica(counting, "fresh");
        await fresh.RefreshAsync();

        Assert.Equal(Names(a), Names(fresh));
        Assert.Equal(a.AppliedSequence - snapshot.Sequence, counting.EntriesRead);
    }

    [Fact]
    public async Task DamagedLocalCopy_IsRebuiltFromTheLog()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        await Insert(a, "shared");
        await b.RefreshAsync();

        // Someone edits b's copy behind the replica's back; a's next change to that row no longer applies there.
        using (var connection = b.OpenLocal())
        {
            Db.Execute(connection, null, "UPDATE items SET n = 99 WHERE name = 'shared';");
        }

        await a.WriteAsync((c, t) => Task.FromResult(Db.Execute(c, t, "UPDATE items SET n = 1 WHERE name = 'shared';")));
        await b.RefreshAsync();

        using var check = b.OpenLocal();
        Assert.Equal(1L, Db.Scalar(check, null, "SELECT n FROM items WHERE name = 'shared';"));
    }

    [Fact]
    public async Task DamagedPagesInTheLocalCopy_AreFoundAtStart_AndTheCopyIsRebuilt()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        for (var i = 0; i < 200; i++)
        {
            await Insert(a, "row-" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
        }

        var path = a.LocalPath;
        using (var connection = a.OpenLocal())
        {
            Db.Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        a.Dispose();
        this.replicas.Remove(a);
        SqliteConnection.ClearAllPools();
        // Overwrite a page in the middle of the file (not the header, not the replica state's page): the state row still reads.
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            var pageSize = 4096;
            file.Position = (file.Length / pageSize / 2) * pageSize;
            file.Write(Enumerable.Repeat((byte)0x5A, pageSize).ToArray());
        }

        var restarted = this.Replica(table, "a");
        await restarted.RefreshAsync();

        Assert.Equal(200, Names(restarted).Count);
        using var check = restarted.OpenLocal();
        Assert.Equal("ok", Db.Scalar(check, null, "PRAGMA quick_check;"));
    }

    [Fact]
    public async Task LargeChangeset_TravelsThroughBlobRows()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        var b = this.Replica(table, "b");
        var data = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(data); // incompressible: needs several blob rows

        await a.WriteAsync((c, t) => Task.FromResult(Db.Execute(c, t, "INSERT INTO items (name, data) VALUES ('big', $d);", ("$d", data))));
        await b.RefreshAsync();

        using var connection = b.OpenLocal();
        Assert.Equal(data, (byte[])Db.Scalar(connection, null, "SELECT data FROM items WHERE name = 'big';")!);
    }

    [Fact]
    public async Task NewerSchema_MigratesWithAMarker_AndOlderBuildsRefuse()
    {
        var table = await this.NewTableAsync();
        var old = this.Replica(table, "old");
        await Insert(old, "written-by-v1");

        var upgraded = this.Replica(table, "new", schema: V2);
        await upgraded.WriteAsync((c, t) => Task.FromResult(Db.Execute(c, t, "INSERT INTO items (name, note) VALUES ('written-by-v2', 'hello');")));

        Assert.Equal(["written-by-v1", "written-by-v2"], Names(upgraded));
        var refused = await Assert.ThrowsAsync<RecordsUpgradedException>(() => Insert(old, "too-late"));
        Assert.Equal(2, refused.LogVersion);
        Assert.Equal(1, refused.BuildVersion);

        var anotherNew = this.Replica(table, "new2", schema: V2);
        await anotherNew.RefreshAsync();
        using var connection = anotherNew.OpenLocal();
        Assert.Equal("hello", Db.Scalar(connection, null, "SELECT note FROM items WHERE name = 'written-by-v2';"));
    }

    [Fact]
    public async Task TableWithoutPrimaryKey_IsRefusedAtStart()
    {
        var table = await this.NewTableAsync();
        var schema = new RecordsSchemaDefinition(1, (c, t) => Db.Execute(c, t, "CREATE TABLE IF NOT EXISTS loose (a TEXT NOT NULL);"));
        var a = this.Replica(table, "a", schema: schema);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => a.RefreshAsync());

        Assert.Contains("loose", error.Message, StringComparison.Ordinal);
        Assert.Null(await a.Log.GetAsync(1));
    }

    [Fact]
    public async Task SecondProcessOnTheSameCopy_IsRefused()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        await a.RefreshAsync();
        var twin = this.Replica(table, "a");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => twin.RefreshAsync());

        Assert.Contains("own folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AnExistingDatabase_BecomesTheLogsStart()
    {
        var table = await this.NewTableAsync();
        var source = Path.Combine(this.folder, "embedded", "records.db");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        using (var connection = new SqliteConnection($"Data Source={source}"))
        {
            connection.Open();
            using var tx = connection.BeginTransaction();
            V1.Apply(connection, tx);
            Db.Execute(connection, tx, "INSERT INTO items (name) VALUES ('from-embedded-1'), ('from-embedded-2');");
            Db.Execute(connection, tx, "DELETE FROM items WHERE name = 'from-embedded-2';");
            tx.Commit();
        }

        var snapshot = await RecordsReplica.PublishAsync(table, source, V1, "publisher");

        Assert.Equal(1, snapshot.Sequence);
        var a = this.Replica(table, "a");
        await Insert(a, "after-publish");
        Assert.Equal(["from-embedded-1", "after-publish"], Names(a));
        Assert.Equal([1L, 3L], Ids(a)); // the embedded database's AUTOINCREMENT counter came along
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RecordsReplica.PublishAsync(table, source, V1, "publisher"));
        Assert.Contains("empty table", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WritesAPlainDatabaseWithoutAppending()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a");
        await Insert(a, "one");
        await Insert(a, "two");
        var position = a.AppliedSequence;

        var reader = new RecordsReplica(table, Path.Combine(this.folder, "export-copy", "records.db"), new RecordsReplicaOptions { ReadOnly = true });
        reader.UseSchema(V2); // a newer build reading an older log migrates only its own copy
        this.replicas.Add(reader);
        var output = Path.Combine(this.folder, "export.db");
        var exported = await reader.ExportAsync(output);

        Assert.Equal(position, exported);
        Assert.Null(await a.Log.GetAsync(position + 1));
        using var connection = new SqliteConnection($"Data Source={output};Pooling=False");
        connection.Open();
        Assert.Equal(["one", "two"], Db.Query(connection, null, "SELECT name FROM items ORDER BY id;", r => r.GetString(0)));
        Assert.Null(Db.Scalar(connection, null, "SELECT 1 FROM sqlite_master WHERE name = 'replica_state';"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.WriteAsync((c, t) => Task.FromResult(0)));
        await Assert.ThrowsAsync<IOException>(() => reader.ExportAsync(output));
    }

    [Fact]
    public async Task Prune_KeepsTheNewestSnapshots_AndEveryInstanceStillGetsTheSameRecords()
    {
        var table = await this.NewTableAsync();
        var a = this.Replica(table, "a", snapshotEvery: 5);
        var behind = this.Replica(table, "behind", snapshotEvery: 0);
        await Insert(a, "early");
        await behind.RefreshAsync(); // its copy stays at an early position
        for (var i = 0; i < 20; i++)
        {
            await Insert(a, "p" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        }

        var big = new byte[1024 * 1024];
        new Random(3).NextBytes(big); // an entry with blob rows, before the kept snapshots
        await a.WriteAsync((c, t) => Task.FromResult(Db.Execute(c, t, "INSERT INTO items (name, data) VALUES ('big', $d);", ("$d", big))));
        for (var i = 20; i < 32; i++)
        {
            await Insert(a, "p" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        }

        var pruned = await a.Log.PruneAsync(keepSnapshots: 2);

        Assert.True(pruned.Entries > 0 && pruned.Snapshots > 0, $"pruned {pruned}");
        Assert.Null(await a.Log.GetAsync(1));
        Assert.Null(await a.Log.GetAsync(pruned.KeptFrom - 1));
        Assert.NotNull(await a.Log.GetAsync(pruned.KeptFrom));
        var fresh = this.Replica(table, "fresh");
        await fresh.RefreshAsync();
        await behind.RefreshAsync(); // its next entry is gone: it rebuilds from the newest snapshot
        await Insert(behind, "after-prune");
        await a.RefreshAsync();
        await fresh.RefreshAsync();
        Assert.Equal(Names(a), Names(fresh));
        Assert.Equal(Names(a), Names(behind));
        Assert.Equal("after-prune", Names(a)[^1]);
        var again = await a.Log.PruneAsync(keepSnapshots: 2);
        Assert.Equal((0, 0), (again.Entries, again.Snapshots));
    }

    internal RecordsReplica Replica(ITableStore table, string name, int snapshotEvery = 500, RecordsSchemaDefinition? schema = null)
    {
        var replica = new RecordsReplica(table, Path.Combine(this.folder, name, "records.db"), new RecordsReplicaOptions { InstanceId = name, SnapshotEvery = snapshotEvery });
        replica.UseSchema(schema ?? V1);
        this.replicas.Add(replica);
        return replica;
    }

    internal static Task<int> Insert(RecordsReplica replica, string name) =>
        replica.WriteAsync((c, t) => Task.FromResult(Db.Execute(c, t, "INSERT INTO items (name) VALUES ($n);", ("$n", name))));

    private static async Task<bool> TryInsert(RecordsReplica replica, string name)
    {
        try
        {
            await Insert(replica, name);
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    private static Task<int> Increment(RecordsReplica replica) =>
        replica.WriteAsync((c, t) => Task.FromResult(Db.Execute(
            c, t, "INSERT INTO counters (name, value) VALUES ('c', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1;")));

    private static long Counter(RecordsReplica replica)
    {
        using var connection = replica.OpenLocal();
        return (long)Db.Scalar(connection, null, "SELECT value FROM counters WHERE name = 'c';")!;
    }

    internal static List<string> Names(RecordsReplica replica)
    {
        using var connection = replica.OpenLocal();
        return Db.Query(connection, null, "SELECT name FROM items ORDER BY id;", r => r.GetString(0));
    }

    private static List<long> Ids(RecordsReplica replica)
    {
        using var connection = replica.OpenLocal();
        return Db.Query(connection, null, "SELECT id FROM items ORDER BY id;", r => r.GetInt64(0));
    }
}

public sealed class InMemoryRecordsReplicaTests : RecordsReplicaTests
{
    protected override Task<ITableStore> NewTableAsync() => Task.FromResult<ITableStore>(new InMemoryTableStore());
}

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteRecordsReplicaTests(AzuriteFixture azurite) : RecordsReplicaTests
{
    protected override async Task<ITableStore> NewTableAsync()
    {
        return await azurite.NewTableAsync("replica");
    }
}

/// <summary>Passes calls through, counting the log entries read.</summary>
internal sealed class CountingStore(ITableStore inner) : DelegatingTableStore(inner)
{
    public int EntriesRead { get; set; }

    public override async Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        var page = await this.Inner.QueryAsync(query, cancellationToken);
        if (query.PartitionKey == RecordsLog.LogPartition)
        {
            this.EntriesRead += page.Rows.Count;
        }

        return page;
    }
}

/// <summary>Performs inserts but can lose the answer (an I/O error after the row is stored), and can fail reads.</summary>
internal sealed class LosingAnswersStore(ITableStore inner) : DelegatingTableStore(inner)
{
    public bool LoseNextInsertAnswer { get; set; }

    public bool FailReads { get; set; }

    public bool FailReadsAfterLoss { get; set; }

    public override Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        this.FailReads ? throw new IOException("connection reset while reading") : this.Inner.GetAsync(partitionKey, rowKey, cancellationToken);

    public override Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) =>
        this.FailReads ? throw new IOException("connection reset while reading") : this.Inner.QueryAsync(query, cancellationToken);

    public override async Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        var etag = await this.Inner.InsertAsync(row, cancellationToken);
        if (this.LoseNextInsertAnswer && row.PartitionKey == RecordsLog.LogPartition)
        {
            this.LoseNextInsertAnswer = false;
            this.FailReads = this.FailReadsAfterLoss;
            this.FailReadsAfterLoss = false;
            throw new IOException("connection reset after the request was sent");
        }

        return etag;
    }
}

public sealed class RecordsReplicaSchemaDriftTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("replica-drift-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(this.folder, recursive: true);
    }

    [Fact]
    public async Task ChangedTables_WithoutANewVersion_AreRefusedByTheNewBuild()
    {
        var table = new InMemoryTableStore();
        using var old = new RecordsReplica(table, Path.Combine(this.folder, "old", "records.db"));
        old.UseSchema(RecordsReplicaTests.V1);
        await RecordsReplicaTests.Insert(old, "one");

        // Version 1 again, but with the column of version 2: its changesets would not fit the log's tables.
        var drifted = new RecordsSchemaDefinition(1, RecordsReplicaTests.V2.Apply);
        using var fresh = new RecordsReplica(table, Path.Combine(this.folder, "new", "records.db"));
        fresh.UseSchema(drifted);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fresh.RefreshAsync());

        Assert.Contains("ProgrammeRecords.SchemaVersion", error.Message, StringComparison.Ordinal);
        Assert.Null(await old.Log.GetAsync(3));
    }
}

public sealed class RecordsReplicaNestingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("replica-nesting-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(this.folder, recursive: true);
    }

    [Fact]
    public async Task ReadInsideAWrite_DoesNotWaitForTheWrite_AndANestedWriteIsRefused()
    {
        using var replica = new RecordsReplica(new InMemoryTableStore(), Path.Combine(this.folder, "records.db"));
        var records = new ProgrammeRecords(replica, modules: [], schemas: [new RecordsSchema("items", "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")]);
        records.Transaction((c, t) => Db.Execute(c, t, "INSERT INTO items (id, name) VALUES (1, 'committed');"));

        var seen = await records.TransactionAsync(async (c, t) =>
        {
            Db.Execute(c, t, "INSERT INTO items (id, name) VALUES (2, 'in-flight');");
            // Another connection, as on a local database: it sees what was committed before this transaction.
            return await records.ReadAsync(r => Task.FromResult(Db.Query(r, null, "SELECT name FROM items ORDER BY id;", x => x.GetString(0))));
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["committed"], seen);
        var nested = Assert.Throws<InvalidOperationException>(() => records.Transaction((c, t) => records.Transaction((c2, t2) => Db.Execute(c2, t2, "DELETE FROM items;"))));
        Assert.Contains("inside another", nested.Message, StringComparison.Ordinal);
        Assert.Equal(2L, records.Read(c => Db.Scalar(c, null, "SELECT COUNT(*) FROM items;")));
    }
}

public sealed class LosingFirstRaceStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("replica-races-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(this.folder, recursive: true);
    }

    [Fact]
    public async Task EveryWrite_LosesItsFirstRace_SoTheWorkRunsTwiceAndCommitsOnce()
    {
        using var replica = new RecordsReplica(new LosingFirstRaceStore(new InMemoryTableStore()), Path.Combine(this.folder, "records.db"));
        replica.UseSchema(RecordsReplicaTests.V1);
        var runs = 0;

        await replica.WriteAsync((c, t) =>
        {
            runs++;
            return Task.FromResult(Db.Execute(c, t, "INSERT INTO items (name) VALUES ('once');"));
        });

        Assert.Equal(2, runs);
        Assert.Equal(["once"], RecordsReplicaTests.Names(replica));
    }
}
