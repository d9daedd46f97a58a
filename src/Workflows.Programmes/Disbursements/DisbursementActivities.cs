using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Disbursements;

/// <summary>Input of the Disbursement orchestration.</summary>
/// <param name="CallId">The call whose approved awards are paid.</param>
public sealed record DisbursementInput(long CallId);

/// <summary>Input of <see cref="PayFirstInstalmentsActivity"/>.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Round">The payment round (1 at the end of the 公示, then one per release of held entries).</param>
/// <param name="At">When (orchestration time).</param>
public sealed record PaymentRoundInput(long CallId, int Round, DateTimeOffset At);

/// <summary>The first payment run and what is left for later years.</summary>
/// <param name="Paid">Payments written now.</param>
/// <param name="Total">Their sum.</param>
/// <param name="PaidAt">When.</param>
/// <param name="FirstYear">The payment year of the first instalment.</param>
/// <param name="LaterYears">Payment years of later instalments still scheduled, ascending.</param>
public sealed record DisbursementPlan(int Paid, decimal Total, DateTimeOffset PaidAt, int FirstYear, IReadOnlyList<int> LaterYears);

/// <summary>Input of <see cref="PayInstalmentYearActivity"/>.</summary>
/// <param name="CallId">The call.</param>
/// <param name="PaymentYear">The instalments' payment year.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record InstalmentYearInput(long CallId, int PaymentYear, DateTimeOffset At);

/// <summary>The result of a yearly instalment run.</summary>
/// <param name="Paid">Instalments paid.</param>
/// <param name="Stopped">Instalments stopped by a failed re-check.</param>
/// <param name="Total">The sum paid.</param>
public sealed record InstalmentYearResult(int Paid, int Stopped, decimal Total);

/// <summary>Output of the Disbursement orchestration.</summary>
/// <param name="Paid">Payments written.</param>
/// <param name="Stopped">Instalments stopped.</param>
/// <param name="Total">The sum paid.</param>
public sealed record DisbursementResult(int Paid, int Stopped, decimal Total);

/// <summary>
/// Pays the first instalment of every approved, not yet paid award of a call into the ledger (exactly once per
/// applicant, programme, cycle and instalment) and tells each applicant. Idempotent per round.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class PayFirstInstalmentsActivity(ProgrammeServices services) : TaskActivity<PaymentRoundInput, DisbursementPlan>
{
    /// <inheritdoc/>
    public override Task<DisbursementPlan> RunAsync(TaskActivityContext context, PaymentRoundInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, input.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
            var key = string.Create(CultureInfo.InvariantCulture, $"call/{call.CallId}/payments/{input.Round}");
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<DisbursementPlan>(c, t, key)!;
            }

            var paid = 0;
            var total = 0m;
            foreach (var app in LifecycleStore.ApplicationsOfCall(c, t, call.CallId, ApplicationStatus.Approved))
            {
                var first = Payments.Plan(c, t, app.ApplicationId).FirstOrDefault(p => p.Status == "scheduled");
                if (first is null)
                {
                    continue;
                }

                if (Payments.Pay(services, c, t, app, first, input.At) is { } amount)
                {
                    paid++;
                    total += amount;
                }
            }

            var later = Db.Query(c, t, """
                SELECT DISTINCT p.payment_year FROM instalment_plans p JOIN applications a ON a.application_id = p.application_id
                 WHERE a.call_id = $c AND p.status = 'scheduled' ORDER BY p.payment_year;
                """, r => r.GetInt32(0), ("$c", call.CallId));
            var firstYear = Db.Scalar(c, t, """
                SELECT MIN(p.payment_year) FROM instalment_plans p JOIN applications a ON a.application_id = p.application_id WHERE a.call_id = $c;
                """, ("$c", call.CallId)) is long y ? (int)y : call.CycleYear;
            var plan = new DisbursementPlan(paid, total, input.At, firstYear, later);
            AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "call.payments.first", [AuditTrail.Subject("call", call.CallId)], null, AuditTrail.ToDetails(plan)));
            LifecycleStore.SaveResult(c, t, key, plan);
            return plan;
        }));
    }
}

