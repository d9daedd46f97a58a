using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records.Replication;

namespace Workflows.Programmes.Records;

/// <summary>
/// The programme records in the SQLite database <c>records.db</c>: parties, subscriptions, the audit trail, the
/// ledger, the lifecycle read model and the mail outbox. Every state change runs in one <see cref="Transaction(Action{SqliteConnection, SqliteTransaction})"/>
/// together with its audit entry and its outbox mail, so either all three are committed or none is.
/// </summary>
/// <remarks>
/// <para>The schema is created idempotently on first use (<c>CREATE TABLE IF NOT EXISTS</c>) and versioned in the
/// table <c>programmes_schema</c>; a database written by a newer version is refused rather than misread.</para>
/// <para>Modules (<see cref="IProgrammeModule"/>) contribute their own tables through <see cref="IProgrammeModule.SchemaScript"/>;
/// the host adds the rest (idempotency keys, schedule state) as <see cref="RecordsSchema"/> pieces. Every table of
/// <c>records.db</c> is created by <see cref="EnsureSchema"/>, in its one transaction.</para>
/// <para>The only ways in: <see cref="Transaction(Action{SqliteConnection, SqliteTransaction})"/> /
/// <see cref="TransactionAsync{T}"/> for every write and <see cref="Read{T}"/> / <see cref="ReadAsync{T}"/> (read-only
/// connections: a write fails) for every read.</para>
/// <para>Thread-safe: every call opens its own connection (pooled). Write transactions start with
/// <c>BEGIN IMMEDIATE</c>, so concurrent writers queue on the busy timeout instead of failing on lock upgrades.</para>
/// </remarks>
public sealed class ProgrammeRecords
{
    /// <summary>The schema version this code writes and reads.</summary>
    /// <remarks>
    /// Version 2: the ledger's uniqueness includes the project key. Version 3: so does an application's within a call.
    /// Older databases are moved over on open, keeping every row and id.
    /// </remarks>
    public const int SchemaVersion = 3;

    private readonly string connectionString;
    private readonly string pragmas;
    private readonly IReadOnlyList<IProgrammeModule> modules;
    private readonly IReadOnlyList<RecordsSchema> schemas;
    private readonly Lock schemaGate = new();
    private readonly RecordsReplica? replica;
    private readonly RecordsSchemaDefinition replicationSchema;
    private volatile bool schemaReady;

    /// <summary>Initializes the records over a database.</summary>
    /// <param name="connectionStringOrPath">
    /// A Microsoft.Data.Sqlite connection string (<c>Data Source=app_data/records.db</c>) or a plain file path.
    /// </param>
    /// <param name="modules">Modules whose schema scripts are applied; <see cref="ProgrammeModules.All"/> when null.</param>
    /// <param name="schemas">
    /// The host's further pieces of the schema (idempotent scripts), applied by <see cref="EnsureSchema"/> after the
    /// modules' scripts, in this order; a piece given twice (same name and script) counts once.
    /// </param>
    /// <exception cref="ArgumentException">The value is empty, or two pieces share a name but differ.</exception>
    public ProgrammeRecords(string connectionStringOrPath, IEnumerable<IProgrammeModule>? modules = null, IEnumerable<RecordsSchema>? schemas = null)
        : this(connectionStringOrPath, null, modules, schemas)
    {
    }

    /// <summary>
    /// Initializes records replicated through a shared log (the Azure Functions host): every write is appended to the
    /// log of <paramref name="replica"/> before it commits in the local copy, and every read first catches the copy up.
    /// </summary>
    /// <param name="replica">The replica; it keeps this records' schema and serves no other <see cref="ProgrammeRecords"/>.</param>
    /// <param name="modules">Modules whose schema scripts are applied; <see cref="ProgrammeModules.All"/> when null.</param>
    /// <param name="schemas">The host's further pieces of the schema, as for a local database.</param>
    public ProgrammeRecords(RecordsReplica replica, IEnumerable<IProgrammeModule>? modules = null, IEnumerable<RecordsSchema>? schemas = null)
        : this((replica ?? throw new ArgumentNullException(nameof(replica))).ConnectionString, replica, modules, schemas)
    {
    }

