using Microsoft.Data.Sqlite;
using Workflows.Policies;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Ledger;

/// <summary>One payment in the disbursement ledger.</summary>
/// <param name="ApplicantId">The party paid.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The award's cycle year.</param>
/// <param name="Instalment">1 for a one-off payment or the first instalment; 2, 3 … for later ones.</param>
/// <param name="Amount">Amount in yuan (whole fen).</param>
/// <param name="PaymentYear">The calendar year the instalment is for.</param>
/// <param name="PaidAt">When it was recorded.</param>
/// <param name="Source">What produced it, e.g. <c>application/12</c> or <c>batch/3</c>.</param>
/// <param name="Tier">The tier paid, for tiered programmes (promotion differences read it back).</param>
/// <param name="ProjectKey">The project identity, for project-scoped caps and stacking.</param>
public sealed record LedgerEntry(
    string ApplicantId, string ProgrammeId, int CycleYear, int Instalment, decimal Amount, int PaymentYear,
    DateTimeOffset PaidAt, string Source, string? Tier = null, string? ProjectKey = null)
{
    /// <summary>Gets the row id (0 before it is stored).</summary>
    public long Id { get; init; }
}

/// <summary>The result of <see cref="PaymentLedger.Record"/>.</summary>
/// <param name="Entry">The stored entry (the existing one when the key was already written).</param>
/// <param name="Created">True when this call wrote it; false when the key existed and nothing changed.</param>
public sealed record LedgerWrite(LedgerEntry Entry, bool Created);

/// <summary>
/// The disbursement ledger: one row per payment, unique by (applicant, programme, cycle year, instalment, project key;
/// no project key counts as one project). Writing a key a second time is a no-op that returns the existing entry, so a
/// payment activity that runs twice pays once, while two projects of one applicant in one programme and year are two awards.
/// </summary>
public static class PaymentLedger
{
    private const string Columns = "id, applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source, tier, project_key";

    /// <summary>Writes a payment in the caller's transaction, or returns the existing one with the same key.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="entry">The payment.</param>
    /// <returns>The stored entry and whether this call created it.</returns>
    /// <exception cref="ArgumentException">The amount is negative or not whole fen, or a key part is missing.</exception>
    public static LedgerWrite Record(SqliteConnection connection, SqliteTransaction transaction, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.ApplicantId) || string.IsNullOrWhiteSpace(entry.ProgrammeId) || entry.Instalment < 1 || string.IsNullOrWhiteSpace(entry.Source))
        {
            throw new ArgumentException("A ledger entry needs an applicant, a programme, an instalment ≥ 1 and a source.", nameof(entry));
        }

        if (entry.Amount < 0)
        {
            throw new ArgumentException($"A ledger amount cannot be negative (was {entry.Amount}).", nameof(entry));
        }

        var id = Db.Scalar(connection, transaction, """
            INSERT INTO ledger_entries (applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source, tier, project_key)
            VALUES ($a, $p, $y, $i, $amount, $py, $at, $src, $tier, $pk)
            ON CONFLICT DO NOTHING
            RETURNING id;
            """,
            ("$a", entry.ApplicantId), ("$p", entry.ProgrammeId), ("$y", entry.CycleYear), ("$i", entry.Instalment),
            ("$amount", Db.ToFen(entry.Amount)), ("$py", entry.PaymentYear), ("$at", Db.ToMs(entry.PaidAt)), ("$src", entry.Source),
            ("$tier", entry.Tier), ("$pk", entry.ProjectKey));
        if (id is long newId)
        {
            return new LedgerWrite(entry with { Id = newId }, true);
        }

        var existing = Db.Query(connection, transaction, $"""
            SELECT {Columns} FROM ledger_entries
             WHERE applicant_id = $a AND programme_id = $p AND cycle_year = $y AND instalment = $i AND COALESCE(project_key, '') = COALESCE($pk, '');
            """, Read, ("$a", entry.ApplicantId), ("$p", entry.ProgrammeId), ("$y", entry.CycleYear), ("$i", entry.Instalment), ("$pk", entry.ProjectKey)).Single();
        return new LedgerWrite(existing, false);
    }

    /// <summary>Lists the payments of a programme for one cycle year, in order of payment.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="cycleYear">The cycle year.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<LedgerEntry> ByProgrammeYear(SqliteConnection connection, string programmeId, int cycleYear) =>
        Db.Query(connection, null, $"SELECT {Columns} FROM ledger_entries WHERE programme_id = $p AND cycle_year = $y ORDER BY id;", Read,
            ("$p", programmeId), ("$y", cycleYear));

    /// <summary>Lists the payments produced by one source (e.g. <c>application/12</c>), in order.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="source">The source.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<LedgerEntry> BySource(SqliteConnection connection, string source, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, $"SELECT {Columns} FROM ledger_entries WHERE source = $s ORDER BY instalment;", Read, ("$s", source));

    /// <summary>Lists every payment to an applicant, in order.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<LedgerEntry> ForApplicant(SqliteConnection connection, string applicantId, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, $"SELECT {Columns} FROM ledger_entries WHERE applicant_id = $a ORDER BY id;", Read, ("$a", applicantId));

    /// <summary>
    /// The applicant's award history for the policy engine: one <see cref="AwardRecord"/> per (programme, cycle year,
    /// project key), the amount being the sum of its instalments paid, the date the first payment's, the tier as recorded.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="applicantId">The applicant.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The history.</returns>
    public static AwardHistory HistoryOf(SqliteConnection connection, string applicantId, SqliteTransaction? transaction = null)
    {
        var awards = ForApplicant(connection, applicantId, transaction)
            .GroupBy(e => (e.ProgrammeId, e.CycleYear, e.ProjectKey))
            .Select(g =>
            {
                var first = g.OrderBy(e => e.Instalment).First();
                return new AwardRecord(g.Key.ProgrammeId, g.Key.CycleYear, g.Sum(e => e.Amount), DateOnly.FromDateTime(first.PaidAt.UtcDateTime), first.Tier, first.ProjectKey);
            })
            .ToList();
        return new AwardHistory(awards);
    }

    /// <summary>Sums the payments of a programme and cycle year.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="cycleYear">The cycle year.</param>
    /// <returns>The total in yuan.</returns>
    public static decimal Total(SqliteConnection connection, string programmeId, int cycleYear) =>
        Db.FromFen(Db.Scalar(connection, null, "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE programme_id = $p AND cycle_year = $y;",
            ("$p", programmeId), ("$y", cycleYear)) as long? ?? 0);

    private static LedgerEntry Read(SqliteDataReader r) => new(
        r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), Db.FromFen(r.GetInt64(5)), r.GetInt32(6), Db.FromMs(r.GetInt64(7)),
        r.GetString(8), r.TextOrNull(9), r.TextOrNull(10))
    { Id = r.GetInt64(0) };
}
