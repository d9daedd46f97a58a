namespace Workflows.Programmes.Calls;

/// <summary>Tables of the core lifecycles (read model of calls, applications, reviews, notices, instalment plans).</summary>
internal static class LifecycleSchema
{
    private const string ApplicationsColumns =
        "application_id INTEGER PRIMARY KEY AUTOINCREMENT, call_id INTEGER NOT NULL REFERENCES calls (call_id), applicant_id TEXT NOT NULL, programme_id TEXT NOT NULL, cycle_year INTEGER NOT NULL, status TEXT NOT NULL, facts_json TEXT NOT NULL, project_key TEXT NULL, submitted_at INTEGER NOT NULL, quoted_on TEXT NOT NULL, quote_fen INTEGER NULL, quote_json TEXT NULL, tier TEXT NULL, score TEXT NULL, award_fen INTEGER NULL, award_json TEXT NULL, supplement_due INTEGER NULL, updated_at INTEGER NOT NULL";

    public const string Script = $"""
        CREATE TABLE IF NOT EXISTS lifecycle_steps (
            step_key TEXT PRIMARY KEY,
            result_json TEXT NULL,
            at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS calls (
            call_id INTEGER PRIMARY KEY AUTOINCREMENT,
            programme_id TEXT NOT NULL,
            cycle_year INTEGER NOT NULL,
            opens_at INTEGER NOT NULL,
            closes_at INTEGER NOT NULL,
            budget_fen INTEGER NOT NULL,
            settings_json TEXT NOT NULL,
            status TEXT NOT NULL,
            published_by TEXT NOT NULL,
            published_at INTEGER NOT NULL,
            closed_at INTEGER NULL,
            instance_id TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_calls_programme ON calls (programme_id, cycle_year);

        CREATE TABLE IF NOT EXISTS applications (
            {ApplicationsColumns}
        );
        CREATE INDEX IF NOT EXISTS ix_applications_call_status ON applications (call_id, status);
        CREATE INDEX IF NOT EXISTS ix_applications_applicant ON applications (applicant_id);

        CREATE TABLE IF NOT EXISTS decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            step_key TEXT NOT NULL UNIQUE,
            application_id INTEGER NOT NULL,
            stage TEXT NOT NULL,
            outcome TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            at INTEGER NOT NULL,
            reason TEXT NULL,
            details_json TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_decisions_application ON decisions (application_id);

        CREATE TABLE IF NOT EXISTS reviewer_assignments (
            application_id INTEGER NOT NULL,
            expert_id TEXT NOT NULL,
            status TEXT NOT NULL,
            assigned_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            remind_at INTEGER NOT NULL,
            reminded_at INTEGER NULL,
            score TEXT NULL,
            comment TEXT NULL,
            scored_at INTEGER NULL,
            PRIMARY KEY (application_id, expert_id)
        );
        CREATE INDEX IF NOT EXISTS ix_assignments_expert ON reviewer_assignments (expert_id, status);

        CREATE TABLE IF NOT EXISTS notices (
            notice_id INTEGER PRIMARY KEY AUTOINCREMENT,
            call_id INTEGER NOT NULL UNIQUE,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            length_days INTEGER NOT NULL,
            day_kind TEXT NOT NULL,
            clause TEXT NULL,
            status TEXT NOT NULL,
            opened_at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS notice_entries (
            application_id INTEGER PRIMARY KEY,
            notice_id INTEGER NOT NULL,
            applicant_id TEXT NOT NULL,
            amount_fen INTEGER NOT NULL,
            status TEXT NOT NULL,
            decided_at INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_notice_entries_notice ON notice_entries (notice_id, status);

        CREATE TABLE IF NOT EXISTS objections (
            objection_id INTEGER PRIMARY KEY AUTOINCREMENT,
            notice_id INTEGER NOT NULL,
            application_id INTEGER NOT NULL,
            filed_by TEXT NOT NULL,
            filed_role TEXT NOT NULL,
            contact_email TEXT NULL,
            filed_at INTEGER NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL,
            decided_by TEXT NULL,
            decided_at INTEGER NULL,
            decision_reason TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_objections_application ON objections (application_id, status);

        CREATE TABLE IF NOT EXISTS instalment_plans (
            application_id INTEGER NOT NULL,
            instalment INTEGER NOT NULL,
            payment_year INTEGER NOT NULL,
            amount_fen INTEGER NOT NULL,
            status TEXT NOT NULL,
            decided_at INTEGER NULL,
            reason TEXT NULL,
            PRIMARY KEY (application_id, instalment)
        );
        """;

    /// <summary>
    /// One application per applicant, call and project (no project key is one project): two major projects of one firm
    /// may go into one call. Schema version 2 allowed one application per applicant and call (a table constraint);
    /// <see cref="ApplicationsRebuild"/> moves such a database over.
    /// </summary>
    public const string ApplicationsUniqueIndex =
        "CREATE UNIQUE INDEX IF NOT EXISTS ux_applications_call_applicant_project ON applications (call_id, applicant_id, COALESCE(project_key, ''));";

    /// <summary>The text by which an older <c>applications</c> table is recognised in <c>sqlite_master</c>.</summary>
    public const string ApplicationsOldConstraint = "UNIQUE (call_id, applicant_id)";

    /// <summary>Rebuilds an older <c>applications</c> table without its table constraint, keeping every row and id.</summary>
    public const string ApplicationsRebuild = $"""
        CREATE TABLE applications_v2 (
            {ApplicationsColumns}
        );
        INSERT INTO applications_v2 (application_id, call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, quote_fen, quote_json, tier, score, award_fen, award_json, supplement_due, updated_at)
            SELECT application_id, call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, quote_fen, quote_json, tier, score, award_fen, award_json, supplement_due, updated_at FROM applications;
        DROP TABLE applications;
        ALTER TABLE applications_v2 RENAME TO applications;
        CREATE INDEX IF NOT EXISTS ix_applications_call_status ON applications (call_id, status);
        CREATE INDEX IF NOT EXISTS ix_applications_applicant ON applications (applicant_id);
        """;
}
