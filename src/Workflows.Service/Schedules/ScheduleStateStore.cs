using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Service.Schedules;

/// <summary>What the runner remembers about one job across restarts.</summary>
/// <param name="JobName">The job.</param>
/// <param name="Cursor">Occurrences up to and including this instant are done (or were before the job was first seen).</param>
/// <param name="InFlight">An occurrence started but not finished (the host stopped mid-run), if any.</param>
/// <param name="LastStatus"><c>Registered</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</param>
/// <param name="LastError">Error of the last failed run.</param>
/// <param name="LastStartedAt">When the last run started.</param>
/// <param name="LastFinishedAt">When the last run finished.</param>
/// <param name="Failures">Failed runs of the in-flight occurrence so far.</param>
/// <param name="RetryAt">When the in-flight occurrence is tried again after a failure.</param>
public sealed record ScheduleState(
    string JobName,
    DateTimeOffset Cursor,
    DateTimeOffset? InFlight,
    string LastStatus,
    string? LastError,
    DateTimeOffset? LastStartedAt,
    DateTimeOffset? LastFinishedAt,
    int Failures,
    DateTimeOffset? RetryAt);

/// <summary>
/// Persists schedule progress in the records database (table <c>schedule_runs</c>, created by
/// <see cref="ProgrammeRecords.EnsureSchema"/> from <see cref="Schema"/>).
/// </summary>
public sealed class ScheduleStateStore
{
    /// <summary>The table's DDL (idempotent), for a host that applies every feature's schema at start.</summary>
    public const string SchemaScript = """
        CREATE TABLE IF NOT EXISTS schedule_runs (
            job_name TEXT PRIMARY KEY,
            cursor INTEGER NOT NULL,
            in_flight INTEGER NULL,
            last_status TEXT NOT NULL,
            last_error TEXT NULL,
            last_started_at INTEGER NULL,
            last_finished_at INTEGER NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            retry_at INTEGER NULL
        );
        """;

    private readonly ProgrammeRecords _records;

    /// <summary>Creates a store over the records database.</summary>
    /// <param name="records">The programme records; they must have been built with <see cref="Schema"/>.</param>
    /// <exception cref="ArgumentException">The records do not create the <c>schedule_runs</c> table.</exception>
    public ScheduleStateStore(ProgrammeRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!records.Schemas.Any(s => s.Name == Schema.Name))
        {
            throw new ArgumentException(
                $"The ProgrammeRecords were built without the records.db schema '{Schema.Name}'; pass ScheduleStateStore.Schema (or the registered RecordsSchema services) to its constructor.",
                nameof(records));
        }

