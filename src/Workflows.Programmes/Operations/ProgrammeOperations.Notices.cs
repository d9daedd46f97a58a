using Microsoft.Data.Sqlite;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Operations;

/// <content>公示: objections, decisions, notice lists; the ledger; parties, experts and subscriptions.</content>
public sealed partial class ProgrammeOperations
{
    /// <summary>
    /// Files an objection (异议) against an entry of a running 公示. The entry is held until the bureau decides;
    /// the applicant is told. Objections before the start or from the end of the notice are refused.
    /// </summary>
    /// <param name="applicationId">The entry objected to.</param>
    /// <param name="reason">The objection.</param>
    /// <param name="actor">Who files it (any role, the public included).</param>
    /// <param name="contactEmail">A reply address, optional.</param>
    /// <returns>The objection id.</returns>
    /// <exception cref="ProgrammeNotFoundException">The application is not listed in a notice.</exception>
    /// <exception cref="ProgrammeConflictException">The notice is not running, or the entry was removed.</exception>
    /// <exception cref="ProgrammeValidationException">No reason was given.</exception>
    public long FileObjection(long applicationId, string reason, Actor actor, string? contactEmail = null)
    {
        RequireActor(actor);
        Require(!string.IsNullOrWhiteSpace(reason), "reason", "An objection needs its grounds.");
        Require(contactEmail is null || (contactEmail.Contains('@', StringComparison.Ordinal) && contactEmail.AsSpan().IndexOfAny('\r', '\n') < 0), "contactEmail", "Not a valid email address.");
        var now = this.Now;
        return this.services.Records.Transaction((c, t) =>
        {
            var entry = Db.Query(c, t, """
                SELECT e.notice_id, e.status, n.status, n.starts_at, n.ends_at FROM notice_entries e JOIN notices n ON n.notice_id = e.notice_id
                 WHERE e.application_id = $a;
                """, r => (Notice: r.GetInt64(0), Entry: r.GetString(1), NoticeStatus: r.GetString(2), Starts: Db.FromMs(r.GetInt64(3)), Ends: Db.FromMs(r.GetInt64(4))),
                ("$a", applicationId)).FirstOrDefault();
            if (entry.Notice == 0)
            {
                throw new ProgrammeNotFoundException("notice entry", Id(applicationId));
            }

            if (entry.NoticeStatus != "running" || now >= entry.Ends)
            {
                throw new ProgrammeConflictException($"The 公示 of application {applicationId} ended at {MailTemplates.TimeEn(entry.Ends)}; objections are no longer accepted.");
            }

            if (now < entry.Starts)
            {
                throw new ProgrammeConflictException($"The 公示 of application {applicationId} starts at {MailTemplates.TimeEn(entry.Starts)}.");
            }

            if (entry.Entry is not ("listed" or "held"))
            {
                throw new ProgrammeConflictException($"Application {applicationId} is no longer on the list ({entry.Entry}).");
            }

            var id = (long)Db.Scalar(c, t, """
                INSERT INTO objections (notice_id, application_id, filed_by, filed_role, contact_email, filed_at, reason, status)
                VALUES ($n, $a, $by, $role, $mail, $at, $r, 'open') RETURNING objection_id;
                """, ("$n", entry.Notice), ("$a", applicationId), ("$by", actor.Id), ("$role", actor.Role), ("$mail", contactEmail), ("$at", Db.ToMs(now)), ("$r", reason))!;
            Db.Execute(c, t, "UPDATE notice_entries SET status = 'held' WHERE application_id = $a;", ("$a", applicationId));
            var app = LifecycleStore.GetApplication(c, t, applicationId)!;
            LifecycleStore.SetStatus(c, t, applicationId, ApplicationStatus.Held, now);
            var key = $"objection/{id}/filed";
            LifecycleStore.AddDecision(c, t, key, applicationId, "notice", "objection-filed", actor, now, reason, null);
            AuditTrail.Append(c, t, new AuditEntry(key, now, actor, "notice.objection.filed",
                [AuditTrail.Subject("objection", id), AuditTrail.Subject("notice", entry.Notice), AuditTrail.Subject("application", applicationId), AuditTrail.Subject("party", app.ApplicantId)],
                reason));
            LifecycleStore.MailApplicant(this.services, c, t, app, MailTemplates.ObjectionFiled, key, now);
            return id;
        });
    }

