using Workflows.Durable;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;

namespace Workflows.Programmes.Sanctions;

/// <summary>Input of <see cref="RecoveryOrchestrator"/>.</summary>
/// <param name="RecoveryId">The recovery.</param>
/// <param name="DueAt">When the deadline passes (end of the deadline day, China time).</param>
public sealed record RecoveryInput(long RecoveryId, DateTimeOffset DueAt);

/// <summary>Event raised after a repayment or hand-over was recorded (the orchestration re-reads the balance).</summary>
/// <param name="Kind"><c>repayment</c> or <c>handed-on</c>.</param>
public sealed record RecoveryChangedEvent(string Kind);

/// <summary>Result of a recovery orchestration.</summary>
/// <param name="Status">Final status: <c>closed</c> or <c>handed-on</c>.</param>
/// <param name="Escalated">Whether it was escalated as overdue.</param>
public sealed record RecoveryResult(string Status, bool Escalated);

/// <summary>Input of the recovery activities.</summary>
/// <param name="RecoveryId">The recovery.</param>
/// <param name="At">The orchestration's time.</param>
public sealed record RecoveryStep(long RecoveryId, DateTimeOffset At);

/// <summary>
/// A recovery (追回, 003 四): waits for repayments until the deadline passes (durable timer), escalating once if money
/// is still owed; closes when fully repaid, or ends when the bureau hands the case on (its history stays).
/// </summary>
public sealed class RecoveryOrchestrator : TaskOrchestrator<RecoveryInput, RecoveryResult>
{
    /// <summary>The event name of <see cref="RecoveryChangedEvent"/>.</summary>
    public const string ChangedEvent = "recovery-changed";

    /// <inheritdoc/>
    public override async Task<RecoveryResult> RunAsync(TaskOrchestrationContext context, RecoveryInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var escalated = false;
        while (true)
        {
            var status = await context.CallActivityAsync<string>(nameof(RecoveryBalanceActivity), new RecoveryStep(input.RecoveryId, Now(context)));
            if (status is "closed" or "handed-on")
            {
                return new RecoveryResult(status, escalated);
            }

            if (escalated)
            {
                await context.WaitForExternalEvent<RecoveryChangedEvent>(ChangedEvent);
                continue;
            }

            using var cts = new CancellationTokenSource();
            var changed = context.WaitForExternalEvent<RecoveryChangedEvent>(ChangedEvent, cts.Token);
            var due = context.CreateTimer(input.DueAt.UtcDateTime, cts.Token);
            var winner = await Task.WhenAny(changed, due);
            cts.Cancel();
            if (winner == due)
            {
                await context.CallActivityAsync<string>(nameof(EscalateRecoveryActivity), new RecoveryStep(input.RecoveryId, Now(context)));
                escalated = true;
            }
        }
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}

/// <summary>Closes the recovery when fully repaid (mail and audit in the same transaction); returns the status. Idempotent.</summary>
/// <param name="services">The programme services.</param>
public sealed class RecoveryBalanceActivity(ProgrammeServices services) : TaskActivity<RecoveryStep, string>
{
    /// <inheritdoc/>
    public override Task<string> RunAsync(TaskActivityContext context, RecoveryStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var r = SanctionsStore.GetRecovery(c, t, input.RecoveryId) ?? throw new ProgrammeNotFoundException("recovery", input.RecoveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (r.Status is "closed" or "handed-on" || r.Outstanding > 0)
            {
                return r.Status;
            }

            SanctionsStore.SetRecoveryStatus(c, t, r.Id, "closed", input.At);
            var subject = AuditTrail.Subject("recovery", r.Id);
            AuditTrail.Append(c, t, new AuditEntry($"{subject}/closed", input.At, Actor.System, "recovery.closed",
                [subject, AuditTrail.Subject("party", r.ApplicantId)], "fully repaid", AuditTrail.ToDetails(new { r.Amount, r.Repaid })));
            SanctionsNotify.Mail(services, c, t, r.ApplicantId, SanctionsMail.RecoveryClosed, $"{subject}/closed", input.At,
                a => a with { Reference = subject, Amount = r.Amount, Reason = "已全额退回 / fully repaid" });
            return "closed";
        }));
    }
}

/// <summary>Marks an overdue recovery escalated, mails the applicant and writes the audit entry. Idempotent.</summary>
/// <param name="services">The programme services.</param>
public sealed class EscalateRecoveryActivity(ProgrammeServices services) : TaskActivity<RecoveryStep, string>
{
    /// <inheritdoc/>
    public override Task<string> RunAsync(TaskActivityContext context, RecoveryStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var r = SanctionsStore.GetRecovery(c, t, input.RecoveryId)!;
            if (r.Status != "open")
            {
                return r.Status;
            }

            SanctionsStore.SetRecoveryStatus(c, t, r.Id, "escalated", input.At);
            var subject = AuditTrail.Subject("recovery", r.Id);
            AuditTrail.Append(c, t, new AuditEntry($"{subject}/escalated", input.At, Actor.System, "recovery.escalated",
                [subject, AuditTrail.Subject("party", r.ApplicantId)], "overdue", AuditTrail.ToDetails(new { r.Outstanding, Deadline = SanctionsStore.Iso(r.Deadline) })));
            SanctionsNotify.Mail(services, c, t, r.ApplicantId, SanctionsMail.RecoveryOverdue, $"{subject}/escalated", input.At,
                a => a with { Reference = subject, Amount = r.Outstanding });
            return "escalated";
        }));
    }
}

/// <summary>Mails an applicant through the notification port, in the caller's transaction.</summary>
internal static class SanctionsNotify
{
    public static void Mail(
        ProgrammeServices services, Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, string applicantId,
        MailTemplate template, string key, DateTimeOffset at, Func<MailArgs, MailArgs> args)
    {
        var party = PartyDirectory.Get(c, applicantId, t);
        if (party is null)
        {
            return;
        }

        services.Notifications.Notify(c, t, new Notification(template, key, new OutboxAddress(party.Email, party.Name), args(new MailArgs { RecipientName = party.Name }), at));
    }
}
