using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Programmes.Records.Replication;

/// <summary>The records schema a replica keeps: its version and the idempotent script that brings a database to it.</summary>
/// <param name="Version">The schema version this build writes (<see cref="ProgrammeRecords.SchemaVersion"/>).</param>
/// <param name="Apply">Creates or migrates every table inside the given transaction; safe to run on a database already at <paramref name="Version"/>.</param>
public sealed record RecordsSchemaDefinition(int Version, Action<SqliteConnection, SqliteTransaction> Apply);

/// <summary>Settings of a <see cref="RecordsReplica"/>.</summary>
public sealed class RecordsReplicaOptions
{
    /// <summary>Gets or sets the name this instance writes into the log (for operators). Defaults to machine name and process id.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets or sets after how many log entries a replica takes a new snapshot (500 unless set; 0 turns automatic snapshots off).</summary>
    public int SnapshotEvery { get; set; } = 500;

    /// <summary>Gets or sets how many times a write is tried when other instances keep taking the next log position (30 unless set).</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>
    /// Gets or sets how old the local copy may be when a read starts. Zero (the default) reads the log's tail before every
    /// read, so a read sees every write committed before it began, on any instance.
    /// </summary>
    public TimeSpan ReadFreshness { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets whether the replica only reads the log (an export, an inspection): it never appends, and a log older
    /// than this build's schema is migrated in the local copy only.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Gets or sets where the replica reports snapshots, rebuilds and failures that do not fail the caller.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}

/// <summary>
/// The records database replicated through a shared log in Azure Tables: each instance keeps a local SQLite copy, and
/// every write transaction is recorded as an SQLite changeset and appended to the log (<see cref="RecordsLog"/>) before
/// it commits locally. This is how the Azure Functions host keeps records that outlive its instances while every SQL
/// statement, constraint and transaction of <see cref="ProgrammeRecords"/> stays exactly as on the embedded host.
/// </summary>
/// <remarks>
/// <para><b>Writes</b> (<see cref="WriteAsync{T}"/>): catch up with the log, run the work in a local <c>BEGIN IMMEDIATE</c>
/// transaction while a session records its changes, then insert the changeset at the next log position. When another
/// instance took that position first (409), the local transaction is rolled back, the replica catches up and the work
/// runs again on the new state; this optimistic loop is the only concurrency control, and the log's order is the one
/// serial order of all writes. So unique indexes still hold across instances: money is paid once. The work may run
/// more than once and must touch nothing but the database. When the answer to an append is lost, the replica reads
/// the position back and decides from the transaction id whether its write went in.</para>
/// <para><b>Reads</b> (<see cref="RefreshAsync"/> then a local query): by default the replica reads the log's tail
/// first, so a read sees every write committed before it started.</para>
/// <para><b>Durability:</b> an entry is committed once it is in the log. The local copy is a cache: it is rebuilt from
/// the newest snapshot and the entries after it whenever it is missing, belongs to another log or schema, or
/// disagrees with the log. A process killed between the append and the local commit loses nothing: the next catch-up
/// applies the entry.</para>
/// <para><b>Schema versions:</b> the first instance of a build with a newer schema migrates its copy and appends an
/// empty <i>marker</i> entry with the new version, then a snapshot. Older builds refuse entries of a newer version
/// (<see cref="RecordsUpgradedException"/>); a replaying replica migrates when it reaches the marker.</para>
/// <para>Every table must have a PRIMARY KEY (SQLite sessions skip tables without one); a schema with such a table is
/// refused at start. Changesets do not carry AUTOINCREMENT counters, so each entry also carries the writer's
/// <c>sqlite_sequence</c>, and ids are never reused across instances.</para>
/// <para>One process owns a local copy (a lock file next to it). Thread-safe: writes and catch-ups in the process are
/// serialised; reads run in parallel on SQLite's WAL.</para>
/// </remarks>
public sealed class RecordsReplica : IDisposable
{
    private const string StateTable = "replica_state";

    // The replica whose write work is running on this flow: a read inside that work must not wait for the gate the write holds.
    private static readonly AsyncLocal<RecordsReplica?> Writing = new();

    private readonly RecordsLog log;
    private readonly RecordsReplicaOptions options;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string localPath;
    private readonly string connectionString;
    private RecordsSchemaDefinition? schema;
    private FileStream? fileLock;
    private bool initialized;
    private long applied;
    private int localSchema;
    private string localShape = string.Empty;
    private long lastSnapshot;
    private long lastRefreshStarted = long.MinValue;

    /// <summary>Initializes a replica; nothing is read or written until the first use.</summary>
    /// <param name="table">The shared log's table.</param>
    /// <param name="localPath">The local copy's file (instance-local disk is fine: it is a cache).</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    public RecordsReplica(ITableStore table, string localPath, RecordsReplicaOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        this.log = new RecordsLog(table);
        this.options = options ?? new RecordsReplicaOptions();
        if (this.options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), this.options.MaxAttempts, "MaxAttempts must be at least 1.");
        }

