namespace Workflows.Programmes.Records;

/// <summary>The core tables. Times are Unix milliseconds (UTC); money is integer fen (exact, summable in SQL).</summary>
internal static class Schema
{
    public const string Core = $"""
        CREATE TABLE IF NOT EXISTS programmes_schema (version INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS parties (
            party_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            organisation TEXT NULL,
            kind TEXT NOT NULL,
            facts_json TEXT NULL,
            facts_updated_at INTEGER NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS experts (
            expert_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            organisation TEXT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS expert_conflicts (
            expert_id TEXT NOT NULL,
            party_id TEXT NOT NULL,
            reason TEXT NULL,
            declared_at INTEGER NOT NULL,
            PRIMARY KEY (expert_id, party_id)
        );

        CREATE TABLE IF NOT EXISTS subscriptions (
            party_id TEXT NOT NULL,
            programme_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (party_id, programme_id)
        );
        CREATE INDEX IF NOT EXISTS ix_subscriptions_programme ON subscriptions (programme_id);

        CREATE TABLE IF NOT EXISTS audit_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT NULL,
            details_json TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS audit_subjects (
            entry_id INTEGER NOT NULL REFERENCES audit_entries (id),
            subject TEXT NOT NULL,
            PRIMARY KEY (subject, entry_id)
        );

        CREATE TABLE IF NOT EXISTS ledger_entries (
            {LedgerColumns}
        );
        CREATE INDEX IF NOT EXISTS ix_ledger_programme_year ON ledger_entries (programme_id, cycle_year);
        CREATE INDEX IF NOT EXISTS ix_ledger_source ON ledger_entries (source);
        """;

    private const string LedgerColumns =
        "id INTEGER PRIMARY KEY AUTOINCREMENT, applicant_id TEXT NOT NULL, programme_id TEXT NOT NULL, cycle_year INTEGER NOT NULL, instalment INTEGER NOT NULL, amount_fen INTEGER NOT NULL, payment_year INTEGER NOT NULL, paid_at INTEGER NOT NULL, source TEXT NOT NULL, tier TEXT NULL, project_key TEXT NULL";

    /// <summary>
    /// One award instalment is paid once: per applicant, programme, cycle year, instalment and project (no project key is
    /// one project). Schema version 1 left the project out (a table constraint), so a second project's award of the same
    /// programme and year looked already paid; <see cref="LedgerRebuild"/> moves such a database over.
    /// </summary>
    public const string LedgerAwardIndex =
        "CREATE UNIQUE INDEX IF NOT EXISTS ux_ledger_award ON ledger_entries (applicant_id, programme_id, cycle_year, instalment, COALESCE(project_key, ''));";

    /// <summary>The text by which a version-1 <c>ledger_entries</c> is recognised in <c>sqlite_master</c>.</summary>
    public const string LedgerVersion1Constraint = "UNIQUE (applicant_id, programme_id, cycle_year, instalment)";

    /// <summary>Rebuilds a version-1 <c>ledger_entries</c> without its table constraint, keeping every row and id.</summary>
    public const string LedgerRebuild = $"""
        CREATE TABLE ledger_entries_v2 (
            {LedgerColumns}
        );
        INSERT INTO ledger_entries_v2 (id, applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source, tier, project_key)
            SELECT id, applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source, tier, project_key FROM ledger_entries;
        DROP TABLE ledger_entries;
        ALTER TABLE ledger_entries_v2 RENAME TO ledger_entries;
        CREATE INDEX IF NOT EXISTS ix_ledger_programme_year ON ledger_entries (programme_id, cycle_year);
        CREATE INDEX IF NOT EXISTS ix_ledger_source ON ledger_entries (source);
        """;
}
