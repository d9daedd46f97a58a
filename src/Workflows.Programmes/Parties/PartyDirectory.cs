using Microsoft.Data.Sqlite;
using Workflows.Policies;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Parties;

/// <summary>
/// Parties, their current profile facts, experts, declared conflicts of interest and programme subscriptions in the
/// records database. The host manages them (profiles, subscriptions); the workflows read them.
/// </summary>
public static class PartyDirectory
{
    /// <summary>Inserts or updates a party (name, email, organisation, kind); its facts are kept.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="party">The party.</param>
    /// <param name="at">When.</param>
    /// <exception cref="ArgumentException">The party has no id, name or a valid email.</exception>
    public static void Upsert(SqliteConnection connection, SqliteTransaction transaction, Party party, DateTimeOffset at)
    {
        Validate(party);
        Db.Execute(connection, transaction, """
            INSERT INTO parties (party_id, name, email, organisation, kind, updated_at)
            VALUES ($id, $name, $email, $org, $kind, $at)
            ON CONFLICT (party_id) DO UPDATE SET name = $name, email = $email, organisation = $org, kind = $kind, updated_at = $at;
            """,
            ("$id", party.PartyId), ("$name", party.Name), ("$email", party.Email), ("$org", party.Organisation),
            ("$kind", party.Kind.ToString()), ("$at", Db.ToMs(at)));
    }

    /// <summary>Reads a party, or null when unknown.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="partyId">The id.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The party or null.</returns>
    public static Party? Get(SqliteConnection connection, string partyId, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, "SELECT party_id, name, email, organisation, kind FROM parties WHERE party_id = $id;",
            r => new Party(r.GetString(0), r.GetString(1), r.GetString(2), r.TextOrNull(3), Enum.Parse<PartyKind>(r.GetString(4))),
            ("$id", partyId)).FirstOrDefault();

    /// <summary>Stores the party's current profile facts (一企一档) as a facts JSON object (docs/catalogue-format.md §14).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="factsJson">The facts JSON object.</param>
    /// <param name="at">When.</param>
    /// <exception cref="FactException">The JSON is not a facts object.</exception>
    /// <exception cref="InvalidOperationException">The party is unknown.</exception>
    public static void SetFacts(SqliteConnection connection, SqliteTransaction transaction, string partyId, string factsJson, DateTimeOffset at)
    {
        _ = FactProfile.FromJson(factsJson);
        var changed = Db.Execute(connection, transaction, "UPDATE parties SET facts_json = $f, facts_updated_at = $at WHERE party_id = $id;",
            ("$f", factsJson), ("$at", Db.ToMs(at)), ("$id", partyId));
        if (changed == 0)
        {
            throw new InvalidOperationException($"Party '{partyId}' is unknown; register it before storing its facts.");
        }
    }

    /// <summary>Reads the party's current profile facts JSON, or null when none was stored.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="partyId">The party.</param>
    /// <returns>The facts JSON or null.</returns>
    public static string? GetFacts(SqliteConnection connection, string partyId) =>
        Db.Scalar(connection, null, "SELECT facts_json FROM parties WHERE party_id = $id;", ("$id", partyId)) as string;

    /// <summary>Inserts or updates an expert of the pool.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="expert">The expert.</param>
    /// <param name="at">When.</param>
    public static void UpsertExpert(SqliteConnection connection, SqliteTransaction transaction, Expert expert, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(expert);
        if (string.IsNullOrWhiteSpace(expert.ExpertId) || string.IsNullOrWhiteSpace(expert.Name) || !expert.Email.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("An expert needs an id, a name and a valid email.", nameof(expert));
        }

        Db.Execute(connection, transaction, """
            INSERT INTO experts (expert_id, name, email, organisation, active, updated_at)
            VALUES ($id, $name, $email, $org, $active, $at)
            ON CONFLICT (expert_id) DO UPDATE SET name = $name, email = $email, organisation = $org, active = $active, updated_at = $at;
            """,
            ("$id", expert.ExpertId), ("$name", expert.Name), ("$email", expert.Email), ("$org", expert.Organisation),
            ("$active", expert.Active ? 1 : 0), ("$at", Db.ToMs(at)));
    }