        if (this.options.SnapshotEvery < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), this.options.SnapshotEvery, "SnapshotEvery must be 0 (off) or more.");
        }

        this.time = time ?? TimeProvider.System;
        this.localPath = Path.GetFullPath(localPath);
        this.connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = this.localPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Gets the connection string of the local copy (for reads after <see cref="RefreshAsync"/>).</summary>
    public string ConnectionString => this.connectionString;

    /// <summary>Gets the local copy's file.</summary>
    public string LocalPath => this.localPath;

    /// <summary>Gets the shared log.</summary>
    public RecordsLog Log => this.log;

    /// <summary>Gets the last log position the local copy contains.</summary>
    public long AppliedSequence => Interlocked.Read(ref this.applied);

    /// <summary>Sets the schema the replica keeps. Called once, by <see cref="ProgrammeRecords"/> or a test, before first use.</summary>
    /// <param name="definition">The schema.</param>
    /// <exception cref="InvalidOperationException">A different schema was already set.</exception>
    public void UseSchema(RecordsSchemaDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var previous = Interlocked.CompareExchange(ref this.schema, definition, null);
        if (previous is not null && !ReferenceEquals(previous, definition))
        {
            throw new InvalidOperationException("The replica already keeps a schema; one replica serves one ProgrammeRecords.");
        }
    }

    /// <summary>Brings the local copy up to the log (building it from the newest snapshot when needed).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the copy is current.</returns>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (ReferenceEquals(Writing.Value, this))
        {
            return; // a read inside a write's work: the copy is current, the write holds it
        }

        var requested = this.time.GetTimestamp();
        if (Volatile.Read(ref this.initialized))
        {
            if (this.options.ReadFreshness > TimeSpan.Zero
                && this.time.GetElapsedTime(Interlocked.Read(ref this.lastRefreshStarted)) < this.options.ReadFreshness)
            {
                return;
            }

            // Without the gate: when the log has nothing after the local position, the copy is current and the read need
            // not queue behind a write under way here (whose result it need not see: that write has not finished).
            if (!await this.log.ExistsAsync(this.AppliedSequence + 1, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await this.InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            if (Interlocked.Read(ref this.lastRefreshStarted) > requested)
            {
                return; // another caller caught up after this read began
            }

            Interlocked.Exchange(ref this.lastRefreshStarted, this.time.GetTimestamp());
            await this.CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="RefreshAsync"/>, for the synchronous record paths.</summary>
    public void Refresh() => this.RefreshAsync().GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="work"/> as one replicated write transaction and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work; it may run more than once and must touch nothing but the database.</param>
    /// <param name="cancellationToken">Cancels before the append; an append under way is finished.</param>
    /// <returns>The result of the run that committed.</returns>
    /// <exception cref="RecordsWriteConflictException">Other instances took the next position <see cref="RecordsReplicaOptions.MaxAttempts"/> times.</exception>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (this.options.ReadOnly)
        {
            throw new InvalidOperationException("This records replica is read-only; it does not write to the log.");
        }

        if (ReferenceEquals(Writing.Value, this))
        {
            throw new InvalidOperationException("A records transaction was started inside another one's work; do the work in the outer transaction.");
        }

        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await this.InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            var definition = this.Schema;
            for (var attempt = 1; attempt <= this.options.MaxAttempts; attempt++)
            {
                await this.CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
                using var connection = this.OpenLocal();
                using var tx = connection.BeginTransaction(deferred: false);
                T result;
                byte[] changes;
                var sequencesBefore = ReadSequences(connection, tx);
                using (var session = SqliteChangesets.Record(connection))
                {
                    Writing.Value = this;
                    try
                    {
                        result = await work(connection, tx).ConfigureAwait(false);
                    }
                    finally
                    {
                        Writing.Value = null;
                    }

                    changes = session.Changeset();
                }

                // A row inserted and deleted in one transaction leaves no change but an advanced AUTOINCREMENT counter,
                // which must reach the log too, or another instance would hand out the same id again.
                var sequences = ReadSequences(connection, tx);
                if (changes.Length == 0 && SameSequences(sequencesBefore, sequences))
                {
                    tx.Commit();
                    return result;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var entry = new LogEntry(this.applied + 1, NewId(), definition.Version, this.options.InstanceId, this.time.GetUtcNow(), changes, sequences, this.localShape);
                if (!await this.TryAppendAsync(entry).ConfigureAwait(false))
                {
                    tx.Rollback();
                    await Backoff(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                WriteState(connection, tx, entry.Sequence, entry.TransactionId, definition.Version);
                tx.Commit();
                Interlocked.Exchange(ref this.applied, entry.Sequence);
                await this.SnapshotIfDueLockedAsync().ConfigureAwait(false);
                return result;
            }

            throw new RecordsWriteConflictException(this.options.MaxAttempts);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="WriteAsync{T}"/>, for the synchronous record paths.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work; it may run more than once and must touch nothing but the database.</param>
    /// <returns>The result of the run that committed.</returns>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return this.WriteAsync((c, t) => Task.FromResult(work(c, t))).GetAwaiter().GetResult();
    }

    /// <summary>Takes a snapshot of the local copy (after catching up) and stores it with the log.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    public async Task<SnapshotInfo> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await this.InitializeLockedAsync(cancellationToken).ConfigureAwait(false);
            await this.CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
            return await this.SnapshotLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Releases the local copy's lock file.</summary>
    public void Dispose()
    {
        this.fileLock?.Dispose();
        this.fileLock = null;
        using (var connection = new SqliteConnection(this.connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        this.gate.Dispose();
    }

    /// <summary>
    /// Waits a random time after a lost race, up to 2^attempt ms (at most 250 ms), so that an instance that keeps losing to
    /// a busy one gets its turn. Real time on purpose (<see cref="TimeProvider.System"/>): it waits for other machines, not
    /// for anything in the records' own clock, which tests may hold still.
    /// </summary>
    private static Task Backoff(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(250, 1 << Math.Min(attempt, 8));
        return Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(ceiling + 1)), TimeProvider.System, cancellationToken);
    }

    /// <summary>A new random id (transaction ids, blob ids).</summary>
    /// <returns>32 lowercase hex digits.</returns>
    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Opens a connection to the local copy with the records pragmas.</summary>
    /// <returns>An open connection; the caller disposes it.</returns>
    internal SqliteConnection OpenLocal()
    {
        var connection = new SqliteConnection(this.connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // query_only OFF: ProgrammeRecords' reads share the connection pool and switch it on.
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA query_only = OFF;";
        command.ExecuteNonQuery();
        return connection;
    }

    private RecordsSchemaDefinition Schema =>
        this.schema ?? throw new InvalidOperationException("The replica has no schema; ProgrammeRecords sets it (RecordsReplica.UseSchema).");

    private async Task InitializeLockedAsync(CancellationToken cancellationToken)
    {
        if (this.initialized)
        {
            return;
        }

        var definition = this.Schema;
        Directory.CreateDirectory(Path.GetDirectoryName(this.localPath)!);
        this.fileLock ??= TakeFileLock(this.localPath + ".lock");
        var state = File.Exists(this.localPath) && this.LocalCopyIntact() ? this.ReadLocalState() : null;
        var reusable = state is { } s && s.Schema == definition.Version
            && (s.Applied == 0 || (await this.log.GetAsync(s.Applied, cancellationToken).ConfigureAwait(false))?.TransactionId == s.Tx);
        if (reusable)
        {
            this.applied = state!.Value.Applied;
            this.localSchema = state.Value.Schema;
            this.localShape = this.ReadLocalShape();
            this.lastSnapshot = this.applied;
            await this.CatchUpLockedAsync(cancellationToken).ConfigureAwait(false); // rebuilds when the copy disagrees
        }
        else
        {
            await this.RebuildLockedAsync(cancellationToken).ConfigureAwait(false);
        }

        this.RequireBuildMatchesLog();
        this.initialized = true;
    }

    /// <summary>
    /// Refuses to serve when this build's tables differ from the log's at the same schema version: the changesets of the
    /// differing tables would be dropped on one side. The fix is a higher <see cref="RecordsSchemaDefinition.Version"/>.
    /// </summary>
    private void RequireBuildMatchesLog()
    {
        using var connection = this.OpenLocal();
        using var tx = connection.BeginTransaction(deferred: false);
        this.Schema.Apply(connection, tx);
        var buildShape = ReadShape(connection, tx);
        tx.Rollback();
        if (!string.Equals(buildShape, this.localShape, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"This build's records tables differ from the shared log's at the same schema version {this.localSchema.ToString(CultureInfo.InvariantCulture)}. Raise the records schema version (ProgrammeRecords.SchemaVersion) with the change, so that instances migrate at a marker instead of dropping changes.");
        }
    }

    private string ReadLocalShape()
    {
        using var connection = this.OpenLocal();
        return ReadShape(connection, null);
    }

    private static void RequireShape(LogEntry entry, string localShape)
    {
        if (entry.Shape.Length > 0 && !string.Equals(entry.Shape, localShape, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Log entry {entry.Sequence.ToString(CultureInfo.InvariantCulture)} was written by a build whose records tables differ from this one's at the same schema version {entry.SchemaVersion.ToString(CultureInfo.InvariantCulture)}. Raise the records schema version (ProgrammeRecords.SchemaVersion) with every table change.");
        }
    }

    private static string ReadShape(SqliteConnection connection, SqliteTransaction? tx)
    {
        var columns = Db.Query(
            connection,
            tx,
            "SELECT m.name || '.' || p.name || ':' || p.type || ':' || p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p "
            + "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'replica_state' ORDER BY m.name, p.cid;",
            r => r.GetString(0));
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', columns))))[..16];
    }

    private async Task RebuildLockedAsync(CancellationToken cancellationToken)
    {
        var definition = this.Schema;
        this.DeleteLocal();
        var snapshot = await this.log.LatestSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot is not null)
        {
            if (snapshot.SchemaVersion > definition.Version)
            {
                throw new RecordsUpgradedException(snapshot.SchemaVersion, definition.Version);
            }

            var bytes = await this.log.ReadSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
            var temp = this.localPath + ".restore";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, this.localPath, overwrite: true);
        }

        using (var connection = this.OpenLocal())
        {
            Db.Execute(connection, null, "PRAGMA journal_mode = WAL;");
            using var tx = connection.BeginTransaction(deferred: false);
            // A snapshot carries its own replica state (position, transaction id, schema version); an empty log starts at 0.
            CreateStateTable(connection, tx);
            if (snapshot is null)
            {
                Db.Execute(connection, tx, $"INSERT OR IGNORE INTO {StateTable} (id, applied_seq, applied_tx, schema_version) VALUES (1, 0, '', 0);");
            }

            tx.Commit();
        }

        var state = this.ReadLocalState() ?? throw new ReplicaDivergedException("The newest records snapshot has no replica state.");
        if (snapshot is not null && (state.Applied != snapshot.Sequence || state.Schema != snapshot.SchemaVersion))
        {
            throw new ReplicaDivergedException($"The records snapshot listed at {snapshot.Sequence} holds position {state.Applied}.");
        }

        this.applied = state.Applied;
        this.localSchema = state.Schema;
        this.localShape = this.ReadLocalShape();
        this.lastSnapshot = this.applied;
        this.options.Logger.LogInformation("Rebuilt the local records copy {Path} from {Snapshot}.", this.localPath, snapshot is null ? "an empty log" : $"the snapshot at {snapshot.Sequence}");
        await this.CatchUpLockedAsync(cancellationToken, allowRebuild: false).ConfigureAwait(false);
        while (this.localSchema < definition.Version)
        {
            // The first instance of this build (or the very first instance): migrate, then claim the next position with an empty marker.
            using var connection = this.OpenLocal();
            using var tx = connection.BeginTransaction(deferred: false);
            definition.Apply(connection, tx);
            RequirePrimaryKeys(connection, tx);
            var shape = ReadShape(connection, tx);
            if (this.options.ReadOnly)
            {
                if (this.applied == 0)
                {
                    throw new InvalidOperationException("The table holds no records log yet; there is nothing to read.");
                }

                WriteState(connection, tx, this.applied, this.ReadLocalState()?.Tx ?? string.Empty, definition.Version);
                tx.Commit();
                this.localSchema = definition.Version;
                this.localShape = shape;
                break;
            }

            var marker = new LogEntry(this.applied + 1, NewId(), definition.Version, this.options.InstanceId, this.time.GetUtcNow(), [], ReadSequences(connection, tx), shape);
            if (!await this.TryAppendAsync(marker).ConfigureAwait(false))
            {
                tx.Rollback();
                await this.CatchUpLockedAsync(cancellationToken, allowRebuild: false).ConfigureAwait(false);
                continue;
            }

            WriteState(connection, tx, marker.Sequence, marker.TransactionId, definition.Version);
            tx.Commit();
            this.applied = marker.Sequence;
            this.localSchema = definition.Version;
            this.localShape = shape;
            await this.SnapshotBestEffortLockedAsync().ConfigureAwait(false);
        }

        using (var connection = this.OpenLocal())
        {
            RequirePrimaryKeys(connection, null);
        }
    }

    private async Task CatchUpLockedAsync(CancellationToken cancellationToken, bool allowRebuild = true)
    {
        try
        {
            await this.ApplyNewEntriesLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicaDivergedException ex) when (allowRebuild)
        {
            this.options.Logger.LogWarning(ex, "The local records copy {Path} disagrees with the log; rebuilding it.", this.localPath);
            await this.RebuildLockedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyNewEntriesLockedAsync(CancellationToken cancellationToken)
    {
        var definition = this.Schema;
        await foreach (var entry in this.log.ReadFromAsync(this.applied + 1, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Sequence != this.applied + 1)
            {
                throw new ReplicaDivergedException($"The records log jumps from position {this.applied} to {entry.Sequence}.");
            }

            if (entry.SchemaVersion > definition.Version)
            {
                throw new RecordsUpgradedException(entry.SchemaVersion, definition.Version);
            }

            if (entry.SchemaVersion < this.localSchema)
            {
                throw new ReplicaDivergedException($"Log entry {entry.Sequence} has schema version {entry.SchemaVersion}, older than the copy's {this.localSchema}.");
            }

            using var connection = this.OpenLocal();
            using var tx = connection.BeginTransaction(deferred: false);
            if (entry.SchemaVersion > this.localSchema)
            {
                if (entry.SchemaVersion != definition.Version)
                {
                    throw new InvalidOperationException(
                        $"The records log moved to schema version {entry.SchemaVersion} at position {entry.Sequence} without a snapshot at that version, and this build (version {definition.Version}) cannot replay across it. Run a version {entry.SchemaVersion} build once to take a snapshot.");
                }

                definition.Apply(connection, tx);
                this.localShape = ReadShape(connection, tx);
            }

            RequireShape(entry, this.localShape);
            try
            {
                SqliteChangesets.Apply(connection, entry.Changeset);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
            {
                // SQLITE_CORRUPT or SQLITE_NOTADB: the copy is damaged; the log is not.
                throw new ReplicaDivergedException($"The local records copy is damaged ({ex.Message}); it will be rebuilt from the log.");
            }

            WriteSequences(connection, tx, entry.Sequences);
            WriteState(connection, tx, entry.Sequence, entry.TransactionId, entry.SchemaVersion);
            tx.Commit();
            this.localSchema = entry.SchemaVersion;
            Interlocked.Exchange(ref this.applied, entry.Sequence);
        }
    }

    private async Task<bool> TryAppendAsync(LogEntry entry)
    {
        try
        {
            // Not cancellable: an append cut off half-way is exactly the ambiguity below.
            await this.log.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (TableEntityExistsException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The answer was lost: read the position back to learn whether this write is the one there.
            LogEntry? there;
            try
            {
                there = await this.log.GetAsync(entry.Sequence, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                ExceptionDispatchInfo.Capture(ex).Throw();
                throw;
            }

            if (there is null)
            {
                ExceptionDispatchInfo.Capture(ex).Throw();
            }

            return string.Equals(there!.TransactionId, entry.TransactionId, StringComparison.Ordinal);
        }
    }

    private async Task SnapshotIfDueLockedAsync()
    {
        if (this.options.SnapshotEvery > 0 && this.applied - this.lastSnapshot >= this.options.SnapshotEvery)
        {
            await this.SnapshotBestEffortLockedAsync().ConfigureAwait(false);
        }
    }

    private async Task SnapshotBestEffortLockedAsync()
    {
        try
        {
            await this.SnapshotLockedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TableStoreException or IOException or SqliteException or HttpRequestException)
        {
            // The write itself is committed; a missing snapshot only makes the next rebuild replay more entries.
            this.options.Logger.LogWarning(ex, "Could not store a records snapshot at position {Sequence}; the next write retries.", this.applied);
        }
    }

    private async Task<SnapshotInfo> SnapshotLockedAsync(CancellationToken cancellationToken)
    {
        var temp = this.localPath + ".snapshot-" + NewId();
        try
        {
            using (var connection = this.OpenLocal())
            {
                Db.Execute(connection, null, "VACUUM INTO $path;", ("$path", temp));
            }

            var bytes = await File.ReadAllBytesAsync(temp, cancellationToken).ConfigureAwait(false);
            var info = await this.log.WriteSnapshotAsync(this.applied, this.localSchema, bytes, this.options.InstanceId, this.time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            this.lastSnapshot = this.applied;
            this.options.Logger.LogInformation("Stored a records snapshot at position {Sequence} ({Bytes} bytes).", info.Sequence, info.Size);
            return info;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>SQLite's own quick check of the local copy (pages, indexes); a copy that fails it is rebuilt.</summary>
    private bool LocalCopyIntact()
    {
        try
        {
            using var connection = this.OpenLocal();
            var result = Db.Query(connection, null, "PRAGMA quick_check;", r => r.GetString(0));
            if (result is ["ok"])
            {
                return true;
            }

            this.options.Logger.LogWarning("The local records copy {Path} failed SQLite's check ({Result}); rebuilding it.", this.localPath, string.Join("; ", result.Take(3)));
            return false;
        }
        catch (SqliteException ex)
        {
            this.options.Logger.LogWarning(ex, "The local records copy {Path} cannot be read; rebuilding it.", this.localPath);
            return false;
        }
    }

    private (long Applied, string Tx, int Schema)? ReadLocalState()
    {
        try
        {
            using var connection = this.OpenLocal();
            if (Db.Scalar(connection, null, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $t;", ("$t", StateTable)) is null)
            {
                return null;
            }

            var rows = Db.Query(connection, null, $"SELECT applied_seq, applied_tx, schema_version FROM {StateTable} WHERE id = 1;", r => (r.GetInt64(0), r.GetString(1), r.GetInt32(2)));
            return rows.Count == 1 ? rows[0] : null;
        }
        catch (SqliteException)
        {
            return null; // not a database, or damaged: rebuild
        }
    }

    private void DeleteLocal()
    {
        using (var connection = new SqliteConnection(this.connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(this.localPath + suffix);
        }
    }

    private static FileStream TakeFileLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another process uses the local records copy next to {path}; give every instance its own folder.", ex);
        }
    }

    /// <summary>
    /// Starts a records log in an empty table from an existing records database (moving an embedded host's
    /// <c>records.db</c> to Azure): the database, brought to <paramref name="schema"/>, becomes the snapshot at position 1,
    /// and an empty marker entry takes position 1.
    /// </summary>
    /// <param name="table">The empty table.</param>
    /// <param name="databaseFile">The records database; it is copied (<c>VACUUM INTO</c>), never changed, and may be in use.</param>
    /// <param name="schema">The schema of this build.</param>
    /// <param name="writer">The name written into the log.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels the work before the log is started.</param>
    /// <returns>The snapshot written.</returns>
    /// <exception cref="InvalidOperationException">The table already holds a log or a snapshot, or the database cannot be replicated.</exception>
    public static async Task<SnapshotInfo> PublishAsync(ITableStore table, string databaseFile, RecordsSchemaDefinition schema, string writer, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseFile);
        if (!File.Exists(databaseFile))
        {
            throw new FileNotFoundException($"There is no records database at {databaseFile}.", databaseFile);
        }

        var log = new RecordsLog(table);
        if (await log.GetAsync(1, cancellationToken).ConfigureAwait(false) is not null || await log.LatestSnapshotAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException("The table already holds a records log; publish only into a new, empty table.");
        }

        var clock = time ?? TimeProvider.System;
        var copy = Path.Combine(Path.GetTempPath(), "records-publish-" + NewId() + ".db");
        try
        {
            using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                source.Open();
                Db.Execute(source, null, "VACUUM INTO $path;", ("$path", copy));
            }

            var marker = new LogEntry(1, NewId(), schema.Version, writer, clock.GetUtcNow(), [], new Dictionary<string, long>(), string.Empty);
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
            {
                connection.Open();
                using var tx = connection.BeginTransaction(deferred: false);
                schema.Apply(connection, tx);
                RequirePrimaryKeys(connection, tx);
                CreateStateTable(connection, tx);
                WriteState(connection, tx, 1, marker.TransactionId, schema.Version);
                marker = marker with { Sequences = ReadSequences(connection, tx), Shape = ReadShape(connection, tx) };
                tx.Commit();
            }

            // The snapshot goes first: an instance that starts in between restores it and waits for position 2.
            var bytes = await File.ReadAllBytesAsync(copy, cancellationToken).ConfigureAwait(false);
            var snapshot = await log.WriteSnapshotAsync(1, schema.Version, bytes, writer, clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            try
            {
                await log.AppendAsync(marker, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TableEntityExistsException)
            {
                await table.DeleteAsync(RecordsLog.SnapshotPartition, RecordsLog.SnapshotRowKey(1), TableOperation.AnyETag, CancellationToken.None).ConfigureAwait(false);
                throw new InvalidOperationException("An instance started a records log in this table while it was being published; nothing was published. Stop the instances and publish into a new table.");
            }

            return snapshot;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(copy);
        }
    }

    /// <summary>Writes the records the log holds now into a plain database file (for a backup, an inspection, or going back to the embedded host).</summary>
    /// <param name="outputFile">The file to write; it must not exist.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The log position the file holds.</returns>
    public async Task<long> ExportAsync(string outputFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        if (File.Exists(outputFile))
        {
            throw new IOException($"{outputFile} exists already; export writes a new file.");
        }

        await this.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using (var connection = this.OpenLocal())
            {
                Db.Execute(connection, null, "VACUUM INTO $path;", ("$path", Path.GetFullPath(outputFile)));
            }

            using (var output = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = outputFile, Pooling = false }.ToString()))
            {
                output.Open();
                Db.Execute(output, null, $"DROP TABLE {StateTable};");
            }

            return this.applied;
        }
        finally
        {
            this.gate.Release();
        }
    }

    private static void CreateStateTable(SqliteConnection connection, SqliteTransaction tx) =>
        Db.Execute(connection, tx, $"CREATE TABLE IF NOT EXISTS {StateTable} (id INTEGER PRIMARY KEY CHECK (id = 1), applied_seq INTEGER NOT NULL, applied_tx TEXT NOT NULL, schema_version INTEGER NOT NULL);");

    private static void WriteState(SqliteConnection connection, SqliteTransaction tx, long sequence, string transactionId, int schemaVersion) =>
        Db.Execute(
            connection,
            tx,
            $"INSERT INTO {StateTable} (id, applied_seq, applied_tx, schema_version) VALUES (1, $s, $t, $v) ON CONFLICT (id) DO UPDATE SET applied_seq = excluded.applied_seq, applied_tx = excluded.applied_tx, schema_version = excluded.schema_version;",
            ("$s", sequence),
            ("$t", transactionId),
            ("$v", schemaVersion));

    private static Dictionary<string, long> ReadSequences(SqliteConnection connection, SqliteTransaction tx)
    {
        if (Db.Scalar(connection, tx, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence';") is null)
        {
            return [];
        }

        return Db.Query(connection, tx, "SELECT name, seq FROM sqlite_sequence;", r => (Name: r.GetString(0), Seq: r.GetInt64(1)))
            .ToDictionary(p => p.Name, p => p.Seq, StringComparer.Ordinal);
    }

    private static bool SameSequences(Dictionary<string, long> before, Dictionary<string, long> after) =>
        before.Count == after.Count && before.All(p => after.TryGetValue(p.Key, out var v) && v == p.Value);

    private static void WriteSequences(SqliteConnection connection, SqliteTransaction tx, IReadOnlyDictionary<string, long> sequences)
    {
        foreach (var (name, value) in sequences)
        {
            if (Db.Execute(connection, tx, "UPDATE sqlite_sequence SET seq = $v WHERE name = $n;", ("$n", name), ("$v", value)) == 0
                && Db.Scalar(connection, tx, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n;", ("$n", name)) is not null)
            {
                Db.Execute(connection, tx, "INSERT INTO sqlite_sequence (name, seq) VALUES ($n, $v);", ("$n", name), ("$v", value));
            }
        }
    }

    private static void RequirePrimaryKeys(SqliteConnection connection, SqliteTransaction? tx)
    {
        var missing = Db.Query(
            connection,
            tx,
            """
            SELECT m.name FROM sqlite_master m
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT IN ('replica_state', 'programmes_schema')
              AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.pk > 0)
            ORDER BY m.name;
            """,
            r => r.GetString(0));
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Replicated records need a PRIMARY KEY on every table, and these have none: {string.Join(", ", missing)}. SQLite sessions would silently leave their changes out of the log.");
        }
    }
}