    private ProgrammeRecords(string connectionStringOrPath, RecordsReplica? replica, IEnumerable<IProgrammeModule>? modules, IEnumerable<RecordsSchema>? schemas)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrPath);
        this.connectionString = ToConnectionString(connectionStringOrPath);
        this.modules = (modules ?? ProgrammeModules.All).ToList();
        this.schemas = Distinct(schemas ?? []);

        // SQLite's own busy handler waits for another writer inside every statement, as long as the connection string's
        // Default Timeout (30 s unless set).
        var timeout = new SqliteConnectionStringBuilder(this.connectionString).DefaultTimeout;
        this.pragmas = $"PRAGMA busy_timeout = {(timeout * 1000).ToString(CultureInfo.InvariantCulture)}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        this.replicationSchema = new RecordsSchemaDefinition(SchemaVersion, this.ApplySchema);
        this.replica = replica;
        replica?.UseSchema(this.replicationSchema);
    }

    /// <summary>Gets the replica when the records are replicated through a shared log; null for a local database.</summary>
    public RecordsReplica? Replica => this.replica;

    /// <summary>
    /// Gets the whole schema as a replica keeps it: <see cref="SchemaVersion"/> and the script <see cref="EnsureSchema"/>
    /// runs (for <see cref="RecordsReplica.PublishAsync"/> and the records tools).
    /// </summary>
    public RecordsSchemaDefinition ReplicationSchema => this.replicationSchema;

    /// <summary>Gets the connection string in use.</summary>
    public string ConnectionString => this.connectionString;

    /// <summary>Gets the host's further pieces of the schema, in the order <see cref="EnsureSchema"/> applies them.</summary>
    public IReadOnlyList<RecordsSchema> Schemas => this.schemas;

    /// <summary>
    /// Gets the core schema script (parties, experts, subscriptions, audit, ledger). Idempotent; the host may register it
    /// with its records-database schema list, although <see cref="EnsureSchema"/> applies it on first use anyway.
    /// </summary>
    public static string CoreSchemaScript => Schema.Core;

    /// <summary>Turns a path into a connection string; a value that already is a connection string is returned as is.</summary>
    /// <param name="connectionStringOrPath">A connection string or a file path.</param>
    /// <returns>The connection string.</returns>
    public static string ToConnectionString(string connectionStringOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrPath);
        if (connectionStringOrPath.Contains('=', StringComparison.Ordinal))
        {
            return connectionStringOrPath;
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = connectionStringOrPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Creates every table when missing and checks the schema version. Safe to call any number of times.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer schema version.</exception>
    public void EnsureSchema()
    {
        if (this.schemaReady)
        {
            return;
        }

        lock (this.schemaGate)
        {
            if (this.schemaReady)
            {
                return;
            }

            if (this.replica is not null)
            {
                // The replica applies the schema itself, at the log position where it belongs.
                this.replica.Refresh();
                this.schemaReady = true;
                return;
            }

            CreateFolder(this.connectionString);
            using var connection = this.OpenRaw(readOnly: false);
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            using var tx = connection.BeginTransaction(deferred: false);
            this.ApplySchema(connection, tx);
            tx.Commit();
            this.schemaReady = true;
        }
    }

    private void ApplySchema(SqliteConnection connection, SqliteTransaction tx)
    {
        Execute(connection, tx, Schema.Core);
        MoveOver(connection, tx, "ledger_entries", Schema.LedgerVersion1Constraint, Schema.LedgerRebuild);
        Execute(connection, tx, Schema.LedgerAwardIndex);
        Outbox.SqliteOutbox.EnsureSchema(connection, tx);
        foreach (var module in this.modules)
        {
            if (!string.IsNullOrWhiteSpace(module.SchemaScript))
            {
                Execute(connection, tx, module.SchemaScript);
            }
        }

        if (MoveOver(connection, tx, "applications", Calls.LifecycleSchema.ApplicationsOldConstraint, Calls.LifecycleSchema.ApplicationsRebuild))
        {
            Execute(connection, tx, Calls.LifecycleSchema.ApplicationsUniqueIndex);
        }

        foreach (var schema in this.schemas)
        {
            try
            {
                Execute(connection, tx, schema.Script);
                schema.Upgrade?.Invoke(connection, tx);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException($"The records.db schema '{schema.Name}' failed: {ex.Message}", ex);
            }
        }

        var stored = Db.Scalar(connection, tx, "SELECT MAX(version) FROM programmes_schema;");
        if (stored is long v && v > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"records.db has programme schema version {v.ToString(CultureInfo.InvariantCulture)}, newer than this build's {SchemaVersion.ToString(CultureInfo.InvariantCulture)}; upgrade the application.");
        }

        if (stored is not long || (long)stored < SchemaVersion)
        {
            Db.Execute(connection, tx, "INSERT INTO programmes_schema (version) VALUES ($v);", ("$v", SchemaVersion));
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (<c>BEGIN IMMEDIATE</c>) and commits it; an exception
    /// rolls everything back and propagates. Put the state change, its audit entry and its outbox mail in one call.
    /// </summary>
    /// <remarks>
    /// <para>The work may run more than once: with replicated records a commit that loses the race with another
    /// instance is rolled back, the replica catches up and the work runs again. So it must touch nothing but the
    /// database (no mail sending, no HTTP, no in-memory state the caller reads later), and its result must come from
    /// what it read and wrote through <paramref name="work"/>'s connection.</para>
    /// </remarks>
    /// <param name="work">The work; it must use the given transaction on every command.</param>
    public void Transaction(Action<SqliteConnection, SqliteTransaction> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        this.Transaction<object?>((c, t) =>
        {
            work(c, t);
            return null;
        });
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction and returns its result.</summary>
    /// <remarks>
    /// The work may run more than once (replication retries): it must touch nothing but the database, and its result
    /// must come from what it read and wrote. See <see cref="Transaction(Action{SqliteConnection, SqliteTransaction})"/>.
    /// </remarks>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work; it must use the given transaction on every command.</param>
    /// <returns>The result of <paramref name="work"/>.</returns>
    public T Transaction<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (this.replica is not null)
        {
            return this.replica.Write(work);
        }

        using var connection = this.Open(readOnly: false);
        using var tx = connection.BeginTransaction(deferred: false);
        var result = work(connection, tx);
        tx.Commit();
        return result;
    }

    /// <summary>Runs asynchronous <paramref name="work"/> in one write transaction and returns its result.</summary>
    /// <remarks>
    /// The work may run more than once (replication retries): it must touch nothing but the database, and its result
    /// must come from what it read and wrote. See <see cref="Transaction(Action{SqliteConnection, SqliteTransaction})"/>.
    /// </remarks>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work; it must use the given transaction on every command and touch nothing but the database.</param>
    /// <param name="cancellationToken">Cancels the work before it commits.</param>
    /// <returns>The result of <paramref name="work"/>.</returns>
    public async Task<T> TransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        if (this.replica is not null)
        {
            return await this.replica.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }

        await using var connection = this.Open(readOnly: false);
        await using var tx = connection.BeginTransaction(deferred: false);
        var result = await work(connection, tx).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs an asynchronous read-only query on its own read-only connection.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="query">The query; a write fails with a SQLite error (<c>attempt to write a readonly database</c>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result.</returns>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection connection;
        if (this.replica is not null)
        {
            await this.replica.RefreshAsync(cancellationToken).ConfigureAwait(false);
            connection = this.OpenRaw(readOnly: true);
        }
        else
        {
            connection = this.Open(readOnly: true);
        }

        await using var owned = connection;
        return await query(connection).ConfigureAwait(false);
    }

    /// <summary>Runs a read-only query on its own read-only connection.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="query">The query; a write fails with a SQLite error (<c>attempt to write a readonly database</c>).</param>
    /// <returns>The result.</returns>
    public T Read<T>(Func<SqliteConnection, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = this.Open(readOnly: true);
        return query(connection);
    }

    private static IReadOnlyList<RecordsSchema> Distinct(IEnumerable<RecordsSchema> schemas)
    {
        var kept = new List<RecordsSchema>();
        foreach (var schema in schemas)
        {
            ArgumentNullException.ThrowIfNull(schema, nameof(schemas));
            if (kept.Find(k => k.Name == schema.Name) is { } same)
            {
                if (same.Script != schema.Script || same.Upgrade != schema.Upgrade)
                {
                    throw new ArgumentException($"Two records.db schema pieces are named '{schema.Name}' but differ; give each piece its own name.", nameof(schemas));
                }

                continue;
            }

            kept.Add(schema);
        }

        return kept;
    }

    private static void CreateFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private SqliteConnection Open(bool readOnly)
    {
        if (this.replica is not null)
        {
            // Writes go through the replica; every read first sees what any instance committed before it began.
            this.replica.Refresh();
            return this.OpenRaw(readOnly);
        }

        this.EnsureSchema();
        return this.OpenRaw(readOnly);
    }

    private SqliteConnection OpenRaw(bool readOnly)
    {
        var connection = new SqliteConnection(this.connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // WAL with synchronous=NORMAL: a commit survives a process crash (the durable runtime's guarantee too); only a
            // power cut may lose the last commits, which the orchestrations then redo idempotently. FULL costs an fsync per commit.
            // query_only is set either way: connections are pooled, so a read's ON must not outlive it into a write.
            command.CommandText = this.pragmas + (readOnly ? " PRAGMA query_only = ON;" : " PRAGMA query_only = OFF;");
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Rebuilds <paramref name="table"/> with <paramref name="rebuild"/> when its stored definition still holds
    /// <paramref name="oldConstraint"/> (a database written before that constraint changed).
    /// </summary>
    /// <returns>False when the table does not exist (its module is not in use).</returns>
    private static bool MoveOver(SqliteConnection connection, SqliteTransaction tx, string table, string oldConstraint, string rebuild)
    {
        if (Db.Scalar(connection, tx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $t;", ("$t", table)) is not string definition)
        {
            return false;
        }

        if (definition.Contains(oldConstraint, StringComparison.Ordinal))
        {
            Execute(connection, tx, rebuild);
        }

        return true;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string script)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = script;
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// A piece of the <c>records.db</c> schema that the host contributes (idempotency keys, schedule state), applied by
/// <see cref="ProgrammeRecords.EnsureSchema"/> in its one transaction at every start, so it must be idempotent
/// (<c>CREATE TABLE IF NOT EXISTS</c>, <c>CREATE INDEX IF NOT EXISTS</c>).
/// </summary>
/// <param name="Name">A short name for logs and errors, e.g. <c>idempotency</c>.</param>
/// <param name="Script">The SQL to run.</param>
/// <param name="Upgrade">
/// Runs after <paramref name="Script"/> in the same transaction to bring an older table up to date (e.g. add a
/// column); must touch nothing but the database and be safe to run on a table already up to date.
/// </param>
public sealed record RecordsSchema(string Name, string Script, Action<SqliteConnection, SqliteTransaction>? Upgrade = null);
