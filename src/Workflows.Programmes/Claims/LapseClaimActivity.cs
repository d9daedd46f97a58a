using Workflows.Durable;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;

namespace Workflows.Programmes.Claims;

/// <summary>
/// Lapses a claim window whose last day has ended without a claim: status, audit entry and mail in one transaction.
/// Idempotent: only an open window whose end has passed lapses; a claimed one stays claimed.
/// </summary>
internal sealed class LapseClaimActivity(ProgrammeServices services) : TaskActivity<string, ClaimCheck>
{
    public override Task<ClaimCheck> RunAsync(TaskActivityContext context, string input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        ClaimCheck check = services.Records.Transaction((c, t) =>
        {
            ClaimRow claim = ClaimStore.Get(c, t, input) ?? throw new InvalidOperationException($"Claim window '{input}' does not exist.");
            if (claim.Status != ClaimStatus.Open || now < claim.ClosesAt)
            {
                return new ClaimCheck(claim.Status);
            }

            ClaimStore.SetStatus(c, t, claim.ClaimId, ClaimStatus.Open, ClaimStatus.Lapsed, now);
            Records.Db.Execute(c, t, "UPDATE claim_windows SET lapsed_at = $at WHERE claim_id = $id;", ("$id", claim.ClaimId), ("$at", Records.Db.ToMs(now)));
            Party party = PartyDirectory.Get(c, claim.PartyId, t) ?? throw new InvalidOperationException($"Party '{claim.PartyId}' is missing.");
            string title = services.Catalogue.TryGet(claim.ProgrammeId, out var programme) ? programme.TitleZh : claim.ProgrammeId;
            Transitions.Record(
                c, t, services.Notifications, $"claim/{claim.ClaimId}/lapsed", now, Actor.System, "claim.lapsed",
                [AuditTrail.Subject("claim", claim.ClaimId), AuditTrail.Subject("party", claim.PartyId)], claim.Clause,
                new { lastDay = claim.LastDay, claim.AnchorDate, duration = $"{claim.DurationValue} {claim.DurationDays}" },
                (ClaimMail.Lapsed, new OutboxAddress(party.Email, party.Name),
                    new MailArgs { RecipientName = party.Name, ProgrammeTitle = title, EndDate = claim.ClosesAt, Reason = claim.Clause, Date = now }));
            return new ClaimCheck(ClaimStatus.Lapsed);
        });
        return Task.FromResult(check);
    }
}