        _records = records;
    }

    /// <summary>The <c>schedule_runs</c> piece of the records schema: the table, and the columns older databases lack.</summary>
    public static RecordsSchema Schema { get; } = new("schedules", SchemaScript, AddMissingColumns);

    /// <summary>Reads a job's state, creating it with the cursor at <paramref name="now"/> when the job is new.</summary>
    /// <param name="jobName">The job.</param>
    /// <param name="now">The current time, the starting point of a new job's schedule.</param>
    /// <returns>The state.</returns>
    public ScheduleState GetOrCreate(string jobName, DateTimeOffset now) => _records.Transaction((connection, transaction) =>
    {
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO schedule_runs (job_name, cursor, last_status) VALUES ($job, $now, 'Registered')
                ON CONFLICT (job_name) DO NOTHING;
                """;
            insert.Parameters.AddWithValue("$job", jobName);
            insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
        }

        return Get(connection, transaction, jobName)!;
    });

    /// <summary>Reads a job's state, or null when the job has never been seen.</summary>
    /// <param name="jobName">The job.</param>
    /// <returns>The state or null.</returns>
    public ScheduleState? Get(string jobName) => _records.Read(connection => Get(connection, null, jobName));

    /// <summary>Records that the run of <paramref name="scheduledAt"/> started.</summary>
    /// <param name="jobName">The job.</param>
    /// <param name="scheduledAt">The occurrence.</param>
    /// <param name="startedAt">When it started.</param>
    public void MarkStarted(string jobName, DateTimeOffset scheduledAt, DateTimeOffset startedAt) =>
        Execute("""
            UPDATE schedule_runs SET in_flight = $at, last_status = 'Running', last_started_at = $started
             WHERE job_name = $job;
            """, jobName, ("$at", scheduledAt.ToUnixTimeMilliseconds()), ("$started", startedAt.ToUnixTimeMilliseconds()));

    /// <summary>Records that the run of <paramref name="scheduledAt"/> finished; the cursor moves to it.</summary>
    /// <param name="jobName">The job.</param>
    /// <param name="scheduledAt">The occurrence.</param>
    /// <param name="finishedAt">When it finished.</param>
    /// <param name="error">The error when the run failed, else null.</param>
    public void MarkFinished(string jobName, DateTimeOffset scheduledAt, DateTimeOffset finishedAt, string? error) =>
        Execute("""
            UPDATE schedule_runs
               SET cursor = MAX(cursor, $at), in_flight = NULL, last_status = $status, last_error = $error, last_finished_at = $finished,
                   failures = 0, retry_at = NULL
             WHERE job_name = $job;
            """, jobName,
            ("$at", scheduledAt.ToUnixTimeMilliseconds()),
            ("$status", error is null ? "Succeeded" : "Failed"),
            ("$error", (object?)error ?? DBNull.Value),
            ("$finished", finishedAt.ToUnixTimeMilliseconds()));

    /// <summary>Records a failed run of <paramref name="scheduledAt"/> that is tried again at <paramref name="retryAt"/>; the occurrence stays in flight.</summary>
    /// <param name="jobName">The job.</param>
    /// <param name="scheduledAt">The occurrence.</param>
    /// <param name="finishedAt">When the failed run ended.</param>
    /// <param name="retryAt">When to try again.</param>
    /// <param name="error">The error.</param>
    public void MarkRetry(string jobName, DateTimeOffset scheduledAt, DateTimeOffset finishedAt, DateTimeOffset retryAt, string error) =>
        Execute("""
            UPDATE schedule_runs
               SET in_flight = $at, last_status = 'Failed', last_error = $error, last_finished_at = $finished,
                   failures = failures + 1, retry_at = $retry
             WHERE job_name = $job;
            """, jobName,
            ("$at", scheduledAt.ToUnixTimeMilliseconds()),
            ("$error", error),
            ("$finished", finishedAt.ToUnixTimeMilliseconds()),
            ("$retry", retryAt.ToUnixTimeMilliseconds()));

    private void Execute(string sql, string jobName, params (string Name, object Value)[] values) => _records.Transaction((connection, transaction) =>
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$job", jobName);
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value);
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"Schedule state for job '{jobName}' is missing; it is created when the job is first seen.");
        }
    });

    // Databases created before retries existed lack the retry columns.
    private static void AddMissingColumns(SqliteConnection connection, SqliteTransaction transaction)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = "SELECT name FROM pragma_table_info('schedule_runs');";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        foreach (var (column, definition) in new[] { ("failures", "INTEGER NOT NULL DEFAULT 0"), ("retry_at", "INTEGER NULL") })
        {
            if (!columns.Contains(column))
            {
                // Inside the schema transaction (BEGIN IMMEDIATE): no other writer can have added it meanwhile.
                using var alter = connection.CreateCommand();
                alter.Transaction = transaction;
                alter.CommandText = $"ALTER TABLE schedule_runs ADD COLUMN {column} {definition};";
                alter.ExecuteNonQuery();
            }
        }
    }

    private static ScheduleState? Get(SqliteConnection connection, SqliteTransaction? transaction, string jobName)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT cursor, in_flight, last_status, last_error, last_started_at, last_finished_at, failures, retry_at
              FROM schedule_runs WHERE job_name = $job;
            """;
        command.Parameters.AddWithValue("$job", jobName);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return new ScheduleState(
            jobName,
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)),
            r.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
            r.GetInt32(6),
            r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)));
    }
}
