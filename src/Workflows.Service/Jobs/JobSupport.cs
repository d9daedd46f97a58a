using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Durable.Client;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Service.Jobs;

/// <summary>Settings of the scheduled jobs (section <c>Workflows:Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Jobs";

    /// <summary>Where the deadline sweep mails its findings.</summary>
    /// <value>Defaults to <c>bureau@localhost</c>.</value>
    public string BureauEmail { get; set; } = "bureau@localhost";
}

/// <summary>Small helpers shared by the jobs: read-only queries, instance checks and audit/mail writes.</summary>
internal static class JobSupport
{
    /// <summary>The actor of every job's entries.</summary>
    public static readonly Actor Scheduler = new("scheduler", "system");

    /// <summary>Runtime states in which an orchestration is alive (waiting on a timer or an event counts as running).</summary>
    public static bool IsAlive(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended };

    /// <summary>True when the instance ended without finishing its work (failed or terminated).</summary>
    public static bool HasBroken(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated };

    /// <summary>Unix milliseconds, as records.db stores times.</summary>
    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Formats an integer for keys.</summary>
    public static string Key(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs a read-only query returning rows mapped by <paramref name="map"/>.</summary>
    public static List<T> Query<T>(ProgrammeRecords records, string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters) =>
        records.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var rows = new List<T>();
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(map(reader));
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase))
            {
                // A module's tables are created on first use: nothing of that kind exists yet.
            }

            return rows;
        });

    /// <summary>True when an audit entry with this key exists.</summary>
    public static bool Exists(ProgrammeRecords records, string key) =>
        Query(records, "SELECT 1 FROM audit_entries WHERE idempotency_key = $k;", r => r.GetInt64(0), ("$k", key)).Count > 0;

    /// <summary>Appends an audit entry (idempotent by key); returns true when it was new.</summary>
    public static bool Audit(ProgrammeRecords records, AuditEntry entry, OutboxMail? mail = null) =>
        records.Transaction((c, t) =>
        {
            using (var exists = c.CreateCommand())
            {
                exists.Transaction = t;
                exists.CommandText = "SELECT COUNT(*) FROM audit_entries WHERE idempotency_key = $k;";
                exists.Parameters.AddWithValue("$k", entry.IdempotencyKey);
                if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    return false;
                }
            }

            AuditTrail.Append(c, t, entry);
            if (mail is not null)
            {
                SqliteOutbox.Enqueue(c, t, mail);
            }

            return true;
        });
}
