using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Outbox;

/// <summary>
/// The transactional mail outbox in the records database (table <c>outbox_mail</c>).
/// </summary>
/// <remarks>
/// <para>Writers (lifecycle activities) call the static <see cref="Enqueue"/> with their own connection and
/// transaction, so a mail exists exactly when the state change it announces was committed.</para>
/// <para>Senders use an instance over the <see cref="ProgrammeRecords"/> (every statement runs in its
/// <see cref="ProgrammeRecords.Transaction{T}"/> or <see cref="ProgrammeRecords.Read{T}"/>): <see cref="ClaimDue"/> leases rows so two senders never hold the same row at
/// once; every mark names the lease token and is ignored when the lease was lost. Delivery is at least once:
/// a sender that dies after the provider accepted a mail but before <see cref="MarkSent"/> leaves a row that
/// is claimed again when its lease runs out.</para>
/// </remarks>
public sealed class SqliteOutbox
{
    /// <summary>The default lease a claim holds before another sender may take the row.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The outbox's DDL (idempotent: <c>IF NOT EXISTS</c>), for a host that applies every feature's schema at start.
    /// </summary>
    public const string SchemaScript = """
        CREATE TABLE IF NOT EXISTS outbox_mail (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            to_address TEXT NOT NULL,
            to_name TEXT NULL,
            subject TEXT NOT NULL,
            text_body TEXT NOT NULL,
            html_body TEXT NULL,
            template_name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_token TEXT NULL,
            lease_until INTEGER NULL,
            last_error TEXT NULL,
            sent_at INTEGER NULL,
            provider_message_id TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_mail_due ON outbox_mail (status, next_attempt_at);
        """;

    private const string Columns =
        "id, idempotency_key, to_address, to_name, subject, text_body, html_body, template_name, created_at, " +
        "status, attempts, next_attempt_at, last_error, sent_at, provider_message_id";

    private readonly ProgrammeRecords _records;
    private readonly TimeSpan _lease;

