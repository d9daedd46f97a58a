using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Durable;
using Workflows.Programmes.Disbursements;

namespace Workflows.Programmes.Sanctions;

/// <summary>
/// Standing records (violations, penalties, dishonesty-list entries, disqualifications) and recoveries (追回) of paid
/// support: its tables, the <see cref="RecoveryOrchestrator"/> and the instalment check that a disqualification stops.
/// </summary>
public sealed class SanctionsModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "sanctions";

    /// <inheritdoc/>
    public string? SchemaScript => """
        CREATE TABLE IF NOT EXISTS standing_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            applicant_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            basis_seed TEXT NOT NULL,
            basis_clause TEXT NOT NULL,
            basis_title TEXT NULL,
            from_date TEXT NOT NULL,
            to_date TEXT NULL,
            reason TEXT NOT NULL,
            evidence_json TEXT NOT NULL,
            programmes_json TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            closed_reason TEXT NULL,
            closed_by TEXT NULL,
            closed_at INTEGER NULL,
            supersedes_id INTEGER NULL);
        CREATE INDEX IF NOT EXISTS ix_standing_applicant ON standing_records (applicant_id);
        CREATE TABLE IF NOT EXISTS recoveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            applicant_id TEXT NOT NULL,
            basis_seed TEXT NOT NULL,
            basis_clause TEXT NOT NULL,
            basis_title TEXT NULL,
            reason TEXT NOT NULL,
            amount_fen INTEGER NOT NULL,
            deadline TEXT NOT NULL,
            status TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            closed_at INTEGER NULL,
            handed_to TEXT NULL);
        CREATE TABLE IF NOT EXISTS recovery_items (
            recovery_id INTEGER NOT NULL,
            ledger_id INTEGER NOT NULL,
            amount_fen INTEGER NOT NULL,
            PRIMARY KEY (recovery_id, ledger_id));
        CREATE TABLE IF NOT EXISTS recovery_repayments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            recovery_id INTEGER NOT NULL,
            reference TEXT NOT NULL,
            amount_fen INTEGER NOT NULL,
            at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            UNIQUE (recovery_id, reference));
        CREATE TABLE IF NOT EXISTS ledger_reversals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            recovery_id INTEGER NOT NULL,
            repayment_id INTEGER NOT NULL,
            ledger_id INTEGER NOT NULL,
            amount_fen INTEGER NOT NULL,
            at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS export_reports (
            applicant_id TEXT NOT NULL,
            year INTEGER NOT NULL,
            amount_fen INTEGER NOT NULL,
            reported_by TEXT NOT NULL,
            reported_at INTEGER NOT NULL,
            PRIMARY KEY (applicant_id, year));
        """;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<RecoveryOrchestrator>()
            .AddActivity<RecoveryBalanceActivity>()
            .AddActivity<EscalateRecoveryActivity>();
    }

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInstalmentEligibility, StandingInstalmentEligibility>());
        services.TryAddSingleton<SanctionsStandingSource>();
        services.TryAddSingleton<SanctionsOperations>();
    }
}
