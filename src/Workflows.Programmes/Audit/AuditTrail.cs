using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Audit;

/// <summary>Who acted: a person (bureau officer, expert, applicant, member of the public) or the system itself.</summary>
/// <param name="Id">The actor's id (user id, expert id, applicant id, or <c>system</c>).</param>
/// <param name="Role">The role the actor acted in, e.g. <c>bureau</c>, <c>expert</c>, <c>applicant</c>, <c>public</c>, <c>system</c>.</param>
public sealed record Actor(string Id, string Role)
{
    /// <summary>Gets the actor for work the workflows do by themselves (timers, computed awards).</summary>
    public static Actor System { get; } = new("system", "system");
}

/// <summary>One entry of the audit trail: who did what, when, why, about which subjects.</summary>
/// <param name="IdempotencyKey">Unique key of the event recorded; appending the same key twice records it once.</param>
/// <param name="At">When it happened (from the TimeProvider, or the orchestration time passed to the activity).</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Action">What was done, e.g. <c>application.preliminary.rejected</c>.</param>
/// <param name="Subjects">The subjects it concerns, e.g. <c>application/12</c>, <c>call/3</c>, <c>party/91110000X</c>.</param>
/// <param name="Reason">Why, in the actor's words; null when none was given.</param>
/// <param name="Details">Further data (scores, amounts, failed rules), serialized as JSON; null for none.</param>
public sealed record AuditEntry(
    string IdempotencyKey,
    DateTimeOffset At,
    Actor Actor,
    string Action,
    IReadOnlyList<string> Subjects,
    string? Reason = null,
    string? Details = null)
{
    /// <summary>Gets the row id (0 before it is stored).</summary>
    public long Id { get; init; }
}

/// <summary>
/// The append-only audit trail in the records database. Entries are written inside the caller's transaction, so an
/// entry exists exactly when the change it records was committed.
/// </summary>
public static class AuditTrail
{
    // Relaxed escaping keeps Chinese readable in the stored details; the text is data, never embedded in HTML by this class.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds a subject reference, e.g. <c>Subject("application", 12)</c> → <c>application/12</c>.</summary>
    /// <param name="kind">The subject kind.</param>
    /// <param name="id">The id.</param>
    /// <returns>The reference.</returns>
    public static string Subject(string kind, object id) => FormattableString.Invariant($"{kind}/{id}");

    /// <summary>Serializes details for <see cref="AuditEntry.Details"/> (JSON, web casing).</summary>
    /// <param name="details">The details object.</param>
    /// <returns>The JSON text.</returns>
    public static string ToDetails(object details) => JsonSerializer.Serialize(details, details.GetType(), Json);

    /// <summary>Appends an entry in the caller's transaction. Idempotent by key: a repeated key returns the first entry's id and changes nothing.</summary>
    /// <param name="connection">The caller's connection.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="entry">The entry.</param>
    /// <returns>The entry's row id.</returns>
    /// <exception cref="ArgumentException">The entry has no key, action, actor or subject.</exception>
    public static long Append(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.IdempotencyKey) || string.IsNullOrWhiteSpace(entry.Action) ||
            entry.Actor is null || string.IsNullOrWhiteSpace(entry.Actor.Id) || entry.Subjects is not { Count: > 0 })
        {
            throw new ArgumentException("An audit entry needs an idempotency key, an action, an actor and at least one subject.", nameof(entry));
        }

        var inserted = Db.Scalar(connection, transaction, """
            INSERT INTO audit_entries (idempotency_key, at, actor, role, action, reason, details_json)
            VALUES ($key, $at, $actor, $role, $action, $reason, $details)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id;
            """,
            ("$key", entry.IdempotencyKey), ("$at", Db.ToMs(entry.At)), ("$actor", entry.Actor.Id), ("$role", entry.Actor.Role),
            ("$action", entry.Action), ("$reason", entry.Reason), ("$details", entry.Details));
        if (inserted is not long id)
        {
            return (long)Db.Scalar(connection, transaction, "SELECT id FROM audit_entries WHERE idempotency_key = $key;", ("$key", entry.IdempotencyKey))!;
        }

        foreach (var subject in entry.Subjects.Distinct(StringComparer.Ordinal))
        {
            Db.Execute(connection, transaction, "INSERT OR IGNORE INTO audit_subjects (entry_id, subject) VALUES ($id, $s);", ("$id", id), ("$s", subject));
        }

        return id;
    }

    /// <summary>Lists the entries about one subject, oldest first.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="subject">The subject reference, e.g. <c>application/12</c>.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<AuditEntry> ForSubject(SqliteConnection connection, string subject)
    {
        var entries = Db.Query(connection, null, """
            SELECT e.id, e.idempotency_key, e.at, e.actor, e.role, e.action, e.reason, e.details_json
              FROM audit_subjects s JOIN audit_entries e ON e.id = s.entry_id
             WHERE s.subject = $s
             ORDER BY e.at, e.id;
            """,
            r => new AuditEntry(r.GetString(1), Db.FromMs(r.GetInt64(2)), new Actor(r.GetString(3), r.GetString(4)), r.GetString(5), [], r.TextOrNull(6), r.TextOrNull(7)) { Id = r.GetInt64(0) },
            ("$s", subject));
        if (entries.Count == 0)
        {
            return entries;
        }

        var subjects = Db.Query(connection, null, """
            SELECT s2.entry_id, s2.subject FROM audit_subjects s1 JOIN audit_subjects s2 ON s2.entry_id = s1.entry_id
             WHERE s1.subject = $s ORDER BY s2.entry_id, s2.subject;
            """,
            r => (Id: r.GetInt64(0), Subject: r.GetString(1)), ("$s", subject))
            .GroupBy(x => x.Id).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Subject).ToList());
        return entries.Select(e => e with { Subjects = subjects.TryGetValue(e.Id, out var s) ? s : [] }).ToList();
    }
}