    /// <summary>Creates an outbox over the records database (whose schema holds the outbox table).</summary>
    /// <param name="records">The programme records; every read and write goes through them.</param>
    /// <param name="lease">How long a claim holds a row; <see cref="DefaultLease"/> when null.</param>
    public SqliteOutbox(ProgrammeRecords records, TimeSpan? lease = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (lease is { } l && l <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), l, "The outbox lease must be positive.");
        }

        _records = records;
        _lease = lease ?? DefaultLease;
    }

    /// <summary>The lease a claim holds.</summary>
    public TimeSpan Lease => _lease;

    /// <summary>Creates the outbox table and its indexes when missing. Safe to call any number of times.</summary>
    /// <param name="connection">An open connection to the records database.</param>
    /// <param name="transaction">The caller's transaction, if one is active on the connection.</param>
    public static void EnsureSchema(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SchemaScript;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Writes <paramref name="mail"/> inside the caller's transaction. Idempotent by
    /// <see cref="OutboxMail.IdempotencyKey"/>: when a row with the key exists nothing changes and its id is returned.
    /// </summary>
    /// <param name="connection">The caller's open connection.</param>
    /// <param name="transaction">The caller's transaction; the mail commits or rolls back with it.</param>
    /// <param name="mail">The mail; <see cref="OutboxMail.CreatedAt"/> must be set (activities take it from their TimeProvider).</param>
    /// <returns>The row id of the new or the existing mail.</returns>
    /// <exception cref="ArgumentException">The mail is incomplete or has a line break in a header field.</exception>
    public static long Enqueue(SqliteConnection connection, SqliteTransaction transaction, OutboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        Validate(mail);

        // IF NOT EXISTS statements cost a schema lookup; running them here means a writer never depends
        // on some other component having migrated first.
        EnsureSchema(connection, transaction);

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO outbox_mail (idempotency_key, to_address, to_name, subject, text_body, html_body,
                                     template_name, created_at, status, attempts, next_attempt_at)
            VALUES ($key, $to, $toName, $subject, $text, $html, $template, $created, 'Pending', 0, $next)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id;
            """;
        insert.Parameters.AddWithValue("$key", mail.IdempotencyKey);
        insert.Parameters.AddWithValue("$to", mail.To.Address);
        insert.Parameters.AddWithValue("$toName", (object?)mail.To.DisplayName ?? DBNull.Value);
        insert.Parameters.AddWithValue("$subject", mail.Subject);
        insert.Parameters.AddWithValue("$text", mail.TextBody);
        insert.Parameters.AddWithValue("$html", (object?)mail.HtmlBody ?? DBNull.Value);
        insert.Parameters.AddWithValue("$template", mail.TemplateName);
        insert.Parameters.AddWithValue("$created", ToMs(mail.CreatedAt));
        var next = mail.NextAttemptAt == default ? mail.CreatedAt : mail.NextAttemptAt;
        insert.Parameters.AddWithValue("$next", ToMs(next));
        var inserted = insert.ExecuteScalar();
        if (inserted is long id)
        {
            return id;
        }

        using var existing = connection.CreateCommand();
        existing.Transaction = transaction;
        existing.CommandText = "SELECT id FROM outbox_mail WHERE idempotency_key = $key;";
        existing.Parameters.AddWithValue("$key", mail.IdempotencyKey);
        return (long)existing.ExecuteScalar()!;
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> rows that are due at <paramref name="now"/>: pending rows whose next
    /// attempt time has come, and rows whose previous lease ran out. Oldest due first.
    /// </summary>
    /// <param name="now">The current time (from the caller's TimeProvider).</param>
    /// <param name="max">Most rows to claim; at least 1.</param>
    /// <returns>The claimed rows, each with status <see cref="OutboxStatus.Sending"/> and the lease token.</returns>
    public IReadOnlyList<ClaimedMail> ClaimDue(DateTimeOffset now, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        // Drawn before the transaction, so a repeated run of the work (replication retry) claims with the same token.
        var token = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var until = now + _lease;
        return _records.Transaction((connection, transaction) => Claim(connection, transaction, token, until, now, max));
    }

    private static List<ClaimedMail> Claim(SqliteConnection connection, SqliteTransaction transaction, string token, DateTimeOffset until, DateTimeOffset now, int max)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // One UPDATE statement is atomic in SQLite, so two senders racing here cannot both take a row.
        command.CommandText = $"""
            UPDATE outbox_mail
               SET status = 'Sending', lease_token = $token, lease_until = $until
             WHERE id IN (SELECT id FROM outbox_mail
                           WHERE (status = 'Pending' AND next_attempt_at <= $now)
                              OR (status = 'Sending' AND lease_until <= $now)
                           ORDER BY next_attempt_at, id
                           LIMIT $max)
            RETURNING {Columns};
            """;
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$until", ToMs(until));
        command.Parameters.AddWithValue("$now", ToMs(now));
        command.Parameters.AddWithValue("$max", max);
        var claimed = new List<ClaimedMail>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                claimed.Add(new ClaimedMail(Read(reader), token, until));
            }
        }

        claimed.Sort((a, b) => a.Mail.Id.CompareTo(b.Mail.Id));
        return claimed;
    }

    /// <summary>Records that the provider accepted the mail.</summary>
    /// <param name="id">Row id.</param>
    /// <param name="leaseToken">Token from the claim.</param>
    /// <param name="sentAt">When the provider accepted it.</param>
    /// <param name="providerMessageId">The provider's id, if it gave one.</param>
    /// <returns>False when the lease was lost (another sender owns the row now) and nothing changed.</returns>
    public bool MarkSent(long id, string leaseToken, DateTimeOffset sentAt, string? providerMessageId) =>
        Mark(id, leaseToken, """
            status = 'Sent', attempts = attempts + 1, sent_at = $at, provider_message_id = $provider, last_error = NULL
            """,
            ("$at", ToMs(sentAt)), ("$provider", (object?)providerMessageId ?? DBNull.Value));

    /// <summary>Records a failed attempt that should be tried again at <paramref name="nextAttemptAt"/>.</summary>
    /// <param name="id">Row id.</param>
    /// <param name="leaseToken">Token from the claim.</param>
    /// <param name="nextAttemptAt">Earliest time of the next attempt.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>False when the lease was lost and nothing changed.</returns>
    public bool MarkRetry(long id, string leaseToken, DateTimeOffset nextAttemptAt, string error) =>
        Mark(id, leaseToken, "status = 'Pending', attempts = attempts + 1, next_attempt_at = $next, last_error = $error",
            ("$next", ToMs(nextAttemptAt)), ("$error", error));

    /// <summary>Gives up on the mail; it stays in the outbox with status <see cref="OutboxStatus.Failed"/>.</summary>
    /// <param name="id">Row id.</param>
    /// <param name="leaseToken">Token from the claim.</param>
    /// <param name="error">Why.</param>
    /// <returns>False when the lease was lost and nothing changed.</returns>
    public bool MarkFailed(long id, string leaseToken, string error) =>
        Mark(id, leaseToken, "status = 'Failed', attempts = attempts + 1, last_error = $error", ("$error", error));

    /// <summary>Reads one mail by id, or null when there is none.</summary>
    /// <param name="id">Row id.</param>
    /// <returns>The mail or null.</returns>
    public OutboxMail? Get(long id) => _records.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox_mail WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    });

    /// <summary>Lists mail newest first, optionally only one status.</summary>
    /// <param name="status">The status to keep, or null for all.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Rows per page, 1 to 500.</param>
    /// <returns>The page and the total count.</returns>
    public OutboxPage Query(OutboxStatus? status, int page = 1, int pageSize = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 500);
        return _records.Read(connection => Query(connection, status, page, pageSize));
    }

    private static OutboxPage Query(SqliteConnection connection, OutboxStatus? status, int page, int pageSize)
    {
        var where = status is null ? string.Empty : "WHERE status = $status";

        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM outbox_mail {where};";
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM outbox_mail {where} ORDER BY id DESC LIMIT $take OFFSET $skip;";
        if (status is { } s)
        {
            count.Parameters.AddWithValue("$status", s.ToString());
            select.Parameters.AddWithValue("$status", s.ToString());
        }

        select.Parameters.AddWithValue("$take", pageSize);
        select.Parameters.AddWithValue("$skip", (long)(page - 1) * pageSize);
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        var items = new List<OutboxMail>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(Read(reader));
            }
        }

        return new OutboxPage(items, total, page, pageSize);
    }

    private bool Mark(long id, string leaseToken, string assignments, params (string Name, object Value)[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseToken);
        return _records.Transaction((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                UPDATE outbox_mail
                   SET {assignments}, lease_token = NULL, lease_until = NULL
                 WHERE id = $id AND status = 'Sending' AND lease_token = $token;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$token", leaseToken);
            foreach (var (name, value) in values)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return command.ExecuteNonQuery() == 1;
        });
    }

    private static void Validate(OutboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (string.IsNullOrWhiteSpace(mail.IdempotencyKey))
        {
            throw new ArgumentException("An outbox mail needs an idempotency key (e.g. \"application/42/submitted\").", nameof(mail));
        }

        if (mail.To is null || string.IsNullOrWhiteSpace(mail.To.Address) || !mail.To.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Outbox mail '{mail.IdempotencyKey}' has no valid recipient address.", nameof(mail));
        }

        if (string.IsNullOrWhiteSpace(mail.Subject))
        {
            throw new ArgumentException($"Outbox mail '{mail.IdempotencyKey}' has an empty subject.", nameof(mail));
        }

        if (HasLineBreak(mail.Subject) || HasLineBreak(mail.To.Address) || HasLineBreak(mail.To.DisplayName))
        {
            throw new ArgumentException($"Outbox mail '{mail.IdempotencyKey}' has a line break in its subject or recipient; header fields must be one line.", nameof(mail));
        }

        if (string.IsNullOrWhiteSpace(mail.TemplateName))
        {
            throw new ArgumentException($"Outbox mail '{mail.IdempotencyKey}' has no template name.", nameof(mail));
        }

        if (mail.CreatedAt == default)
        {
            throw new ArgumentException($"Outbox mail '{mail.IdempotencyKey}' has no creation time; take it from the activity's TimeProvider.", nameof(mail));
        }

        ArgumentNullException.ThrowIfNull(mail.TextBody);
    }

    private static bool HasLineBreak(string? value) =>
        value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static OutboxMail Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        IdempotencyKey = r.GetString(1),
        To = new OutboxAddress(r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)),
        Subject = r.GetString(4),
        TextBody = r.GetString(5),
        HtmlBody = r.IsDBNull(6) ? null : r.GetString(6),
        TemplateName = r.GetString(7),
        CreatedAt = FromMs(r.GetInt64(8)),
        Status = Enum.Parse<OutboxStatus>(r.GetString(9)),
        Attempts = r.GetInt32(10),
        NextAttemptAt = FromMs(r.GetInt64(11)),
        LastError = r.IsDBNull(12) ? null : r.GetString(12),
        SentAt = r.IsDBNull(13) ? null : FromMs(r.GetInt64(13)),
        ProviderMessageId = r.IsDBNull(14) ? null : r.GetString(14),
    };

    private static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
