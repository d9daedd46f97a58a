using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Assessments;

/// <summary>The tables of recognised bases and their assessment periods (module schema, in records.db).</summary>
internal static class AssessmentStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS assessment_bases (
            base_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            recognised_on TEXT NOT NULL,
            scheme_json TEXT NOT NULL,
            report_days INTEGER NOT NULL,
            status TEXT NOT NULL,
            phase TEXT NOT NULL,
            period INTEGER NOT NULL,
            consecutive_fails INTEGER NOT NULL,
            intake_suspended INTEGER NOT NULL,
            revoked_on TEXT NULL,
            revocation_clause TEXT NULL,
            successor_base_id TEXT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS assessment_periods (
            base_id TEXT NOT NULL REFERENCES assessment_bases (base_id),
            period INTEGER NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            report_due_on TEXT NULL,
            report_at INTEGER NULL,
            report_summary TEXT NULL,
            outcome TEXT NULL,
            grade_code TEXT NULL,
            officer TEXT NULL,
            reason TEXT NULL,
            decided_at INTEGER NULL,
            consequences_json TEXT NULL,
            PRIMARY KEY (base_id, period)
        );
        CREATE TABLE IF NOT EXISTS assessment_signals (
            base_id TEXT NOT NULL,
            signal_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            result_json TEXT NOT NULL,
            PRIMARY KEY (base_id, signal_id)
        );
        CREATE TABLE IF NOT EXISTS base_firms (
            base_id TEXT NOT NULL,
            firm_id TEXT NOT NULL,
            name TEXT NOT NULL,
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (base_id, firm_id)
        );
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BaseRow? Get(SqliteConnection c, SqliteTransaction? t, string baseId) =>
        Db.Query(c, t, """
            SELECT base_id, kind, name, email, recognised_on, scheme_json, report_days, status, phase, period,
                   consecutive_fails, intake_suspended, revoked_on, revocation_clause, successor_base_id
              FROM assessment_bases WHERE base_id = $id;
            """,
            r => new BaseRow(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseDate(r.GetString(4)),
                JsonSerializer.Deserialize<AssessmentScheme>(r.GetString(5), Json)!, r.GetInt32(6), r.GetString(7), r.GetString(8), r.GetInt32(9),
                new BaseStanding(r.GetInt32(10), r.GetInt64(11) == 1, r.GetString(7) == BaseStatus.Revoked),
                r.TextOrNull(12) is { } revoked ? ParseDate(revoked) : null, r.TextOrNull(13), r.TextOrNull(14)),
            ("$id", baseId)).FirstOrDefault();

    public static void Insert(SqliteConnection c, SqliteTransaction t, string baseId, string kind, string name, string email, DateOnly recognisedOn, AssessmentScheme scheme, int reportDays, DateTimeOffset at) =>
        Db.Execute(c, t, """
            INSERT INTO assessment_bases (base_id, kind, name, email, recognised_on, scheme_json, report_days, status, phase, period,
                                          consecutive_fails, intake_suspended, created_at, updated_at)
            VALUES ($id, $kind, $name, $email, $on, $scheme, $days, 'active', 'in-period', 1, 0, 0, $at, $at);
            """,
            ("$id", baseId), ("$kind", kind), ("$name", name), ("$email", email), ("$on", Format(recognisedOn)),
            ("$scheme", JsonSerializer.Serialize(scheme, Json)), ("$days", reportDays), ("$at", Db.ToMs(at)));

    public static void SetPhase(SqliteConnection c, SqliteTransaction t, string baseId, int period, string phase, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE assessment_bases SET period = $p, phase = $phase, updated_at = $at WHERE base_id = $id;",
            ("$id", baseId), ("$p", period), ("$phase", phase), ("$at", Db.ToMs(at)));

    public static void SetStanding(SqliteConnection c, SqliteTransaction t, string baseId, BaseStanding standing, DateOnly on, string? revocationClause, DateTimeOffset at) =>
        Db.Execute(c, t, """
            UPDATE assessment_bases
               SET consecutive_fails = $f, intake_suspended = $s,
                   status = CASE WHEN $r = 1 THEN 'revoked' WHEN $s = 1 THEN 'suspended' ELSE 'active' END,
                   phase = CASE WHEN $r = 1 THEN 'ended' ELSE phase END,
                   revoked_on = CASE WHEN $r = 1 THEN $on ELSE revoked_on END,
                   revocation_clause = CASE WHEN $r = 1 THEN $clause ELSE revocation_clause END,
                   updated_at = $at
             WHERE base_id = $id;
            """,
            ("$id", baseId), ("$f", standing.ConsecutiveFails), ("$s", standing.IntakeSuspended ? 1 : 0), ("$r", standing.Revoked ? 1 : 0),
            ("$on", Format(on)), ("$clause", revocationClause), ("$at", Db.ToMs(at)));

    public static PeriodRow? GetPeriod(SqliteConnection c, SqliteTransaction? t, string baseId, int period) =>
        Periods(c, t, baseId, period).FirstOrDefault();

    public static List<PeriodRow> Periods(SqliteConnection c, SqliteTransaction? t, string baseId, int? period = null) =>
        Db.Query(c, t, """
            SELECT period, starts_on, ends_on, report_due_on, report_at, report_summary, outcome, grade_code, officer, reason, decided_at, consequences_json
              FROM assessment_periods WHERE base_id = $id AND ($p IS NULL OR period = $p) ORDER BY period;
            """,
            r => new PeriodRow(
                r.GetInt32(0), ParseDate(r.GetString(1)), ParseDate(r.GetString(2)), r.TextOrNull(3) is { } due ? ParseDate(due) : null,
                r.Int64OrNull(4) is { } rep ? Db.FromMs(rep) : null, r.TextOrNull(5), r.TextOrNull(6), r.TextOrNull(7), r.TextOrNull(8), r.TextOrNull(9),
                r.Int64OrNull(10) is { } dec ? Db.FromMs(dec) : null,
                r.TextOrNull(11) is { } cj ? JsonSerializer.Deserialize<List<AppliedConsequence>>(cj, Json)! : []),
            ("$id", baseId), ("$p", period));

    public static bool InsertPeriod(SqliteConnection c, SqliteTransaction t, string baseId, int period, DateOnly starts, DateOnly ends) =>
        Db.Execute(c, t, """
            INSERT OR IGNORE INTO assessment_periods (base_id, period, starts_on, ends_on) VALUES ($id, $p, $s, $e);
            """,
            ("$id", baseId), ("$p", period), ("$s", Format(starts)), ("$e", Format(ends))) == 1;

    public static void SetReportDue(SqliteConnection c, SqliteTransaction t, string baseId, int period, DateOnly due) =>
        Db.Execute(c, t, "UPDATE assessment_periods SET report_due_on = $d WHERE base_id = $id AND period = $p;",
            ("$id", baseId), ("$p", period), ("$d", Format(due)));

    public static void SetReport(SqliteConnection c, SqliteTransaction t, string baseId, int period, string summary, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE assessment_periods SET report_at = $at, report_summary = $s WHERE base_id = $id AND period = $p;",
            ("$id", baseId), ("$p", period), ("$s", summary), ("$at", Db.ToMs(at)));

    public static void SetOutcome(SqliteConnection c, SqliteTransaction t, string baseId, int period, string outcome, string? grade, string officer, string? reason, IReadOnlyList<AppliedConsequence> consequences, DateTimeOffset at) =>
        Db.Execute(c, t, """
            UPDATE assessment_periods
               SET outcome = $o, grade_code = $g, officer = $officer, reason = $r, decided_at = $at,
                   consequences_json = CASE WHEN consequences_json IS NULL THEN $cj ELSE consequences_json END
             WHERE base_id = $id AND period = $p;
            """,
            ("$id", baseId), ("$p", period), ("$o", outcome), ("$g", grade), ("$officer", officer), ("$r", reason), ("$at", Db.ToMs(at)),
            ("$cj", JsonSerializer.Serialize(consequences, Json)));

    public static string? SignalResult(SqliteConnection c, SqliteTransaction t, string baseId, string signalId) =>
        Db.Scalar(c, t, "SELECT result_json FROM assessment_signals WHERE base_id = $id AND signal_id = $s;", ("$id", baseId), ("$s", signalId)) as string;

    public static void SaveSignal(SqliteConnection c, SqliteTransaction t, string baseId, string signalId, string kind, string resultJson, DateTimeOffset at) =>
        Db.Execute(c, t, "INSERT INTO assessment_signals (base_id, signal_id, kind, at, result_json) VALUES ($id, $s, $k, $at, $r);",
            ("$id", baseId), ("$s", signalId), ("$k", kind), ("$at", Db.ToMs(at)), ("$r", resultJson));

    public static List<(string FirmId, string Name)> Firms(SqliteConnection c, SqliteTransaction? t, string baseId) =>
        Db.Query(c, t, "SELECT firm_id, name FROM base_firms WHERE base_id = $id ORDER BY firm_id;", r => (r.GetString(0), r.GetString(1)), ("$id", baseId));

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Status values of a base.</summary>
internal static class BaseStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Revoked = "revoked";
}

