using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Calls;

/// <summary>An application row as the activities need it.</summary>
internal sealed record ApplicationRow(
    long ApplicationId, long CallId, string ApplicantId, string ProgrammeId, int CycleYear, ApplicationStatus Status, string FactsJson,
    string? ProjectKey, DateTimeOffset SubmittedAt, DateOnly QuotedOn, decimal? QuotedAmount, decimal? Score, decimal? Award,
    DateTimeOffset? SupplementDue, string? Tier);

/// <summary>SQL shared by the lifecycle activities and the facade.</summary>
internal static class LifecycleStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string AppColumns =
        "application_id, call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, quote_fen, score, award_fen, supplement_due, tier";

    /// <summary>Claims a step key; false when it was claimed before (the activity already ran).</summary>
    public static bool Once(SqliteConnection c, SqliteTransaction t, string key, DateTimeOffset at) =>
        Db.Execute(c, t, "INSERT OR IGNORE INTO lifecycle_steps (step_key, at) VALUES ($k, $at);", ("$k", key), ("$at", Db.ToMs(at))) == 1;

    /// <summary>Stores the result of a step, for re-runs to return.</summary>
    public static void SaveResult<T>(SqliteConnection c, SqliteTransaction t, string key, T result) =>
        Db.Execute(c, t, "UPDATE lifecycle_steps SET result_json = $r WHERE step_key = $k;", ("$r", JsonSerializer.Serialize(result, Json)), ("$k", key));

    /// <summary>Reads the stored result of a step.</summary>
    public static T? LoadResult<T>(SqliteConnection c, SqliteTransaction? t, string key) =>
        Db.Scalar(c, t, "SELECT result_json FROM lifecycle_steps WHERE step_key = $k;", ("$k", key)) is string s ? JsonSerializer.Deserialize<T>(s, Json) : default;

    public static CallRecord? GetCall(SqliteConnection c, SqliteTransaction? t, long callId) =>
        Db.Query(c, t, """
            SELECT call_id, programme_id, cycle_year, opens_at, closes_at, budget_fen, settings_json, status, published_by, published_at, closed_at, instance_id
              FROM calls WHERE call_id = $id;
            """,
            r => new CallRecord(r.GetInt64(0), r.GetString(1), r.GetInt32(2), Db.FromMs(r.GetInt64(3)), Db.FromMs(r.GetInt64(4)), Db.FromFen(r.GetInt64(5)),
                JsonSerializer.Deserialize<CallSettings>(r.GetString(6), Json)!, Enum.Parse<CallStatus>(r.GetString(7)), r.GetString(8), Db.FromMs(r.GetInt64(9)),
                r.Int64OrNull(10) is { } closed ? Db.FromMs(closed) : null, r.GetString(11)),
            ("$id", callId)).FirstOrDefault();

    public static void SetCallStatus(SqliteConnection c, SqliteTransaction t, long callId, CallStatus status) =>
        Db.Execute(c, t, "UPDATE calls SET status = $s WHERE call_id = $id;", ("$s", status.ToString()), ("$id", callId));

    public static ApplicationRow? GetApplication(SqliteConnection c, SqliteTransaction? t, long applicationId) =>
        Db.Query(c, t, $"SELECT {AppColumns} FROM applications WHERE application_id = $id;", ReadApplication, ("$id", applicationId)).FirstOrDefault();

    public static List<ApplicationRow> ApplicationsOfCall(SqliteConnection c, SqliteTransaction? t, long callId, ApplicationStatus? status = null) =>
        status is { } s
            ? Db.Query(c, t, $"SELECT {AppColumns} FROM applications WHERE call_id = $id AND status = $s ORDER BY application_id;", ReadApplication, ("$id", callId), ("$s", s.ToString()))
            : Db.Query(c, t, $"SELECT {AppColumns} FROM applications WHERE call_id = $id ORDER BY application_id;", ReadApplication, ("$id", callId));

    public static void SetStatus(SqliteConnection c, SqliteTransaction t, long applicationId, ApplicationStatus status, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE applications SET status = $s, updated_at = $at WHERE application_id = $id;",
            ("$s", status.ToString()), ("$at", Db.ToMs(at)), ("$id", applicationId));

    public static void AddDecision(SqliteConnection c, SqliteTransaction t, string key, long applicationId, string stage, string outcome, Actor actor, DateTimeOffset at, string? reason, string? details) =>
        Db.Execute(c, t, """
            INSERT OR IGNORE INTO decisions (step_key, application_id, stage, outcome, actor, role, at, reason, details_json)
            VALUES ($k, $a, $stage, $o, $actor, $role, $at, $r, $d);
            """,
            ("$k", key), ("$a", applicationId), ("$stage", stage), ("$o", outcome), ("$actor", actor.Id), ("$role", actor.Role),
            ("$at", Db.ToMs(at)), ("$r", reason), ("$d", details));

    public static List<DecisionRecord> Decisions(SqliteConnection c, long applicationId) =>
        Db.Query(c, null, "SELECT stage, outcome, actor, role, at, reason, details_json FROM decisions WHERE application_id = $a ORDER BY at, id;",
            r => new DecisionRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Db.FromMs(r.GetInt64(4)), r.TextOrNull(5), r.TextOrNull(6)),
            ("$a", applicationId));

    public static List<ReviewerAssignment> Assignments(SqliteConnection c, SqliteTransaction? t, long applicationId) =>
        Db.Query(c, t, """
            SELECT application_id, expert_id, status, assigned_at, due_at, remind_at, score, comment
              FROM reviewer_assignments WHERE application_id = $a ORDER BY assigned_at, expert_id;
            """, ReadAssignment, ("$a", applicationId));

    public static ReviewerAssignment ReadAssignment(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Db.FromMs(r.GetInt64(3)), Db.FromMs(r.GetInt64(4)), Db.FromMs(r.GetInt64(5)),
        r.TextOrNull(6) is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : null, r.TextOrNull(7));

    /// <summary>Appends an audit entry about an application (subjects: the application, its call and its applicant).</summary>
    public static void AuditApplication(SqliteConnection c, SqliteTransaction t, ApplicationRow app, string key, DateTimeOffset at, Actor actor, string action, string? reason, object? details) =>
        AuditTrail.Append(c, t, new AuditEntry(key, at, actor, action,
            [AuditTrail.Subject("application", app.ApplicationId), AuditTrail.Subject("call", app.CallId), AuditTrail.Subject("party", app.ApplicantId)],
            reason, details is null ? null : AuditTrail.ToDetails(details)));

    /// <summary>Queues a mail to the applicant of an application.</summary>
    public static void MailApplicant(ProgrammeServices s, SqliteConnection c, SqliteTransaction t, ApplicationRow app, MailTemplate template, string key, DateTimeOffset at, MailArgs? args = null)
    {
        var party = PartyDirectory.Get(c, app.ApplicantId, t) ?? throw new InvalidOperationException($"Applicant '{app.ApplicantId}' of application {app.ApplicationId} is not a registered party.");
        var programme = s.Catalogue.TryGet(app.ProgrammeId, out var p) ? p : null;
        var full = (args ?? new MailArgs()) with
        {
            RecipientName = party.Name,
            ProgrammeTitle = programme?.TitleZh ?? app.ProgrammeId,
            ProgrammeId = app.ProgrammeId,
            CycleYear = app.CycleYear,
            Reference = app.ApplicationId.ToString(CultureInfo.InvariantCulture),
        };
        s.Notifications.Notify(c, t, new Notification(template, key, new OutboxAddress(party.Email, party.Name), full, at));
    }

    /// <summary>Formats a decimal for storage as text (exact).</summary>
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static ApplicationRow ReadApplication(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt32(4), Enum.Parse<ApplicationStatus>(r.GetString(5)), r.GetString(6),
        r.TextOrNull(7), Db.FromMs(r.GetInt64(8)), DateOnly.ParseExact(r.GetString(9), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.Int64OrNull(10) is { } q ? Db.FromFen(q) : null,
        r.TextOrNull(11) is { } sc ? decimal.Parse(sc, CultureInfo.InvariantCulture) : null,
        r.Int64OrNull(12) is { } aw ? Db.FromFen(aw) : null,
        r.Int64OrNull(13) is { } due ? Db.FromMs(due) : null,
        r.TextOrNull(14));
}