    /// <summary>Reads an expert, or null.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="expertId">The id.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The expert or null.</returns>
    public static Expert? GetExpert(SqliteConnection connection, string expertId, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, "SELECT expert_id, name, email, organisation, active FROM experts WHERE expert_id = $id;",
            r => new Expert(r.GetString(0), r.GetString(1), r.GetString(2), r.TextOrNull(3), r.GetInt64(4) == 1), ("$id", expertId)).FirstOrDefault();

    /// <summary>Lists the active experts, ordered by id.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The experts.</returns>
    public static IReadOnlyList<Expert> ActiveExperts(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, "SELECT expert_id, name, email, organisation, active FROM experts WHERE active = 1 ORDER BY expert_id;",
            r => new Expert(r.GetString(0), r.GetString(1), r.GetString(2), r.TextOrNull(3), true));

    /// <summary>Records a declared conflict of interest between an expert and a party (idempotent).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="expertId">The expert.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="reason">The declared reason.</param>
    /// <param name="at">When.</param>
    public static void DeclareConflict(SqliteConnection connection, SqliteTransaction transaction, string expertId, string partyId, string? reason, DateTimeOffset at) =>
        Db.Execute(connection, transaction, """
            INSERT OR IGNORE INTO expert_conflicts (expert_id, party_id, reason, declared_at) VALUES ($e, $p, $r, $at);
            """, ("$e", expertId), ("$p", partyId), ("$r", reason), ("$at", Db.ToMs(at)));

    /// <summary>Lists the experts who declared a conflict with the party.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The expert ids.</returns>
    public static IReadOnlySet<string> DeclaredConflicts(SqliteConnection connection, string partyId, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, "SELECT expert_id FROM expert_conflicts WHERE party_id = $p;", r => r.GetString(0), ("$p", partyId))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Subscribes a party to calls of a programme (idempotent).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="at">When.</param>
    public static void Subscribe(SqliteConnection connection, SqliteTransaction transaction, string partyId, string programmeId, DateTimeOffset at) =>
        Db.Execute(connection, transaction, "INSERT OR IGNORE INTO subscriptions (party_id, programme_id, created_at) VALUES ($p, $g, $at);",
            ("$p", partyId), ("$g", programmeId), ("$at", Db.ToMs(at)));

    /// <summary>Removes a subscription (idempotent).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="programmeId">The programme.</param>
    public static void Unsubscribe(SqliteConnection connection, SqliteTransaction transaction, string partyId, string programmeId) =>
        Db.Execute(connection, transaction, "DELETE FROM subscriptions WHERE party_id = $p AND programme_id = $g;", ("$p", partyId), ("$g", programmeId));

    /// <summary>Lists the parties subscribed to a programme, ordered by id.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The parties.</returns>
    public static IReadOnlyList<Party> Subscribers(SqliteConnection connection, string programmeId, SqliteTransaction? transaction = null) =>
        Db.Query(connection, transaction, """
            SELECT p.party_id, p.name, p.email, p.organisation, p.kind FROM subscriptions s JOIN parties p ON p.party_id = s.party_id
             WHERE s.programme_id = $g ORDER BY p.party_id;
            """,
            r => new Party(r.GetString(0), r.GetString(1), r.GetString(2), r.TextOrNull(3), Enum.Parse<PartyKind>(r.GetString(4))), ("$g", programmeId));

    private static void Validate(Party party)
    {
        ArgumentNullException.ThrowIfNull(party);
        if (string.IsNullOrWhiteSpace(party.PartyId) || string.IsNullOrWhiteSpace(party.Name))
        {
            throw new ArgumentException("A party needs an id and a name.", nameof(party));
        }

        if (string.IsNullOrWhiteSpace(party.Email) || !party.Email.Contains('@', StringComparison.Ordinal) || party.Email.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"Party '{party.PartyId}' needs a valid email address.", nameof(party));
        }
    }
}
