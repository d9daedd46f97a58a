using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Claims;

/// <summary>An event that opens a right to claim, e.g. a listing.</summary>
/// <param name="ClaimId">Stable id chosen by the bureau (letters, digits, '-', '_').</param>
/// <param name="ProgrammeId">The programme whose catalogue entry has a <c>claim-window</c> stage (e.g. <c>003-pg-listing-main-board</c>).</param>
/// <param name="PartyId">The party holding the right.</param>
/// <param name="PartyName">Its name.</param>
/// <param name="Email">Where it receives mail.</param>
/// <param name="AnchorDate">The date the window runs from (the stage's anchor fact, e.g. the listing date).</param>
public sealed record OpenClaimWindowRequest(string ClaimId, string ProgrammeId, string PartyId, string PartyName, string Email, DateOnly AnchorDate);

/// <summary>A claim window as the API shows it.</summary>
/// <param name="ClaimId">Id.</param>
/// <param name="ProgrammeId">Programme.</param>
/// <param name="PartyId">Party.</param>
/// <param name="AnchorFact">The anchor fact (e.g. <c>listingDate</c>).</param>
/// <param name="AnchorDate">Its date.</param>
/// <param name="Duration">The window, e.g. <c>60 working days</c>.</param>
/// <param name="Clause">The clause that sets it.</param>
/// <param name="LastDay">The last day a claim is accepted (inclusive, Beijing date).</param>
/// <param name="ClosesAt">The instant the window closes (end of the last day, UTC+8).</param>
/// <param name="Status"><c>open</c>, <c>claiming</c>, <c>claimed</c> or <c>lapsed</c>.</param>
/// <param name="ApplicationId">The application started by the claim.</param>
public sealed record ClaimWindowView(
    string ClaimId,
    string ProgrammeId,
    string PartyId,
    string AnchorFact,
    DateOnly AnchorDate,
    string Duration,
    string Clause,
    DateOnly LastDay,
    DateTimeOffset ClosesAt,
    string Status,
    long? ApplicationId);

/// <summary>
/// The host's entry point for claim windows: open one when the event happens, claim inside it (which submits an
/// application to the programme's open call), read it. Calls validate first and change nothing when they throw
/// <see cref="ProgrammeNotFoundException"/>, <see cref="ProgrammeConflictException"/> or <see cref="ProgrammeValidationException"/>.
/// </summary>
/// <param name="programmes">The core facade (applications are submitted through it).</param>
public sealed class ClaimOperations(ProgrammeOperations programmes)
{
    private readonly ProgrammeServices services = programmes.Services;
    private readonly DurableTaskClient client = programmes.Client;

