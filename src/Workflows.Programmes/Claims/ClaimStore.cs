using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Claims;

/// <summary>The claim-window table (module schema, in records.db).</summary>
internal static class ClaimStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS claim_windows (
            claim_id TEXT PRIMARY KEY,
            programme_id TEXT NOT NULL,
            party_id TEXT NOT NULL,
            anchor_fact TEXT NOT NULL,
            anchor_date TEXT NOT NULL,
            duration_value INTEGER NOT NULL,
            duration_days TEXT NOT NULL,
            clause TEXT NOT NULL,
            last_day TEXT NOT NULL,
            closes_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            application_id INTEGER NULL,
            claimed_at INTEGER NULL,
            lapsed_at INTEGER NULL,
            opened_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (programme_id, party_id, anchor_date)
        );
        """;

    public static ClaimRow? Get(SqliteConnection c, SqliteTransaction? t, string claimId) =>
        Db.Query(c, t, """
            SELECT claim_id, programme_id, party_id, anchor_fact, anchor_date, duration_value, duration_days, clause, last_day, closes_at,
                   status, application_id, claimed_at, lapsed_at
              FROM claim_windows WHERE claim_id = $id;
            """,
            r => new ClaimRow(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseDate(r.GetString(4)), r.GetInt32(5), r.GetString(6), r.GetString(7),
                ParseDate(r.GetString(8)), Db.FromMs(r.GetInt64(9)), r.GetString(10), r.Int64OrNull(11),
                r.Int64OrNull(12) is { } claimed ? Db.FromMs(claimed) : null, r.Int64OrNull(13) is { } lapsed ? Db.FromMs(lapsed) : null),
            ("$id", claimId)).FirstOrDefault();

    public static int SetStatus(SqliteConnection c, SqliteTransaction t, string claimId, string from, string to, DateTimeOffset at) =>
        Db.Execute(c, t, "UPDATE claim_windows SET status = $to, updated_at = $at WHERE claim_id = $id AND status = $from;",
            ("$id", claimId), ("$from", from), ("$to", to), ("$at", Db.ToMs(at)));

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Status values of a claim window.</summary>
internal static class ClaimStatus
{
    public const string Open = "open";
    public const string Claiming = "claiming";
    public const string Claimed = "claimed";
    public const string Lapsed = "lapsed";
}

internal sealed record ClaimRow(
    string ClaimId,
    string ProgrammeId,
    string PartyId,
    string AnchorFact,
    DateOnly AnchorDate,
    int DurationValue,
    string DurationDays,
    string Clause,
    DateOnly LastDay,
    DateTimeOffset ClosesAt,
    string Status,
    long? ApplicationId,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? LapsedAt);