    /// <summary>Records the bureau's decision on an open objection: upheld removes the entry, dismissed lets it proceed.</summary>
    /// <param name="objectionId">The objection.</param>
    /// <param name="upheld">True to uphold.</param>
    /// <param name="reason">The reason (told to the applicant).</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such objection.</exception>
    /// <exception cref="ProgrammeConflictException">It was already decided.</exception>
    /// <exception cref="ProgrammeValidationException">No reason was given.</exception>
    public async Task DecideObjectionAsync(long objectionId, bool upheld, string reason, Actor actor, CancellationToken cancellation = default)
    {
        RequireActor(actor);
        Require(!string.IsNullOrWhiteSpace(reason), "reason", "A decision on an objection needs its reason.");
        var objection = this.GetObjection(objectionId);
        if (objection.Status != "open")
        {
            throw new ProgrammeConflictException($"Objection {objectionId} was already {objection.Status}.");
        }

        var callId = this.services.Records.Read(c => (long)Db.Scalar(c, null, "SELECT call_id FROM notices WHERE notice_id = $n;", ("$n", objection.NoticeId))!);
        await this.client.RaiseEventAsync(PublicNoticeOrchestrator.InstanceIdOf(callId), ProgrammeEvents.ObjectionDecision,
            new ObjectionDecisionEvent(objectionId, upheld, actor.Id, reason), cancellation);
    }

    /// <summary>Reads an objection.</summary>
    /// <param name="objectionId">The objection.</param>
    /// <returns>The objection.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such objection.</exception>
    public ObjectionRecord GetObjection(long objectionId) =>
        this.services.Records.Read(c => Objections(c, "objection_id = $id", ("$id", objectionId)).FirstOrDefault())
        ?? throw new ProgrammeNotFoundException("objection", Id(objectionId));

    /// <summary>The 公示 of a call with its entries and objections.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The notice.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call, or its notice has not been published.</exception>
    public NoticeView GetNoticeOfCall(long callId)
    {
        var call = this.GetCall(callId);
        return this.services.Records.Read(c =>
        {
            var notice = Db.Query(c, null, "SELECT notice_id, starts_at, ends_at, length_days, day_kind, status FROM notices WHERE call_id = $c;",
                r => (Id: r.GetInt64(0), Starts: Db.FromMs(r.GetInt64(1)), Ends: Db.FromMs(r.GetInt64(2)), Days: r.GetInt32(3), Kind: Enum.Parse<DayKind>(r.GetString(4)), Status: r.GetString(5)),
                ("$c", callId)).FirstOrDefault();
            if (notice.Id == 0)
            {
                throw new ProgrammeNotFoundException("notice of call", Id(callId));
            }

            var entries = Db.Query(c, null, """
                SELECT e.application_id, e.applicant_id, COALESCE(p.name, e.applicant_id), e.amount_fen, e.status
                  FROM notice_entries e LEFT JOIN parties p ON p.party_id = e.applicant_id WHERE e.notice_id = $n ORDER BY e.application_id;
                """, r => new NoticeEntryView(r.GetInt64(0), r.GetString(1), r.GetString(2), Db.FromFen(r.GetInt64(3)), r.GetString(4)), ("$n", notice.Id));
            var title = this.services.Catalogue.TryGet(call.ProgrammeId, out var p) ? p.TitleZh : call.ProgrammeId;
            return new NoticeView(notice.Id, callId, call.ProgrammeId, title, call.CycleYear, notice.Starts, notice.Ends, notice.Days, notice.Kind, notice.Status,
                entries, Objections(c, "notice_id = $id", ("$id", notice.Id)));
        });
    }

    /// <summary>The ledger of a programme and cycle year (finance, audit).</summary>
    /// <param name="programmeId">The programme.</param>
    /// <param name="cycleYear">The cycle year.</param>
    /// <returns>The payments in order.</returns>
    public IReadOnlyList<LedgerEntry> GetLedger(string programmeId, int cycleYear) =>
        this.services.Records.Read(c => PaymentLedger.ByProgrammeYear(c, programmeId, cycleYear));

    /// <summary>Registers or updates a party (applicant), with an audit entry.</summary>
    /// <param name="party">The party.</param>
    /// <param name="actor">Who registers it.</param>
    /// <exception cref="ProgrammeValidationException">The party has no id, name or valid email.</exception>
    public void RegisterParty(Party party, Actor actor)
    {
        RequireActor(actor);
        var now = this.Now;
        try
        {
            this.services.Records.Transaction((c, t) =>
            {
                PartyDirectory.Upsert(c, t, party, now);
                AuditTrail.Append(c, t, new AuditEntry($"party/{party.PartyId}/registered/{NewRequestId()}", now, actor, "party.registered", [AuditTrail.Subject("party", party.PartyId)]));
            });
        }
        catch (ArgumentException e)
        {
            throw new ProgrammeValidationException("party", e.Message);
        }
    }

