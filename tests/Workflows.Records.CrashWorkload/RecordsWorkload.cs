using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Records.CrashWorkload;

/// <summary>
/// The workload the replicated-records crash test runs in a child process: one writer appends numbered rows through a
/// <see cref="RecordsReplica"/> over the table service until its highest number reaches the count. Each write is one
/// transaction that reads the writer's highest n, inserts (writer, n + 1) under a UNIQUE (writer, n) and increments the
/// writer's counter row; so a restarted writer continues where the log says the last run stopped.
/// </summary>
/// <remarks>
/// Output, one line each, flushed at once: <c>ready</c> (before the replica is first used, so a kill may land in its
/// start-up catch-up or rebuild), <c>committed &lt;n&gt;</c> after each <c>TransactionAsync</c> returns,
/// <c>log &lt;level&gt;: &lt;message&gt;</c> for what the replica reports (rebuilds, snapshots), and <c>done &lt;n&gt;</c>.
/// </remarks>
public static class RecordsWorkload
{
    /// <summary>The numbered rows: an AUTOINCREMENT id (so the log carries counters too) and a unique (writer, n).</summary>
    public const string RowsTable = "crash_rows";

    /// <summary>One counter row per writer, incremented by every write.</summary>
    public const string CountersTable = "crash_counters";

    /// <summary>Snapshots are taken this often (positions), so that restarts and rebuilds also go through snapshots.</summary>
    public const int SnapshotEvery = 40;

    /// <summary>The schema piece the workload's <see cref="ProgrammeRecords"/> keeps.</summary>
    public static RecordsSchema Schema { get; } = new(
        "crash",
        $"""
        CREATE TABLE IF NOT EXISTS {RowsTable} (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            writer TEXT NOT NULL,
            n INTEGER NOT NULL,
            UNIQUE (writer, n));
        CREATE TABLE IF NOT EXISTS {CountersTable} (
            writer TEXT PRIMARY KEY,
            count INTEGER NOT NULL);
        """);

    /// <summary>Writes until the writer's highest n is <paramref name="count"/>.</summary>
    /// <returns>The exit code: 0 when done.</returns>
    public static async Task<int> RunAsync(string connectionString, string table, string localPath, string writer, int count)
    {
        Say("ready");
        using var store = RestTableStore.FromConnectionString(connectionString, table);
        await store.CreateTableIfNotExistsAsync();
        using var replica = new RecordsReplica(store, localPath, new RecordsReplicaOptions
        {
            InstanceId = writer,
            SnapshotEvery = SnapshotEvery,
            Logger = new LineLogger(),
        });
        var records = new ProgrammeRecords(replica, modules: [], schemas: [Schema]);
        while (true)
        {
            long n = await records.TransactionAsync((connection, tx) => Task.FromResult(WriteNext(connection, tx, writer, count)));
            if (n == 0)
            {
                break;
            }

            Say("committed " + n.ToString(CultureInfo.InvariantCulture));
        }

        Say("done " + count.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Inserts the writer's next row and counts it; returns its n, or 0 when the writer has reached the count.</summary>
    private static long WriteNext(SqliteConnection connection, SqliteTransaction tx, string writer, int count)
    {
        using var max = connection.CreateCommand();
        max.Transaction = tx;
        max.CommandText = $"SELECT COALESCE(MAX(n), 0) FROM {RowsTable} WHERE writer = $w;";
        max.Parameters.AddWithValue("$w", writer);
        long n = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture) + 1;
        if (n > count)
        {
            return 0;
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            $"""
            INSERT INTO {RowsTable} (writer, n) VALUES ($w, $n);
            INSERT INTO {CountersTable} (writer, count) VALUES ($w, 1) ON CONFLICT (writer) DO UPDATE SET count = count + 1;
            """;
        insert.Parameters.AddWithValue("$w", writer);
        insert.Parameters.AddWithValue("$n", n);
        insert.ExecuteNonQuery();
        return n;
    }

    private static void Say(string line)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>Writes what the replica reports as <c>log &lt;level&gt;: &lt;message&gt;</c> lines, for the test to read.</summary>
    private sealed class LineLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!this.IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception) + (exception is null ? string.Empty : " (" + exception.GetType().Name + ": " + exception.Message + ")");
            Say($"log {logLevel}: {message.ReplaceLineEndings(" ")}");
        }
    }
}