/// <summary>
/// Pays one year's later instalments of a call: each is re-checked first by every <see cref="IInstalmentEligibility"/>;
/// a failed check stops it and every instalment after it, and tells the applicant why. Idempotent per instalment.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class PayInstalmentYearActivity(ProgrammeServices services) : TaskActivity<InstalmentYearInput, InstalmentYearResult>
{
    /// <inheritdoc/>
    public override Task<InstalmentYearResult> RunAsync(TaskActivityContext context, InstalmentYearInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var due = services.Records.Read(c => Db.Query(c, null, """
            SELECT p.application_id, p.instalment FROM instalment_plans p JOIN applications a ON a.application_id = p.application_id
             WHERE a.call_id = $c AND p.payment_year = $y AND p.status = 'scheduled' AND a.status = 'Paying' ORDER BY p.application_id;
            """, r => (App: r.GetInt64(0), Instalment: r.GetInt32(1)), ("$c", input.CallId), ("$y", input.PaymentYear)));
        int paid = 0, stopped = 0;
        var total = 0m;
        foreach (var (appId, instalment) in due)
        {
            var app = services.Records.Read(c => LifecycleStore.GetApplication(c, null, appId))!;
            var check = new InstalmentCheck(app.ApplicationId, app.ApplicantId, app.ProgrammeId, app.CycleYear, instalment, input.PaymentYear,
                DateOnly.FromDateTime(input.At.UtcDateTime), app.QuotedOn, app.FactsJson);
            var failures = services.InstalmentChecks.Select(x => x.Check(check)).Where(r => !r.Eligible).SelectMany(r => r.Reasons).ToList();
            var outcome = services.Records.Transaction((c, t) =>
            {
                var row = Payments.Plan(c, t, appId).FirstOrDefault(p => p.Instalment == instalment);
                if (row is null || row.Status != "scheduled")
                {
                    return (decimal?)null;
                }

                var current = LifecycleStore.GetApplication(c, t, appId)!;
                if (failures.Count == 0)
                {
                    return Payments.Pay(services, c, t, current, row, input.At);
                }

                Payments.Stop(services, c, t, current, row, failures, input.At);
                return -1m;
            });
            if (outcome is -1m)
            {
                stopped++;
            }
            else if (outcome is { } amount)
            {
                paid++;
                total += amount;
            }
        }

        return Task.FromResult(new InstalmentYearResult(paid, stopped, total));
    }
}

/// <summary>Completes a call's disbursement and returns its totals.</summary>
/// <param name="services">The programme services.</param>
public sealed class CompleteDisbursementActivity(ProgrammeServices services) : TaskActivity<CallStepInput, DisbursementResult>
{
    /// <inheritdoc/>
    public override Task<DisbursementResult> RunAsync(TaskActivityContext context, CallStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Read(c =>
        {
            var rows = Db.Query(c, null, """
                SELECT p.status, COUNT(*), COALESCE(SUM(p.amount_fen), 0) FROM instalment_plans p JOIN applications a ON a.application_id = p.application_id
                 WHERE a.call_id = $c GROUP BY p.status;
                """, r => (Status: r.GetString(0), Count: r.GetInt32(1), Fen: r.GetInt64(2)), ("$c", input.CallId));
            var paid = rows.FirstOrDefault(r => r.Status == "paid");
            return new DisbursementResult(paid.Count, rows.Where(r => r.Status == "stopped").Sum(r => r.Count), Db.FromFen(paid.Fen));
        }));
    }
}

/// <summary>One row of an instalment plan.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="Instalment">1, 2, 3 ….</param>
/// <param name="PaymentYear">The calendar year it is due.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Status"><c>scheduled</c>, <c>paid</c>, <c>stopped</c>, <c>cancelled</c> or <c>duplicate</c>.</param>
/// <param name="Reason">Why it was stopped or cancelled.</param>
public sealed record InstalmentPlanRow(long ApplicationId, int Instalment, int PaymentYear, decimal Amount, string Status, string? Reason);