    /// <summary>Stores a party's current profile facts (一企一档), read by instalment re-checks.</summary>
    /// <param name="partyId">The party.</param>
    /// <param name="factsJson">The facts JSON object.</param>
    /// <param name="actor">Who.</param>
    /// <exception cref="ProgrammeNotFoundException">No such party.</exception>
    /// <exception cref="ProgrammeValidationException">The JSON is not a facts object.</exception>
    public void SetProfileFacts(string partyId, string factsJson, Actor actor)
    {
        RequireActor(actor);
        var now = this.Now;
        this.services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.Get(c, partyId, t) ?? throw new ProgrammeNotFoundException("party", partyId);
            try
            {
                PartyDirectory.SetFacts(c, t, partyId, factsJson, now);
            }
            catch (PolicyException e)
            {
                throw new ProgrammeValidationException("facts", e.Message);
            }

            AuditTrail.Append(c, t, new AuditEntry($"party/{partyId}/facts/{NewRequestId()}", now, actor, "party.facts.updated", [AuditTrail.Subject("party", partyId)]));
        });
    }

    /// <summary>Registers or updates an expert of the pool.</summary>
    /// <param name="expert">The expert.</param>
    /// <param name="actor">Who.</param>
    /// <exception cref="ProgrammeValidationException">The expert has no id, name or valid email.</exception>
    public void RegisterExpert(Expert expert, Actor actor)
    {
        RequireActor(actor);
        var now = this.Now;
        try
        {
            this.services.Records.Transaction((c, t) =>
            {
                PartyDirectory.UpsertExpert(c, t, expert, now);
                AuditTrail.Append(c, t, new AuditEntry($"expert/{expert.ExpertId}/registered/{NewRequestId()}", now, actor, "expert.registered", [AuditTrail.Subject("expert", expert.ExpertId)]));
            });
        }
        catch (ArgumentException e)
        {
            throw new ProgrammeValidationException("expert", e.Message);
        }
    }

    /// <summary>Records an expert's declared conflict of interest with a party; the expert is never assigned the party's applications.</summary>
    /// <param name="expertId">The expert.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="reason">The declared reason.</param>
    /// <param name="actor">Who.</param>
    /// <exception cref="ProgrammeNotFoundException">No such expert or party.</exception>
    public void DeclareConflict(string expertId, string partyId, string? reason, Actor actor)
    {
        RequireActor(actor);
        var now = this.Now;
        this.services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.GetExpert(c, expertId, t) ?? throw new ProgrammeNotFoundException("expert", expertId);
            _ = PartyDirectory.Get(c, partyId, t) ?? throw new ProgrammeNotFoundException("party", partyId);
            PartyDirectory.DeclareConflict(c, t, expertId, partyId, reason, now);
            AuditTrail.Append(c, t, new AuditEntry($"expert/{expertId}/conflict/{partyId}", now, actor, "expert.conflict.declared",
                [AuditTrail.Subject("expert", expertId), AuditTrail.Subject("party", partyId)], reason));
        });
    }

    /// <summary>Subscribes a party to new calls of a programme.</summary>
    /// <param name="partyId">The party.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="actor">Who.</param>
    /// <exception cref="ProgrammeNotFoundException">No such party.</exception>
    /// <exception cref="ProgrammeValidationException">Unknown programme.</exception>
    public void Subscribe(string partyId, string programmeId, Actor actor)
    {
        RequireActor(actor);
        _ = this.ProgrammeOrValidation(programmeId);
        var now = this.Now;
        this.services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.Get(c, partyId, t) ?? throw new ProgrammeNotFoundException("party", partyId);
            PartyDirectory.Subscribe(c, t, partyId, programmeId, now);
        });
    }

    private static List<ObjectionRecord> Objections(SqliteConnection c, string where, params (string, object?)[] parameters) =>
        Db.Query(c, null, $"""
            SELECT objection_id, notice_id, application_id, filed_by, filed_at, reason, status, decided_by, decided_at, decision_reason
              FROM objections WHERE {where} ORDER BY objection_id;
            """,
            r => new ObjectionRecord(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), Db.FromMs(r.GetInt64(4)), r.GetString(5), r.GetString(6),
                r.TextOrNull(7), r.Int64OrNull(8) is { } d ? Db.FromMs(d) : null, r.TextOrNull(9)), parameters);
}
