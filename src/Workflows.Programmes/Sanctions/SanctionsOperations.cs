using System.Globalization;
using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Sanctions;

/// <summary>
/// The facade the HTTP API calls for standing records and recoveries. Every request is validated first (a bad one throws
/// a <see cref="ProgrammeException"/> and changes nothing); every change writes its audit entry and mail in its transaction.
/// </summary>
/// <param name="services">The programme services.</param>
/// <param name="client">The durable client.</param>
public sealed class SanctionsOperations(ProgrammeServices services, DurableTaskClient client)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Records a standing entry.</summary>
    /// <param name="input">The entry.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <returns>The stored row.</returns>
    /// <exception cref="ProgrammeValidationException">A field is missing or wrong.</exception>
    /// <exception cref="ProgrammeNotFoundException">The applicant is unknown.</exception>
    public StandingRow RecordStanding(StandingInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        Validate(input);
        var at = services.Time.GetUtcNow();
        return services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.Get(c, input.ApplicantId, t) ?? throw new ProgrammeNotFoundException("party", input.ApplicantId);
            var id = SanctionsStore.InsertStanding(c, t, input, actor.Id, at, null);
            var row = SanctionsStore.GetStanding(c, t, id)!;
            Audit(c, t, row, "standing.recorded", at, actor, input.Reason);
            return row;
        });
    }

    /// <summary>Lifts a standing entry (the row stays, marked lifted).</summary>
    /// <param name="id">The row.</param>
    /// <param name="reason">Why.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <returns>The row after the change.</returns>
    /// <exception cref="ProgrammeValidationException">No reason.</exception>
    /// <exception cref="ProgrammeNotFoundException">No such row.</exception>
    /// <exception cref="ProgrammeConflictException">The row is not active.</exception>
    public StandingRow LiftStanding(long id, string reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RequireReason(reason);
        var at = services.Time.GetUtcNow();
        return services.Records.Transaction((c, t) =>
        {
            var row = ActiveRow(c, t, id);
            SanctionsStore.CloseStanding(c, t, id, "lifted", reason, actor.Id, at);
            row = SanctionsStore.GetStanding(c, t, id)!;
            Audit(c, t, row, "standing.lifted", at, actor, reason);
            return row;
        });
    }

    /// <summary>Corrects a standing entry: the old row is kept (marked corrected) and a new row replaces it.</summary>
    /// <param name="id">The row to correct.</param>
    /// <param name="corrected">The corrected entry (same applicant).</param>
    /// <param name="reason">Why.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <returns>The new row.</returns>
    /// <exception cref="ProgrammeValidationException">A field is wrong or no reason.</exception>
    /// <exception cref="ProgrammeNotFoundException">No such row.</exception>
    /// <exception cref="ProgrammeConflictException">The row is not active.</exception>
    public StandingRow CorrectStanding(long id, StandingInput corrected, string reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        ArgumentNullException.ThrowIfNull(actor);
        RequireReason(reason);
        Validate(corrected);
        var at = services.Time.GetUtcNow();
        return services.Records.Transaction((c, t) =>
        {
            var old = ActiveRow(c, t, id);
            if (old.ApplicantId != corrected.ApplicantId)
            {
                throw new ProgrammeValidationException("applicantId", "a correction cannot move a record to another applicant; lift it and record a new one");
            }

            SanctionsStore.CloseStanding(c, t, id, "corrected", reason, actor.Id, at);
            var row = SanctionsStore.GetStanding(c, t, SanctionsStore.InsertStanding(c, t, corrected, actor.Id, at, id))!;
            Audit(c, t, row, "standing.corrected", at, actor, reason);
            return row;
        });
    }

    /// <summary>Gets every standing row of an applicant (lifted and corrected ones included).</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The rows.</returns>
    public IReadOnlyList<StandingRow> StandingOf(string applicantId) => services.Records.Read(c => SanctionsStore.StandingOf(c, null, applicantId));

    /// <summary>Gets the applicant's blocking records as plain data (for <see cref="QuoteRequest.Standing"/>).</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<StandingRecord> ActiveStanding(string applicantId) => services.Records.Read(c => SanctionsStore.ActiveStanding(c, null, applicantId));

    /// <summary>Records (or replaces) an applicant's exports for a year, for the 003 二是(二) rule.</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <param name="year">The year.</param>
    /// <param name="amount">Exports, yuan (zero or more, whole fen).</param>
    /// <param name="actor">Who reported it.</param>
    /// <exception cref="ProgrammeValidationException">The amount or year is wrong.</exception>
    /// <exception cref="ProgrammeNotFoundException">The applicant is unknown.</exception>
    public void ReportExports(string applicantId, int year, decimal amount, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (amount < 0 || decimal.Round(amount, 2) != amount)
        {
            throw new ProgrammeValidationException("amount", "must be zero or more, whole fen");
        }

        if (year is < 2000 or > 2100)
        {
            throw new ProgrammeValidationException("year", "out of range");
        }

        var at = services.Time.GetUtcNow();
        services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.Get(c, applicantId, t) ?? throw new ProgrammeNotFoundException("party", applicantId);
            Db.Execute(c, t, """
                INSERT INTO export_reports (applicant_id, year, amount_fen, reported_by, reported_at) VALUES ($a, $y, $f, $by, $at)
                ON CONFLICT (applicant_id, year) DO UPDATE SET amount_fen = excluded.amount_fen, reported_by = excluded.reported_by, reported_at = excluded.reported_at;
                """, ("$a", applicantId), ("$y", year), ("$f", Db.ToFen(amount)), ("$by", actor.Id), ("$at", Db.ToMs(at)));
            var subject = AuditTrail.Subject("party", applicantId);
            AuditTrail.Append(c, t, new AuditEntry(FormattableString.Invariant($"{subject}/exports/{year}/{Db.ToMs(at)}"), at, actor, "exports.reported", [subject], null,
                AuditTrail.ToDetails(new { Year = year, Amount = amount })));
        });
    }

    /// <summary>Opens a recovery of named payments; mails the applicant the amount, basis and deadline; starts its orchestration.</summary>
    /// <param name="request">The request.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancellation.</param>
    /// <returns>The recovery.</returns>
    /// <exception cref="ProgrammeValidationException">A field is wrong (unknown payment, another applicant's payment, past deadline …).</exception>
    /// <exception cref="ProgrammeNotFoundException">The applicant is unknown.</exception>
    /// <exception cref="ProgrammeConflictException">A payment is already under an open recovery.</exception>
    public async Task<RecoveryRecord> OpenRecoveryAsync(OpenRecoveryRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var at = services.Time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.ApplicantId))
        {
            errors["applicantId"] = ["required"];
        }

        if (request.LedgerEntryIds is not { Count: > 0 } || request.LedgerEntryIds.Distinct().Count() != request.LedgerEntryIds.Count)
        {
            errors["ledgerEntryIds"] = ["name at least one payment, each once"];
        }

        if (request.Basis is null || string.IsNullOrWhiteSpace(request.Basis.SeedNumber) || string.IsNullOrWhiteSpace(request.Basis.Clause))
        {
            errors["basis"] = ["the legal basis needs a seed number and a clause"];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["required"];
        }

        if (request.Deadline <= DistrictDates.DateOf(at))
        {
            errors["deadline"] = ["must be after today (China time)"];
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        var recovery = services.Records.Transaction((c, t) =>
        {
            _ = PartyDirectory.Get(c, request.ApplicantId, t) ?? throw new ProgrammeNotFoundException("party", request.ApplicantId);
            var paid = PaymentLedger.ForApplicant(c, request.ApplicantId, t).ToDictionary(e => e.Id);
            var unknown = request.LedgerEntryIds.Where(id => !paid.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                throw new ProgrammeValidationException("ledgerEntryIds", $"not payments to {request.ApplicantId}: {string.Join(", ", unknown)}");
            }

            var busy = Db.Query(c, t, """
                SELECT i.ledger_id FROM recovery_items i JOIN recoveries r ON r.id = i.recovery_id
                WHERE r.status IN ('open', 'escalated');
                """, r => r.GetInt64(0)).Intersect(request.LedgerEntryIds).ToList();
            if (busy.Count > 0)
            {
                throw new ProgrammeConflictException($"payments already under an open recovery: {string.Join(", ", busy)}");
            }

            var amount = request.LedgerEntryIds.Sum(id => paid[id].Amount);
            var id = (long)Db.Scalar(c, t, """
                INSERT INTO recoveries (applicant_id, basis_seed, basis_clause, basis_title, reason, amount_fen, deadline, status, opened_by, opened_at)
                VALUES ($a, $s, $cl, $ti, $r, $f, $d, 'open', $by, $at) RETURNING id;
                """, ("$a", request.ApplicantId), ("$s", request.Basis!.SeedNumber), ("$cl", request.Basis.Clause), ("$ti", request.Basis.DocumentTitleZh),
                ("$r", request.Reason), ("$f", Db.ToFen(amount)), ("$d", SanctionsStore.Iso(request.Deadline)), ("$by", actor.Id), ("$at", Db.ToMs(at)))!;
            foreach (var ledgerId in request.LedgerEntryIds)
            {
                Db.Execute(c, t, "INSERT INTO recovery_items (recovery_id, ledger_id, amount_fen) VALUES ($r, $l, $f);",
                    ("$r", id), ("$l", ledgerId), ("$f", Db.ToFen(paid[ledgerId].Amount)));
            }

            var subject = AuditTrail.Subject("recovery", id);
            AuditTrail.Append(c, t, new AuditEntry($"{subject}/opened", at, actor, "recovery.opened",
                [subject, AuditTrail.Subject("party", request.ApplicantId), .. request.LedgerEntryIds.Select(l => AuditTrail.Subject("payment", l))],
                request.Reason, AuditTrail.ToDetails(new { Amount = amount, Basis = request.Basis.ToString(), Deadline = SanctionsStore.Iso(request.Deadline) })));
            SanctionsNotify.Mail(services, c, t, request.ApplicantId, SanctionsMail.RecoveryOpened, $"{subject}/opened", at, a => a with
            {
                Reference = subject,
                Amount = amount,
                EndDate = new DateTimeOffset(request.Deadline.ToDateTime(TimeOnly.MinValue), China),
                Reason = $"{request.Basis} {request.Reason}",
                Lines = request.LedgerEntryIds.Select(l => $"{paid[l].ProgrammeId} {paid[l].CycleYear} 第{paid[l].Instalment}期 {paid[l].Amount:0.00} 元").ToList(),
            });
            return SanctionsStore.GetRecovery(c, t, id)!;
        });
        var dueAt = new DateTimeOffset(request.Deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), China).ToUniversalTime();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(RecoveryOrchestrator), new RecoveryInput(recovery.Id, dueAt),
            new StartOrchestrationOptions(RecoveryRecord.InstanceIdOf(recovery.Id)), cancellation);
        return recovery;
    }

    /// <summary>Records a repayment (partial or full) and the reversal entries it funds; tells the orchestration.</summary>
    /// <param name="recoveryId">The recovery.</param>
    /// <param name="reference">The repayment reference (a repeated reference changes nothing).</param>
    /// <param name="amount">Amount, yuan (positive, whole fen, at most the amount outstanding).</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancellation.</param>
    /// <returns>The recovery after the repayment.</returns>
    /// <exception cref="ProgrammeValidationException">The amount or reference is wrong.</exception>
    /// <exception cref="ProgrammeNotFoundException">No such recovery.</exception>
    /// <exception cref="ProgrammeConflictException">The recovery is closed or handed on.</exception>
    public async Task<RecoveryRecord> RecordRepaymentAsync(long recoveryId, string reference, decimal amount, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new ProgrammeValidationException("reference", "required");
        }

        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new ProgrammeValidationException("amount", "must be positive whole fen");
        }

        var at = services.Time.GetUtcNow();
        var after = services.Records.Transaction((c, t) =>
        {
            var r = OpenRecovery(c, t, recoveryId);
            if (amount > r.Outstanding)
            {
                throw new ProgrammeValidationException("amount", $"{amount:0.00} exceeds the {r.Outstanding:0.00} outstanding");
            }

            if (!SanctionsStore.InsertRepayment(c, t, r, reference, amount, actor.Id, at))
            {
                return r;
            }

            var subject = AuditTrail.Subject("recovery", r.Id);
            AuditTrail.Append(c, t, new AuditEntry($"{subject}/repayment/{reference}", at, actor, "recovery.repayment",
                [subject, AuditTrail.Subject("party", r.ApplicantId)], null, AuditTrail.ToDetails(new { Amount = amount, Reference = reference })));
            var now = SanctionsStore.GetRecovery(c, t, r.Id)!;
            SanctionsNotify.Mail(services, c, t, r.ApplicantId, SanctionsMail.RepaymentRecorded, $"{subject}/repayment/{reference}", at,
                a => a with { Reference = subject, Amount = amount, Reason = $"尚欠 {now.Outstanding:0.00} 元 / outstanding CNY {now.Outstanding:0.00}" });
            return now;
        });
        await client.RaiseEventAsync(RecoveryRecord.InstanceIdOf(recoveryId), RecoveryOrchestrator.ChangedEvent, new RecoveryChangedEvent("repayment"), cancellation);
        return after;
    }

    /// <summary>Hands an unpaid recovery on (e.g. to enforcement); its history stays.</summary>
    /// <param name="recoveryId">The recovery.</param>
    /// <param name="handedTo">To whom.</param>
    /// <param name="reason">Why.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancellation.</param>
    /// <returns>The recovery.</returns>
    /// <exception cref="ProgrammeValidationException">A field is missing.</exception>
    /// <exception cref="ProgrammeNotFoundException">No such recovery.</exception>
    /// <exception cref="ProgrammeConflictException">The recovery is closed or handed on.</exception>
    public async Task<RecoveryRecord> HandOnAsync(long recoveryId, string handedTo, string reason, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(handedTo))
        {
            throw new ProgrammeValidationException("handedTo", "required");
        }

        RequireReason(reason);
        var at = services.Time.GetUtcNow();
        var after = services.Records.Transaction((c, t) =>
        {
            var r = OpenRecovery(c, t, recoveryId);
            SanctionsStore.SetRecoveryStatus(c, t, r.Id, "handed-on", at, handedTo);
            var subject = AuditTrail.Subject("recovery", r.Id);
            AuditTrail.Append(c, t, new AuditEntry($"{subject}/handed-on", at, actor, "recovery.handed-on",
                [subject, AuditTrail.Subject("party", r.ApplicantId)], reason, AuditTrail.ToDetails(new { HandedTo = handedTo, r.Outstanding })));
            SanctionsNotify.Mail(services, c, t, r.ApplicantId, SanctionsMail.RecoveryClosed, $"{subject}/handed-on", at,
                a => a with { Reference = subject, Reason = $"已移交{handedTo}处理 / handed on to {handedTo}: {reason}" });
            return SanctionsStore.GetRecovery(c, t, r.Id)!;
        });
        await client.RaiseEventAsync(RecoveryRecord.InstanceIdOf(recoveryId), RecoveryOrchestrator.ChangedEvent, new RecoveryChangedEvent("handed-on"), cancellation);
        return after;
    }

    /// <summary>Gets a recovery.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The recovery.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such recovery.</exception>
    public RecoveryRecord GetRecovery(long id) =>
        services.Records.Read(c => SanctionsStore.GetRecovery(c, null, id)) ?? throw new ProgrammeNotFoundException("recovery", id.ToString(CultureInfo.InvariantCulture));

    /// <summary>Gets an applicant's recoveries.</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The recoveries.</returns>
    public IReadOnlyList<RecoveryRecord> RecoveriesOf(string applicantId) => services.Records.Read(c => SanctionsStore.RecoveriesOf(c, null, applicantId));

    /// <summary>Gets an applicant's ledger totals net of reversals.</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The totals.</returns>
    public NetLedger NetLedgerOf(string applicantId) => services.Records.Read(c => SanctionsStore.NetOf(c, null, applicantId));

    private static void Validate(StandingInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.ApplicantId))
        {
            errors["applicantId"] = ["required"];
        }

        if (!Enum.IsDefined(input.Kind))
        {
            errors["kind"] = ["unknown kind"];
        }

        if (input.Basis is null || string.IsNullOrWhiteSpace(input.Basis.SeedNumber) || string.IsNullOrWhiteSpace(input.Basis.Clause))
        {
            errors["basis"] = ["the legal basis needs a seed number and a clause"];
        }

        if (input.To is { } to && to < input.From)
        {
            errors["to"] = ["ends before it starts"];
        }

        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            errors["reason"] = ["required"];
        }

        if (input.EvidenceDocumentIds is not { Count: > 0 } || input.EvidenceDocumentIds.Any(string.IsNullOrWhiteSpace))
        {
            errors["evidenceDocumentIds"] = ["name at least one evidence document"];
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }
    }

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ProgrammeValidationException("reason", "required");
        }
    }

    private static StandingRow ActiveRow(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, long id)
    {
        var row = SanctionsStore.GetStanding(c, t, id) ?? throw new ProgrammeNotFoundException("standing", id.ToString(CultureInfo.InvariantCulture));
        return row.Status == "active" ? row : throw new ProgrammeConflictException($"standing/{id} is {row.Status}");
    }

    private static RecoveryRecord OpenRecovery(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, long id)
    {
        var r = SanctionsStore.GetRecovery(c, t, id) ?? throw new ProgrammeNotFoundException("recovery", id.ToString(CultureInfo.InvariantCulture));
        return r.Status is "open" or "escalated" ? r : throw new ProgrammeConflictException($"recovery/{id} is {r.Status}");
    }

    private void Audit(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, StandingRow row, string action, DateTimeOffset at, Actor actor, string reason)
    {
        var subject = AuditTrail.Subject("standing", row.Id);
        AuditTrail.Append(c, t, new AuditEntry($"{subject}/{action}", at, actor, action, [subject, AuditTrail.Subject("party", row.ApplicantId)], reason,
            AuditTrail.ToDetails(new { Kind = row.Kind.ToString(), Basis = row.Basis.ToString(), From = SanctionsStore.Iso(row.From), To = row.To is { } to ? SanctionsStore.Iso(to) : null, row.EvidenceDocumentIds, row.SupersedesId })));
        SanctionsNotify.Mail(services, c, t, row.ApplicantId, SanctionsMail.StandingChanged, $"{subject}/{action}", at, a => a with
        {
            Reference = subject,
            Reason = $"{row.ToRecord().KindZh}（{row.Basis}）{SanctionsStore.Iso(row.From)} 至 {(row.To is { } to ? SanctionsStore.Iso(to) : "另行通知")}，{(action == "standing.lifted" ? "已解除" : "已登记")}：{reason} / {action}",
        });
    }
}