/// <summary>Payment helpers shared by the disbursement activities.</summary>
internal static class Payments
{
    public static List<InstalmentPlanRow> Plan(SqliteConnection c, SqliteTransaction? t, long applicationId) =>
        Db.Query(c, t, "SELECT application_id, instalment, payment_year, amount_fen, status, reason FROM instalment_plans WHERE application_id = $a ORDER BY instalment;",
            r => new InstalmentPlanRow(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), Db.FromFen(r.GetInt64(3)), r.GetString(4), r.TextOrNull(5)), ("$a", applicationId));

    /// <summary>Writes the ledger entry of one instalment; returns the amount, or null when the ledger already held the key from another source.</summary>
    public static decimal? Pay(ProgrammeServices services, SqliteConnection c, SqliteTransaction t, ApplicationRow app, InstalmentPlanRow row, DateTimeOffset at)
    {
        var source = $"application/{app.ApplicationId}";
        var write = PaymentLedger.Record(c, t, new LedgerEntry(app.ApplicantId, app.ProgrammeId, app.CycleYear, row.Instalment, row.Amount, row.PaymentYear, at, source, app.Tier, app.ProjectKey));
        var key = string.Create(CultureInfo.InvariantCulture, $"application/{app.ApplicationId}/instalment/{row.Instalment}/paid");
        if (!write.Created && write.Entry.Source != source)
        {
            Db.Execute(c, t, "UPDATE instalment_plans SET status = 'duplicate', reason = $r, decided_at = $at WHERE application_id = $a AND instalment = $i;",
                ("$r", "already paid by " + write.Entry.Source), ("$at", Db.ToMs(at)), ("$a", app.ApplicationId), ("$i", row.Instalment));
            LifecycleStore.AuditApplication(c, t, app, key, at, Actor.System, "application.payment.duplicate-refused", "already paid by " + write.Entry.Source, null);
            RefreshStatus(c, t, app, at);
            return null;
        }

        Db.Execute(c, t, "UPDATE instalment_plans SET status = 'paid', decided_at = $at WHERE application_id = $a AND instalment = $i;",
            ("$at", Db.ToMs(at)), ("$a", app.ApplicationId), ("$i", row.Instalment));
        RefreshStatus(c, t, app, at);
        LifecycleStore.AddDecision(c, t, key, app.ApplicationId, "disbursement", "paid", Actor.System, at, null,
            AuditTrail.ToDetails(new { row.Instalment, row.PaymentYear, row.Amount, ledgerId = write.Entry.Id }));
        LifecycleStore.AuditApplication(c, t, app, key, at, Actor.System, "application.payment.made", null, new { row.Instalment, row.PaymentYear, row.Amount, ledgerId = write.Entry.Id });
        LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.PaymentMade, key, at, new MailArgs { Amount = row.Amount });
        return row.Amount;
    }

    /// <summary>Stops an instalment and every later one of the application.</summary>
    public static void Stop(ProgrammeServices services, SqliteConnection c, SqliteTransaction t, ApplicationRow app, InstalmentPlanRow row, IReadOnlyList<string> reasons, DateTimeOffset at)
    {
        var reason = string.Join("; ", reasons);
        Db.Execute(c, t, "UPDATE instalment_plans SET status = 'stopped', reason = $r, decided_at = $at WHERE application_id = $a AND instalment >= $i AND status = 'scheduled';",
            ("$r", reason), ("$at", Db.ToMs(at)), ("$a", app.ApplicationId), ("$i", row.Instalment));
        LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Stopped, at);
        var key = string.Create(CultureInfo.InvariantCulture, $"application/{app.ApplicationId}/instalment/{row.Instalment}/stopped");
        LifecycleStore.AddDecision(c, t, key, app.ApplicationId, "disbursement", "stopped", Actor.System, at, reason, AuditTrail.ToDetails(new { row.Instalment, reasons }));
        LifecycleStore.AuditApplication(c, t, app, key, at, Actor.System, "application.instalment.stopped", reason, new { row.Instalment, row.PaymentYear, reasons });
        LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.InstalmentStopped, key, at, new MailArgs { Lines = reasons });
    }

    private static void RefreshStatus(SqliteConnection c, SqliteTransaction t, ApplicationRow app, DateTimeOffset at)
    {
        var remaining = Db.Scalar(c, t, "SELECT COUNT(*) FROM instalment_plans WHERE application_id = $a AND status = 'scheduled';", ("$a", app.ApplicationId)) as long? ?? 0;
        LifecycleStore.SetStatus(c, t, app.ApplicationId, remaining > 0 ? ApplicationStatus.Paying : ApplicationStatus.Paid, at);
    }
}