    /// <summary>Opens a claim window: computes its last day from the programme's claim-window stage and the working-day calendar, tells the party, starts the timer.</summary>
    /// <param name="request">The request.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The window.</returns>
    public async Task<ClaimWindowView> OpenWindowAsync(OpenClaimWindowRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        (Programme programme, Stage stage) = this.Validate(request);
        DateOnly lastDay;
        try
        {
            lastDay = stage.Duration!.Days == DayKind.Working
                ? this.services.Calendar.AddWorkingDays(request.AnchorDate, stage.Duration.Value)
                : request.AnchorDate.AddDays(stage.Duration.Value);
        }
        catch (CalendarDataMissingException e)
        {
            throw new ProgrammeValidationException("anchorDate", $"{e.Message} The window's last day cannot be computed without the year's holiday data.");
        }

        DateTime closesAt = DistrictDates.EndOfDayUtc(lastDay);
        DateTimeOffset now = this.services.Time.GetUtcNow();
        string clause = stage.Citation.ToString();
        bool created = this.services.Records.Transaction((c, t) =>
        {
            if (ClaimStore.Get(c, t, request.ClaimId) is { } existing)
            {
                if (existing.ProgrammeId != programme.Id || existing.PartyId != request.PartyId || existing.AnchorDate != request.AnchorDate)
                {
                    throw new ProgrammeConflictException($"Claim window '{request.ClaimId}' already exists for {existing.ProgrammeId}, party {existing.PartyId}, {existing.AnchorFact} {existing.AnchorDate:yyyy-MM-dd}.");
                }

                return false;
            }

            if (Db.Scalar(c, t, "SELECT claim_id FROM claim_windows WHERE programme_id = $p AND party_id = $a AND anchor_date = $d;",
                ("$p", programme.Id), ("$a", request.PartyId), ("$d", ClaimStore.Format(request.AnchorDate))) is string other)
            {
                throw new ProgrammeConflictException($"Party '{request.PartyId}' already has claim window '{other}' for {programme.Id} from {request.AnchorDate:yyyy-MM-dd}.");
            }

            PartyDirectory.Upsert(c, t, new Party(request.PartyId.Trim(), request.PartyName.Trim(), request.Email.Trim()), now);
            Db.Execute(c, t, """
                INSERT INTO claim_windows (claim_id, programme_id, party_id, anchor_fact, anchor_date, duration_value, duration_days, clause, last_day, closes_at,
                                           status, opened_at, updated_at)
                VALUES ($id, $p, $a, $fact, $anchor, $n, $kind, $clause, $last, $closes, 'open', $at, $at);
                """,
                ("$id", request.ClaimId), ("$p", programme.Id), ("$a", request.PartyId.Trim()), ("$fact", stage.AnchorFact), ("$anchor", ClaimStore.Format(request.AnchorDate)),
                ("$n", stage.Duration!.Value), ("$kind", stage.Duration.Days == DayKind.Working ? "working" : "natural"), ("$clause", clause),
                ("$last", ClaimStore.Format(lastDay)), ("$closes", Db.ToMs(new DateTimeOffset(closesAt))), ("$at", Db.ToMs(now)));
            Transitions.Record(
                c, t, this.services.Notifications, $"claim/{request.ClaimId}/opened", now, actor, "claim.opened",
                [AuditTrail.Subject("claim", request.ClaimId), AuditTrail.Subject("party", request.PartyId.Trim())], clause,
                new { programme = programme.Id, anchorFact = stage.AnchorFact, request.AnchorDate, duration = stage.Duration.ToString(), lastDay },
                (ClaimMail.Opened, new OutboxAddress(request.Email.Trim(), request.PartyName.Trim()),
                    new MailArgs { RecipientName = request.PartyName.Trim(), ProgrammeTitle = programme.TitleZh, EndDate = closesAt, Reason = $"（{clause}：{stage.Duration}）", Date = now }));
            return true;
        });

        string instanceId = ClaimWindowOrchestrator.InstanceId(request.ClaimId);
        if (created || await this.client.GetInstanceAsync(instanceId, cancellation) is null)
        {
            try
            {
                await this.client.ScheduleNewOrchestrationInstanceAsync(ClaimWindowOrchestrator.Name, new ClaimWindowInput(request.ClaimId, closesAt), new StartOrchestrationOptions(instanceId), cancellation);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Started by an earlier, interrupted call.
            }
        }

        return this.Get(request.ClaimId);
    }

