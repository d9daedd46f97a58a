using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Policies;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Sanctions;

/// <summary>Reads and writes the sanctions tables in the caller's connection and transaction.</summary>
public static class SanctionsStore
{
    private const string StandingColumns = "id, applicant_id, kind, basis_seed, basis_clause, basis_title, from_date, to_date, reason, evidence_json, programmes_json, recorded_by, recorded_at, status, closed_reason, supersedes_id";
    private const string RecoveryColumns = "id, applicant_id, basis_seed, basis_clause, basis_title, reason, amount_fen, deadline, status, handed_to";

    /// <summary>Formats a date as stored.</summary>
    /// <param name="date">The date.</param>
    /// <returns>yyyy-MM-dd.</returns>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Gets a standing row.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="id">The row id.</param>
    /// <returns>The row, or null.</returns>
    public static StandingRow? GetStanding(SqliteConnection c, SqliteTransaction? t, long id) =>
        Db.Query(c, t, $"SELECT {StandingColumns} FROM standing_records WHERE id = $id;", MapStanding, ("$id", id)).SingleOrDefault();

    /// <summary>Gets every standing row of an applicant (history included), oldest first.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<StandingRow> StandingOf(SqliteConnection c, SqliteTransaction? t, string applicantId) =>
        Db.Query(c, t, $"SELECT {StandingColumns} FROM standing_records WHERE applicant_id = $a ORDER BY id;", MapStanding, ("$a", applicantId));

    /// <summary>Gets the applicant's blocking records (status active) as plain data for the quote engine.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The records.</returns>
    public static IReadOnlyList<StandingRecord> ActiveStanding(SqliteConnection c, SqliteTransaction? t, string applicantId) =>
        [.. StandingOf(c, t, applicantId).Where(r => r.Status == "active").Select(r => r.ToRecord()), .. ExportSuspensions(c, t, applicantId)];

    /// <summary>The 003 二是(二) suspensions computed from the applicant's ledger history and reported exports (one per year it applies to).</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The suspensions.</returns>
    public static IReadOnlyList<StandingRecord> ExportSuspensions(SqliteConnection c, SqliteTransaction? t, string applicantId)
    {
        var history = PaymentLedger.HistoryOf(c, applicantId, t);
        var exports = ExportsOf(c, t, applicantId);
        return history.Awards.Where(a => a.ProgrammeId == ExportSuspensionRule.ProgrammeId).Select(a => a.CycleYear + 1).Distinct().Order()
            .Select(y => ExportSuspensionRule.Evaluate(history, exports, y)).OfType<StandingRecord>().ToList();
    }

    /// <summary>The applicant's reported exports by year, yuan.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>Exports by year.</returns>
    public static IReadOnlyDictionary<int, decimal> ExportsOf(SqliteConnection c, SqliteTransaction? t, string applicantId) =>
        Db.Query(c, t, "SELECT year, amount_fen FROM export_reports WHERE applicant_id = $a;", r => (r.GetInt32(0), Db.FromFen(r.GetInt64(1))), ("$a", applicantId))
            .ToDictionary(x => x.Item1, x => x.Item2);

