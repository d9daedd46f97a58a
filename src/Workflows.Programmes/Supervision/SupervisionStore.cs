using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Supervision;

/// <summary>The tables of 002's task supervision (module schema, in records.db).</summary>
internal static class SupervisionStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS supervision_units (
            unit TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS supervision_tasks (
            task_number INTEGER PRIMARY KEY,
            lead_unit TEXT NOT NULL,
            supervisor_email TEXT NOT NULL,
            plan_deadline TEXT NOT NULL,
            check_months INTEGER NOT NULL,
            response_days INTEGER NOT NULL,
            repeat_days INTEGER NOT NULL,
            status TEXT NOT NULL,
            plan_json TEXT NULL,
            plan_at INTEGER NULL,
            plan_late INTEGER NOT NULL DEFAULT 0,
            plan_escalations INTEGER NOT NULL DEFAULT 0,
            completion_date TEXT NULL,
            current_check INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS supervision_checks (
            task_number INTEGER NOT NULL REFERENCES supervision_tasks (task_number),
            check_index INTEGER NOT NULL,
            due_on TEXT NOT NULL,
            respond_by TEXT NOT NULL,
            requested_at INTEGER NULL,
            reported_at INTEGER NULL,
            report TEXT NULL,
            completed INTEGER NOT NULL DEFAULT 0,
            escalations INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (task_number, check_index)
        );
        """;

    public static TaskRow? Get(SqliteConnection c, SqliteTransaction? t, int number) =>
        Db.Query(c, t, """
            SELECT task_number, lead_unit, supervisor_email, plan_deadline, check_months, response_days, repeat_days, status,
                   plan_json, plan_at, plan_late, plan_escalations, completion_date, current_check
              FROM supervision_tasks WHERE task_number = $n;
            """,
            r => new TaskRow(
                r.GetInt32(0), r.GetString(1), r.GetString(2), ParseDate(r.GetString(3)), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetString(7),
                r.TextOrNull(8), r.Int64OrNull(9) is { } at ? Db.FromMs(at) : null, r.GetInt64(10) == 1, r.GetInt32(11),
                r.TextOrNull(12) is { } done ? ParseDate(done) : null, r.GetInt32(13)),
            ("$n", number)).FirstOrDefault();

    public static List<CheckRow> Checks(SqliteConnection c, SqliteTransaction? t, int number, int? index = null) =>
        Db.Query(c, t, """
            SELECT check_index, due_on, respond_by, requested_at, reported_at, report, completed, escalations
              FROM supervision_checks WHERE task_number = $n AND ($i IS NULL OR check_index = $i) ORDER BY check_index;
            """,
            r => new CheckRow(
                r.GetInt32(0), ParseDate(r.GetString(1)), ParseDate(r.GetString(2)), r.Int64OrNull(3) is { } q ? Db.FromMs(q) : null,
                r.Int64OrNull(4) is { } rep ? Db.FromMs(rep) : null, r.TextOrNull(5), r.GetInt64(6) == 1, r.GetInt32(7)),
            ("$n", number), ("$i", index));

    public static string? UnitEmail(SqliteConnection c, SqliteTransaction? t, string unit) =>
        Db.Scalar(c, t, "SELECT email FROM supervision_units WHERE unit = $u;", ("$u", unit)) as string;

    public static void SetStatus(SqliteConnection c, SqliteTransaction t, int number, string status, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE supervision_tasks SET status = $s, updated_at = $at WHERE task_number = $n;", ("$n", number), ("$s", status), ("$at", Db.ToMs(at)));

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Status values of a supervised task.</summary>
internal static class SupervisedTaskStatus
{
    public const string AwaitingPlan = "awaiting-plan";
    public const string PlanOverdue = "plan-overdue";
    public const string Monitoring = "monitoring";
    public const string AwaitingProgress = "awaiting-progress";
    public const string ProgressOverdue = "progress-overdue";
    public const string Completed = "completed";
}

internal sealed record TaskRow(
    int Number,
    string LeadUnit,
    string SupervisorEmail,
    DateOnly PlanDeadline,
    int CheckMonths,
    int ResponseDays,
    int RepeatDays,
    string Status,
    string? PlanJson,
    DateTimeOffset? PlanAt,
    bool PlanLate,
    int PlanEscalations,
    DateOnly? CompletionDate,
    int CurrentCheck);

internal sealed record CheckRow(
    int Index,
    DateOnly DueOn,
    DateOnly RespondBy,
    DateTimeOffset? RequestedAt,
    DateTimeOffset? ReportedAt,
    string? Report,
    bool Completed,
    int Escalations);