    /// <summary>
    /// Claims inside the window: submits an application (with the anchor date among its facts) to the programme's open
    /// call, records the claim with its audit entry and mail, and ends the window.
    /// </summary>
    /// <param name="claimId">The claim window.</param>
    /// <param name="factsJson">The facts of the application (a JSON object); the anchor fact is added when missing.</param>
    /// <param name="actor">The party (or an officer on its behalf).</param>
    /// <param name="callId">The call to submit to; the programme's open call when null.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The application's submission result.</returns>
    /// <exception cref="ProgrammeConflictException">The window is closed (claimed or lapsed, or its last day has ended), or no call is open.</exception>
    public async Task<SubmissionResult> ClaimAsync(string claimId, string factsJson, Actor actor, long? callId = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ClaimRow claim = this.Find(claimId);
        DateTimeOffset now = this.services.Time.GetUtcNow();
        if (claim.Status != ClaimStatus.Open || now >= claim.ClosesAt)
        {
            throw new ProgrammeConflictException(claim.Status == ClaimStatus.Claimed
                ? $"Claim window '{claimId}' was already claimed (application {claim.ApplicationId})."
                : $"Claim window '{claimId}' closed at the end of {claim.LastDay:yyyy-MM-dd} ({claim.DurationValue} {claim.DurationDays} days after {claim.AnchorFact} {claim.AnchorDate:yyyy-MM-dd}, {claim.Clause}); 逾期申请视为自动放弃.");
        }

        string facts = WithAnchor(factsJson, claim);
        long call = callId ?? this.OpenCallOf(claim.ProgrammeId, now)
            ?? throw new ProgrammeConflictException($"No call of {claim.ProgrammeId} is open to receive the claim; the bureau must open one before {claim.LastDay:yyyy-MM-dd}.");
        if (this.services.Records.Transaction((c, t) => ClaimStore.SetStatus(c, t, claimId, ClaimStatus.Open, ClaimStatus.Claiming, now)) == 0)
        {
            throw new ProgrammeConflictException($"Claim window '{claimId}' is no longer open.");
        }

        SubmissionResult result;
        try
        {
            result = programmes.SubmitApplication(new SubmitApplicationRequest(call, claim.PartyId, facts), actor);
        }
        catch (ProgrammeException)
        {
            this.services.Records.Transaction((c, t) => ClaimStore.SetStatus(c, t, claimId, ClaimStatus.Claiming, ClaimStatus.Open, now));
            throw;
        }

        this.services.Records.Transaction((c, t) =>
        {
            ClaimStore.SetStatus(c, t, claimId, ClaimStatus.Claiming, ClaimStatus.Claimed, now);
            Db.Execute(c, t, "UPDATE claim_windows SET application_id = $app, claimed_at = $at WHERE claim_id = $id;",
                ("$id", claimId), ("$app", result.ApplicationId), ("$at", Db.ToMs(now)));
            Party party = PartyDirectory.Get(c, claim.PartyId, t)!;
            string title = this.services.Catalogue.TryGet(claim.ProgrammeId, out Programme programme) ? programme.TitleZh : claim.ProgrammeId;
            Transitions.Record(
                c, t, this.services.Notifications, $"claim/{claimId}/claimed", now, actor, "claim.claimed",
                [AuditTrail.Subject("claim", claimId), AuditTrail.Subject("party", claim.PartyId), AuditTrail.Subject("application", result.ApplicationId)], claim.Clause,
                new { applicationId = result.ApplicationId, callId = call, lastDay = claim.LastDay },
                (ClaimMail.Claimed, new OutboxAddress(party.Email, party.Name),
                    new MailArgs { RecipientName = party.Name, ProgrammeTitle = title, Reference = result.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), Date = now }));
        });
        await this.client.RaiseEventAsync(ClaimWindowOrchestrator.InstanceId(claimId), ClaimWindowOrchestrator.ClaimedEvent, new ClaimMadeEvent(result.ApplicationId), cancellation);
        return result;
    }

    /// <summary>Gets a claim window.</summary>
    /// <param name="claimId">The id.</param>
    /// <returns>The window.</returns>
    public ClaimWindowView Get(string claimId)
    {
        ClaimRow r = this.Find(claimId);
        return new ClaimWindowView(r.ClaimId, r.ProgrammeId, r.PartyId, r.AnchorFact, r.AnchorDate, $"{r.DurationValue} {r.DurationDays} days", r.Clause, r.LastDay, r.ClosesAt, r.Status, r.ApplicationId);
    }

    private ClaimRow Find(string claimId) =>
        this.services.Records.Read(c => ClaimStore.Get(c, null, claimId)) ?? throw new ProgrammeNotFoundException("claim window", claimId);

    private long? OpenCallOf(string programmeId, DateTimeOffset now) =>
        this.services.Records.Read(c => Db.Scalar(c, null, """
            SELECT call_id FROM calls WHERE programme_id = $p AND status = 'Open' AND opens_at <= $now AND closes_at > $now ORDER BY closes_at DESC LIMIT 1;
            """, ("$p", programmeId), ("$now", Db.ToMs(now))) as long?);

    private static string WithAnchor(string factsJson, ClaimRow claim)
    {
        JsonObject facts;
        try
        {
            facts = JsonNode.Parse(string.IsNullOrWhiteSpace(factsJson) ? "{}" : factsJson) as JsonObject
                ?? throw new ProgrammeValidationException("facts", "the facts must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ProgrammeValidationException("facts", "the facts are not valid JSON: " + e.Message);
        }

        if (facts[claim.AnchorFact] is { } given && given.ToString() != ClaimStore.Format(claim.AnchorDate))
        {
            throw new ProgrammeValidationException("facts", $"{claim.AnchorFact} is {given} but the claim window runs from {claim.AnchorDate:yyyy-MM-dd}");
        }

        facts[claim.AnchorFact] = ClaimStore.Format(claim.AnchorDate);
        return facts.ToJsonString();
    }

    private (Programme Programme, Stage Stage) Validate(OpenClaimWindowRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.ClaimId) || r.ClaimId.Length > 100 || !r.ClaimId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            errors["claimId"] = ["use 1–100 letters, digits, '-' or '_'"];
        }

        if (string.IsNullOrWhiteSpace(r.PartyId))
        {
            errors["partyId"] = ["a party id is required"];
        }

        if (string.IsNullOrWhiteSpace(r.PartyName))
        {
            errors["partyName"] = ["a name is required"];
        }

        if (string.IsNullOrWhiteSpace(r.Email) || !r.Email.Contains('@', StringComparison.Ordinal) || r.Email.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors["email"] = ["a valid email address is required"];
        }

        Programme? programme = null;
        Stage? stage = null;
        if (!this.services.Catalogue.TryGet(r.ProgrammeId ?? string.Empty, out programme))
        {
            errors["programmeId"] = [$"'{r.ProgrammeId}' is not a catalogued programme"];
        }
        else
        {
            stage = programme.Stages.FirstOrDefault(s => s.Kind == StageKind.ClaimWindow && s.Duration is not null && s.AnchorFact is not null);
            if (stage is null)
            {
                errors["programmeId"] = [$"{programme.Id} has no claim window (a claim-window stage with a duration and an anchor fact)"];
            }
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        return (programme!, stage!);
    }
}
