using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Batches;

/// <summary>The tables of 免申即享 batches (module schema, in records.db).</summary>
internal static class BatchStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS batches (
            batch_id TEXT PRIMARY KEY,
            programme_id TEXT NOT NULL,
            cycle_year INTEGER NOT NULL,
            quote_on TEXT NOT NULL,
            confirm_by TEXT NOT NULL,
            confirm_closes_at INTEGER NOT NULL,
            deferred_payout_on TEXT NOT NULL,
            settings_json TEXT NOT NULL,
            status TEXT NOT NULL,
            call_now INTEGER NULL,
            call_next INTEGER NULL,
            loaded_by TEXT NOT NULL,
            loaded_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS batch_entries (
            batch_id TEXT NOT NULL REFERENCES batches (batch_id),
            party_id TEXT NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            facts_json TEXT NOT NULL,
            mode TEXT NULL,
            amount_fen INTEGER NULL,
            tier TEXT NULL,
            quote_json TEXT NOT NULL,
            status TEXT NOT NULL,
            payee_json TEXT NULL,
            confirmed_at INTEGER NULL,
            application_id INTEGER NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (batch_id, party_id)
        );
        """;

    public static BatchRow? Get(SqliteConnection c, SqliteTransaction? t, string batchId) =>
        Db.Query(c, t, """
            SELECT batch_id, programme_id, cycle_year, quote_on, confirm_by, confirm_closes_at, deferred_payout_on, settings_json, status, call_now, call_next
              FROM batches WHERE batch_id = $id;
            """,
            r => new BatchRow(
                r.GetString(0), r.GetString(1), r.GetInt32(2), ParseDate(r.GetString(3)), ParseDate(r.GetString(4)), Db.FromMs(r.GetInt64(5)),
                ParseDate(r.GetString(6)), r.GetString(7), r.GetString(8), r.Int64OrNull(9), r.Int64OrNull(10)),
            ("$id", batchId)).FirstOrDefault();

    public static List<EntryRow> Entries(SqliteConnection c, SqliteTransaction? t, string batchId, string? partyId = null) =>
        Db.Query(c, t, """
            SELECT party_id, name, email, facts_json, mode, amount_fen, tier, quote_json, status, payee_json, confirmed_at, application_id
              FROM batch_entries WHERE batch_id = $id AND ($p IS NULL OR party_id = $p) ORDER BY party_id;
            """,
            r => new EntryRow(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.TextOrNull(4), r.Int64OrNull(5) is { } fen ? Db.FromFen(fen) : null,
                r.TextOrNull(6), r.GetString(7), r.GetString(8), r.TextOrNull(9), r.Int64OrNull(10) is { } at ? Db.FromMs(at) : null, r.Int64OrNull(11)),
            ("$id", batchId), ("$p", partyId));

    public static void SetEntryStatus(SqliteConnection c, SqliteTransaction t, string batchId, string partyId, string status, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE batch_entries SET status = $s, updated_at = $at WHERE batch_id = $b AND party_id = $p;",
            ("$b", batchId), ("$p", partyId), ("$s", status), ("$at", Db.ToMs(at)));

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Status values of a batch entry.</summary>
internal static class EntryStatus
{
    public const string Ineligible = "ineligible";
    public const string AwaitingConfirmation = "awaiting-confirmation";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
    public const string Deferred = "deferred";
    public const string Noticed = "noticed";
    public const string Removed = "removed";
    public const string Paid = "paid";
}

/// <summary>Payment modes of an entry (from the quote's disbursement mode).</summary>
internal static class EntryMode
{
    public const string Now = "automatic";
    public const string NextYear = "next-year-batch";
}

internal sealed record BatchRow(
    string BatchId,
    string ProgrammeId,
    int CycleYear,
    DateOnly QuoteOn,
    DateOnly ConfirmBy,
    DateTimeOffset ConfirmClosesAt,
    DateOnly DeferredPayoutOn,
    string SettingsJson,
    string Status,
    long? CallNow,
    long? CallNext);

internal sealed record EntryRow(
    string PartyId,
    string Name,
    string Email,
    string FactsJson,
    string? Mode,
    decimal? Amount,
    string? Tier,
    string QuoteJson,
    string Status,
    string? PayeeJson,
    DateTimeOffset? ConfirmedAt,
    long? ApplicationId);
