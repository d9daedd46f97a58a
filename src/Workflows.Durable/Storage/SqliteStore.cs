using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Workflows.Durable.Storage;

/// <summary>
/// One SQLite connection served by one loop. Every operation is queued; the loop drains what is queued,
/// runs each operation inside a savepoint of one transaction and commits once (group commit), then
/// completes the callers. A failing operation rolls back only its own savepoint.
/// </summary>
internal sealed partial class SqliteStore : IAsyncDisposable
{
    public const int SchemaVersion = 1;

    private const int MaxBatch = 256;
    private const int MaxOpsPerTransaction = 20_000;
    private static readonly TimeSpan MaxTransactionTime = TimeSpan.FromMilliseconds(8);
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);

    private readonly Channel<StoreOp> queue = Channel.CreateUnbounded<StoreOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly SqliteConnection connection;
    private readonly Task loop;
    private readonly ManualResetEventSlim wake = new(false);
    private volatile bool closed;

    private readonly bool pipelining;

    public SqliteStore(string path, SqliteSynchronousMode synchronous, bool pipelining = true)
    {
        this.pipelining = pipelining;
        this.Path = path;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        this.connection = new SqliteConnection(builder.ToString());
        try
        {
            this.connection.Open();
            this.Pragma("PRAGMA journal_mode=WAL;");
            this.Pragma("PRAGMA busy_timeout=30000;");
            this.Pragma(synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
            this.Pragma("PRAGMA foreign_keys=OFF;");
            this.CreateSchema();
        }
        catch
        {
            this.connection.Dispose();
            this.wake.Dispose();
            throw;
        }

        this.loop = Task.Factory.StartNew(this.RunLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Path { get; }

    /// <summary>Queues an operation; the task completes when its transaction is durable.</summary>
    public Task<T> ExecuteAsync<T>(Func<StoreSession, T> work) => this.Enqueue(new StoreOp<T>(work, pipelined: false, urgent: true)).Durable;

    public Task ExecuteAsync(Action<StoreSession> work) => this.ExecuteAsync<bool>(s =>
    {
        work(s);
        return true;
    });

    /// <summary>
    /// Queues an operation. <see cref="StoreTicket{T}.Executed"/> completes as soon as it ran inside the open
    /// transaction (later operations on this connection see its writes); <see cref="StoreTicket{T}.Durable"/>
    /// when the transaction committed. A pipelined operation keeps the transaction open briefly for the
    /// follow-up operations its effects cause (an activity result, the next episode), so a chain of steps
    /// shares one commit. Only effects that may safely repeat after a crash may start on Executed.
    /// </summary>
    /// <param name="work">The operation.</param>
    /// <param name="pipelined">Whether its effects are likely to cause follow-up operations.</param>
    /// <param name="onExecuted">A cheap, non-blocking callback run on the store thread right after the operation ran (before Executed completes).</param>
    public StoreTicket<T> Submit<T>(Func<StoreSession, T> work, bool pipelined, Action<T>? onExecuted = null)
        => this.Enqueue(new StoreOp<T>(work, pipelined && this.pipelining, urgent: false, onExecuted));

    private StoreTicket<T> Enqueue<T>(StoreOp<T> op)
    {
        if (this.closed || !this.queue.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteStore), "The durable store is closed.");
        }

        this.wake.Set();
        return op.Ticket;
    }

    public async ValueTask DisposeAsync()
    {
        this.closed = true;
        this.queue.Writer.TryComplete();
        this.wake.Set();
        try
        {
            await this.loop;
        }
        finally
        {
            foreach (SqliteCommand c in this.commands.Values)
            {
                c.Dispose();
            }

            this.commands.Clear();
            await this.connection.DisposeAsync();
            this.wake.Dispose();
        }
    }

    [GeneratedRegex(@"[@$][A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ParameterPattern();

    private void Pragma(string sql)
    {
        using SqliteCommand c = this.connection.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    private void CreateSchema()
    {
        this.Pragma("""
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS instances (
                instance_id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                status INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                last_updated_at INTEGER NOT NULL,
                input TEXT,
                output TEXT,
                custom_status TEXT,
                failure TEXT,
                generation INTEGER NOT NULL,
                parent_instance_id TEXT,
                parent_task_id INTEGER,
                parent_generation INTEGER,
                history_count INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS ix_instances_created ON instances (created_at);
            CREATE INDEX IF NOT EXISTS ix_instances_parent ON instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS history (
                instance_id TEXT NOT NULL,
                generation INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (instance_id, generation, seq)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT NOT NULL,
                generation INTEGER,
                event TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_messages_instance ON messages (instance_id, id);
            CREATE TABLE IF NOT EXISTS timers (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT NOT NULL,
                generation INTEGER,
                task_id INTEGER,
                fire_at INTEGER NOT NULL,
                event TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_timers_instance ON timers (instance_id, fire_at);
            CREATE INDEX IF NOT EXISTS ix_timers_fire ON timers (fire_at);
            CREATE TABLE IF NOT EXISTS activities (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT NOT NULL,
                generation INTEGER NOT NULL,
                task_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                input TEXT,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                delivery_count INTEGER NOT NULL DEFAULT 0,
                UNIQUE (instance_id, generation, task_id));
            CREATE TABLE IF NOT EXISTS worker_lock (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                owner_id TEXT NOT NULL,
                process_id INTEGER NOT NULL,
                machine TEXT NOT NULL,
                acquired_at INTEGER NOT NULL);
            """);
        using SqliteCommand check = this.connection.CreateCommand();
        check.CommandText = "SELECT version FROM schema_version LIMIT 1;";
        object? version = check.ExecuteScalar();
        if (version is null)
        {
            this.Pragma($"INSERT INTO schema_version (version) VALUES ({SchemaVersion});");
        }
        else if (Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture) != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The durable database '{this.Path}' has schema version {version}; this runtime reads version {SchemaVersion}. Upgrade the runtime or use another file.");
        }
    }

    private void RunLoop()
    {
        var session = new StoreSession(this);
        var executed = new List<StoreOp>(MaxBatch);
        while (true)
        {
            this.wake.Reset();
            if (!this.queue.Reader.TryPeek(out _))
            {
                if (this.queue.Reader.Completion.IsCompleted)
                {
                    return;
                }

                this.wake.Wait();
                continue;
            }

            executed.Clear();
            this.RunTransaction(session, executed);
        }
    }

    private void RunTransaction(StoreSession session, List<StoreOp> executed)
    {
        try
        {
            this.Command("BEGIN IMMEDIATE;").ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            while (this.queue.Reader.TryRead(out StoreOp? op))
            {
                op.Fail(ex);
            }

            return;
        }

        long started = Stopwatch.GetTimestamp();
        bool linger = false;
        bool urgent = false;
        while (true)
        {
            int ran = 0;
            while (executed.Count < MaxOpsPerTransaction && this.queue.Reader.TryRead(out StoreOp? op))
            {
                ran++;
                this.Command("SAVEPOINT op;").ExecuteNonQuery();
                try
                {
                    op.Run(session);
                    this.Command("RELEASE op;").ExecuteNonQuery();
                    executed.Add(op);
                    linger |= op.Pipelined;
                    urgent |= op.Urgent;
                    op.SignalExecuted();
                }
                catch (Exception ex)
                {
                    try
                    {
                        this.Command("ROLLBACK TO op;").ExecuteNonQuery();
                        this.Command("RELEASE op;").ExecuteNonQuery();
                    }
                    catch (SqliteException)
                    {
                        // The transaction is gone; the commit below fails and reports it to everyone.
                    }

                    op.Fail(ex);
                }
            }

            // A caller waiting for durability (a client call) ends the lingering: commit now.
            if (!linger || urgent || executed.Count >= MaxOpsPerTransaction || Stopwatch.GetElapsedTime(started) >= MaxTransactionTime)
            {
                break;
            }

            if (ran == 0)
            {
                // Wait briefly for the follow-up work our early effects started (the next activity result or episode).
                this.wake.Reset();
                if (!this.queue.Reader.TryPeek(out _) && !this.wake.Wait(Linger))
                {
                    break;
                }
            }
        }

        try
        {
            this.Command("COMMIT;").ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            try
            {
                this.Command("ROLLBACK;").ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Nothing left to roll back.
            }

            foreach (StoreOp op in executed)
            {
                op.Fail(ex);
            }

            return;
        }

        foreach (StoreOp op in executed)
        {
            op.Succeed();
        }
    }

    internal SqliteCommand Command(string sql)
    {
        if (!this.commands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = this.connection.CreateCommand();
            command.CommandText = sql;
            foreach (Match m in ParameterPattern().Matches(sql))
            {
                if (!command.Parameters.Contains(m.Value))
                {
                    command.Parameters.Add(new SqliteParameter(m.Value, null));
                }
            }

            command.Prepare();
            this.commands[sql] = command;
        }

        return command;
    }

    private abstract class StoreOp(bool pipelined, bool urgent)
    {
        public bool Pipelined => pipelined;

        public bool Urgent => urgent;

        public abstract void Run(StoreSession session);

        public abstract void SignalExecuted();

        public abstract void Succeed();

        public abstract void Fail(Exception ex);
    }

    private sealed class StoreOp<T>(Func<StoreSession, T> work, bool pipelined, bool urgent, Action<T>? onExecuted = null) : StoreOp(pipelined, urgent)
    {
        private readonly TaskCompletionSource<T> executed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<T> durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public StoreTicket<T> Ticket => new(this.executed.Task, this.durable.Task);

        public override void Run(StoreSession session) => this.result = work(session);

        public override void SignalExecuted()
        {
            if (onExecuted is not null)
            {
                try
                {
                    onExecuted(this.result!);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    this.executed.TrySetException(ex);
                    return;
                }
            }

            this.executed.TrySetResult(this.result!);
        }

        public override void Succeed() => this.durable.TrySetResult(this.result!);

        public override void Fail(Exception ex)
        {
            this.executed.TrySetException(ex);
            this.durable.TrySetException(ex);
        }
    }
}

/// <summary>The two completions of a queued store operation.</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <param name="Executed">Completes when the operation ran inside the open transaction.</param>
/// <param name="Durable">Completes when its transaction committed (fails if it rolled back).</param>
internal readonly record struct StoreTicket<T>(Task<T> Executed, Task<T> Durable);

/// <summary>Access to the store's connection inside one queued operation.</summary>
internal sealed class StoreSession(SqliteStore store)
{
    public int Execute(string sql, params object?[] args)
    {
        SqliteCommand c = this.Bind(sql, args);
        return c.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params object?[] args)
    {
        SqliteCommand c = this.Bind(sql, args);
        object? v = c.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public SqliteDataReader Query(string sql, params object?[] args) => this.Bind(sql, args).ExecuteReader();

    private SqliteCommand Bind(string sql, object?[] args)
    {
        SqliteCommand c = store.Command(sql);
        if (c.Parameters.Count != args.Length)
        {
            throw new InvalidOperationException($"SQL expects {c.Parameters.Count} parameters, got {args.Length}: {sql}");
        }

        for (int i = 0; i < args.Length; i++)
        {
            c.Parameters[i].Value = args[i] ?? DBNull.Value;
        }

        return c;
    }
}