    /// <summary>Inserts a standing row.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction.</param>
    /// <param name="input">The record.</param>
    /// <param name="recordedBy">Who.</param>
    /// <param name="at">When.</param>
    /// <param name="supersedesId">The row it corrects, if any.</param>
    /// <returns>The new row id.</returns>
    public static long InsertStanding(SqliteConnection c, SqliteTransaction t, StandingInput input, string recordedBy, DateTimeOffset at, long? supersedesId)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (long)Db.Scalar(c, t, """
            INSERT INTO standing_records (applicant_id, kind, basis_seed, basis_clause, basis_title, from_date, to_date, reason, evidence_json,
                programmes_json, recorded_by, recorded_at, status, supersedes_id)
            VALUES ($a, $k, $s, $cl, $ti, $f, $to, $r, $e, $p, $by, $at, 'active', $sup) RETURNING id;
            """,
            ("$a", input.ApplicantId), ("$k", input.Kind.ToString()), ("$s", input.Basis.SeedNumber), ("$cl", input.Basis.Clause),
            ("$ti", input.Basis.DocumentTitleZh), ("$f", Iso(input.From)), ("$to", input.To is { } to ? Iso(to) : null), ("$r", input.Reason),
            ("$e", JsonSerializer.Serialize(input.EvidenceDocumentIds)), ("$p", JsonSerializer.Serialize(input.ProgrammeIds ?? [])),
            ("$by", recordedBy), ("$at", Db.ToMs(at)), ("$sup", supersedesId))!;
    }

    /// <summary>Closes a standing row (lifted or corrected); the row stays.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction.</param>
    /// <param name="id">The row.</param>
    /// <param name="status"><c>lifted</c> or <c>corrected</c>.</param>
    /// <param name="reason">Why.</param>
    /// <param name="by">Who.</param>
    /// <param name="at">When.</param>
    public static void CloseStanding(SqliteConnection c, SqliteTransaction t, long id, string status, string reason, string by, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE standing_records SET status = $s, closed_reason = $r, closed_by = $by, closed_at = $at WHERE id = $id AND status = 'active';",
            ("$s", status), ("$r", reason), ("$by", by), ("$at", Db.ToMs(at)), ("$id", id));

    /// <summary>Gets a recovery.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="id">The id.</param>
    /// <returns>The recovery, or null.</returns>
    public static RecoveryRecord? GetRecovery(SqliteConnection c, SqliteTransaction? t, long id)
    {
        var row = Db.Query(c, t, $"SELECT {RecoveryColumns} FROM recoveries WHERE id = $id;", MapRecoveryHead, ("$id", id)).SingleOrDefault();
        return row is null ? null : Complete(c, t, row);
    }

    /// <summary>Gets an applicant's recoveries.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The recoveries.</returns>
    public static IReadOnlyList<RecoveryRecord> RecoveriesOf(SqliteConnection c, SqliteTransaction? t, string applicantId) =>
        Db.Query(c, t, $"SELECT {RecoveryColumns} FROM recoveries WHERE applicant_id = $a ORDER BY id;", MapRecoveryHead, ("$a", applicantId))
            .Select(r => Complete(c, t, r)).ToList();

    /// <summary>Sets a recovery's status.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction.</param>
    /// <param name="id">The recovery.</param>
    /// <param name="status">The new status.</param>
    /// <param name="at">When.</param>
    /// <param name="handedTo">Whom it is handed on to, for <c>handed-on</c>.</param>
    public static void SetRecoveryStatus(SqliteConnection c, SqliteTransaction t, long id, string status, DateTimeOffset at, string? handedTo = null) =>
        Db.Execute(c, t, "UPDATE recoveries SET status = $s, closed_at = CASE WHEN $s IN ('closed', 'handed-on') THEN $at ELSE closed_at END, handed_to = COALESCE($h, handed_to) WHERE id = $id;",
            ("$s", status), ("$at", Db.ToMs(at)), ("$h", handedTo), ("$id", id));

    /// <summary>Gets the reversal entries of an applicant.</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The reversals.</returns>
    public static IReadOnlyList<LedgerReversal> ReversalsOf(SqliteConnection c, SqliteTransaction? t, string applicantId) =>
        Db.Query(c, t, """
            SELECT v.id, v.recovery_id, v.repayment_id, v.ledger_id, v.amount_fen FROM ledger_reversals v
            JOIN recoveries r ON r.id = v.recovery_id WHERE r.applicant_id = $a ORDER BY v.id;
            """, r => new LedgerReversal(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), Db.FromFen(r.GetInt64(4))), ("$a", applicantId));

    /// <summary>The applicant's ledger totals net of reversals (payments minus recoveries).</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction, or null.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The totals.</returns>
    public static NetLedger NetOf(SqliteConnection c, SqliteTransaction? t, string applicantId)
    {
        var paid = PaymentLedger.ForApplicant(c, applicantId, t).Sum(e => e.Amount);
        var recovered = ReversalsOf(c, t, applicantId).Sum(r => r.Amount);
        return new NetLedger(paid, recovered, paid - recovered);
    }

    /// <summary>Records a repayment and the reversal entries it funds (allocated to the recovered payments in id order).</summary>
    /// <param name="c">The connection.</param>
    /// <param name="t">The transaction.</param>
    /// <param name="recovery">The recovery.</param>
    /// <param name="reference">The repayment reference (idempotency).</param>
    /// <param name="amount">Amount, yuan.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="at">When.</param>
    /// <returns>True when recorded; false when the reference was already recorded.</returns>
    public static bool InsertRepayment(SqliteConnection c, SqliteTransaction t, RecoveryRecord recovery, string reference, decimal amount, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        var id = Db.Scalar(c, t, """
            INSERT INTO recovery_repayments (recovery_id, reference, amount_fen, at, recorded_by) VALUES ($r, $ref, $f, $at, $by)
            ON CONFLICT (recovery_id, reference) DO NOTHING RETURNING id;
            """, ("$r", recovery.Id), ("$ref", reference), ("$f", Db.ToFen(amount)), ("$at", Db.ToMs(at)), ("$by", by));
        if (id is not long repaymentId)
        {
            return false;
        }

        var left = Db.ToFen(amount);
        var items = Db.Query(c, t, """
            SELECT i.ledger_id, i.amount_fen - COALESCE((SELECT SUM(v.amount_fen) FROM ledger_reversals v WHERE v.recovery_id = i.recovery_id AND v.ledger_id = i.ledger_id), 0)
            FROM recovery_items i WHERE i.recovery_id = $r ORDER BY i.ledger_id;
            """, r => (r.GetInt64(0), r.GetInt64(1)), ("$r", recovery.Id));
        foreach (var (ledgerId, open) in items)
        {
            var part = Math.Min(open, left);
            if (part <= 0)
            {
                continue;
            }

            Db.Execute(c, t, "INSERT INTO ledger_reversals (recovery_id, repayment_id, ledger_id, amount_fen, at) VALUES ($r, $p, $l, $f, $at);",
                ("$r", recovery.Id), ("$p", repaymentId), ("$l", ledgerId), ("$f", part), ("$at", Db.ToMs(at)));
            left -= part;
        }

        return true;
    }

    private static StandingRow MapStanding(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), Enum.Parse<StandingKind>(r.GetString(2)), new Citation(r.GetString(3), r.GetString(4), r.TextOrNull(5)),
        DateOnly.ParseExact(r.GetString(6), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.TextOrNull(7) is { } to ? DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        r.GetString(8), JsonSerializer.Deserialize<string[]>(r.GetString(9)) ?? [], JsonSerializer.Deserialize<string[]>(r.GetString(10)) ?? [],
        r.GetString(11), Db.FromMs(r.GetInt64(12)), r.GetString(13), r.TextOrNull(14), r.Int64OrNull(15));

    private static RecoveryRecord MapRecoveryHead(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), new Citation(r.GetString(2), r.GetString(3), r.TextOrNull(4)), r.GetString(5), Db.FromFen(r.GetInt64(6)), 0m,
        DateOnly.ParseExact(r.GetString(7), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.GetString(8), [], r.TextOrNull(9));

    private static RecoveryRecord Complete(SqliteConnection c, SqliteTransaction? t, RecoveryRecord head)
    {
        var repaid = Convert.ToInt64(Db.Scalar(c, t, "SELECT COALESCE(SUM(amount_fen), 0) FROM recovery_repayments WHERE recovery_id = $r;", ("$r", head.Id)), CultureInfo.InvariantCulture);
        var items = Db.Query(c, t, "SELECT ledger_id FROM recovery_items WHERE recovery_id = $r ORDER BY ledger_id;", r => r.GetInt64(0), ("$r", head.Id));
        return head with { Repaid = Db.FromFen(repaid), LedgerEntryIds = items };
    }
}