/// <summary>Where a base's current period stands.</summary>
internal static class BasePhase
{
    public const string InPeriod = "in-period";
    public const string AwaitingReport = "awaiting-report";
    public const string AwaitingGrade = "awaiting-grade";
    public const string Ended = "ended";
}

internal sealed record BaseRow(
    string BaseId,
    string Kind,
    string Name,
    string Email,
    DateOnly RecognisedOn,
    AssessmentScheme Scheme,
    int ReportDays,
    string Status,
    string Phase,
    int Period,
    BaseStanding Standing,
    DateOnly? RevokedOn,
    string? RevocationClause,
    string? SuccessorBaseId)
{
    public DateOnly PeriodStart(int period) => this.RecognisedOn.AddMonths(this.Scheme.PeriodMonths * (period - 1));

    public DateOnly PeriodEnd(int period) => this.RecognisedOn.AddMonths(this.Scheme.PeriodMonths * period);
}

internal sealed record PeriodRow(
    int Period,
    DateOnly StartsOn,
    DateOnly EndsOn,
    DateOnly? ReportDueOn,
    DateTimeOffset? ReportAt,
    string? ReportSummary,
    string? Outcome,
    string? GradeCode,
    string? Officer,
    string? Reason,
    DateTimeOffset? DecidedAt,
    IReadOnlyList<AppliedConsequence> Consequences);
