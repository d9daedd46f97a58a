using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Batches;

/// <summary>A quoted award as stored with a batch entry.</summary>
/// <param name="Outcome">The quote outcome.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Mode">The disbursement mode.</param>
/// <param name="Steps">The steps a clerk would write down.</param>
/// <param name="FailedRules">Failed rules, for an ineligible party.</param>
/// <param name="Instalments">Instalments (year index, cycle year, amount).</param>
internal sealed record StoredQuote(
    string Outcome,
    decimal? Amount,
    string Mode,
    IReadOnlyList<StoredStep> Steps,
    IReadOnlyList<string> FailedRules,
    IReadOnlyList<Policies.Instalment> Instalments);

internal sealed record StoredStep(string TextZh, string TextEn, string Citation, decimal? Amount);

/// <summary>Shared reads of the batch activities.</summary>
internal static class BatchSteps
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BatchState State(SqliteConnection c, SqliteTransaction? t, BatchRow b)
    {
        List<EntryRow> entries = BatchStore.Entries(c, t, b.BatchId);
        return new BatchState(
            entries.Count(e => e.Status == EntryStatus.AwaitingConfirmation),
            entries.Count(e => e.Status == EntryStatus.Confirmed && e.Mode == EntryMode.Now),
            entries.Count(e => e.Status is EntryStatus.Confirmed or EntryStatus.Deferred && e.Mode == EntryMode.NextYear),
            b.ConfirmClosesAt.UtcDateTime,
            DistrictDates.StartOfDayUtc(b.DeferredPayoutOn),
            JsonSerializer.Deserialize<CallSettings>(b.SettingsJson, Json)!);
    }

    public static BatchRow Batch(SqliteConnection c, SqliteTransaction? t, string batchId) =>
        BatchStore.Get(c, t, batchId) ?? throw new InvalidOperationException($"Batch '{batchId}' does not exist.");

    public static MailArgs Args(ProgrammeServices services, BatchRow b, EntryRow e, DateTimeOffset now) => new()
    {
        RecipientName = e.Name,
        ProgrammeTitle = services.Catalogue.TryGet(b.ProgrammeId, out var p) ? p.TitleZh : b.ProgrammeId,
        ProgrammeId = b.ProgrammeId,
        CycleYear = b.CycleYear,
        Reference = b.BatchId,
        Amount = e.Amount,
        Date = now,
    };

    public static IReadOnlyList<string> Subjects(string batchId, string partyId) =>
        [AuditTrail.Subject("batch", batchId), AuditTrail.Subject("party", partyId)];
}

/// <summary>Reads the batch's state.</summary>
internal sealed class BatchStateActivity(ProgrammeServices services) : TaskActivity<string, BatchState>
{
    public override Task<BatchState> RunAsync(TaskActivityContext context, string input) =>
        Task.FromResult(services.Records.Read(c => BatchSteps.State(c, null, BatchSteps.Batch(c, null, input))));
}

/// <summary>Records one confirmation or refusal (意愿确认). Idempotent: only an entry still awaiting confirmation changes.</summary>
internal sealed class BatchConfirmActivity(ProgrammeServices services) : TaskActivity<ConfirmInput, BatchState>
{
    public override Task<BatchState> RunAsync(TaskActivityContext context, ConfirmInput input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            BatchRow b = BatchSteps.Batch(c, t, input.BatchId);
            BatchConfirmation conf = input.Confirmation;
            EntryRow? e = BatchStore.Entries(c, t, b.BatchId, conf.PartyId).FirstOrDefault();
            if (e is { Status: EntryStatus.AwaitingConfirmation } && now < b.ConfirmClosesAt)
            {
                var actor = new Actor(conf.ActorId, conf.ActorRole);
                var to = new OutboxAddress(e.Email, e.Name);
                if (conf.Accept)
                {
                    Db.Execute(c, t, "UPDATE batch_entries SET status = $s, payee_json = $p, confirmed_at = $at, updated_at = $at WHERE batch_id = $b AND party_id = $party;",
                        ("$b", b.BatchId), ("$party", e.PartyId), ("$s", EntryStatus.Confirmed), ("$p", JsonSerializer.Serialize(conf.Payee, BatchSteps.Json)), ("$at", Db.ToMs(now)));
                    string when = e.Mode == EntryMode.NextYear ? "新迁入企业次年度统一兑现。" : "经公示无异议后拨付。";
                    Transitions.Record(c, t, services.Notifications, $"batch/{b.BatchId}/{e.PartyId}/confirmed", now, actor, "batch.confirmed", BatchSteps.Subjects(b.BatchId, e.PartyId),
                        "004 附则", new { amount = e.Amount, mode = e.Mode, payee = conf.Payee },
                        (BatchMail.Confirmed, to, BatchSteps.Args(services, b, e, now) with { Reason = when }));
                }
                else
                {
                    BatchStore.SetEntryStatus(c, t, b.BatchId, e.PartyId, EntryStatus.Declined, now);
                    Transitions.Record(c, t, services.Notifications, $"batch/{b.BatchId}/{e.PartyId}/declined", now, actor, "batch.declined", BatchSteps.Subjects(b.BatchId, e.PartyId),
                        "declined by the party", new { amount = e.Amount },
                        (BatchMail.Declined, to, BatchSteps.Args(services, b, e, now) with { Reason = "贵单位已表示不享受" }));
                }
            }

            return BatchSteps.State(c, t, b);
        }));
    }
}

/// <summary>
/// Closes confirmation: entries still unconfirmed are recorded as declined and told; confirmed firms that moved in are
/// told they are paid in next year's unified batch. Idempotent.
/// </summary>
internal sealed class BatchCloseActivity(ProgrammeServices services) : TaskActivity<string, BatchState>
{
    public override Task<BatchState> RunAsync(TaskActivityContext context, string input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            BatchRow b = BatchSteps.Batch(c, t, input);
            foreach (EntryRow e in BatchStore.Entries(c, t, b.BatchId))
            {
                var to = new OutboxAddress(e.Email, e.Name);
                if (e.Status == EntryStatus.AwaitingConfirmation)
                {
                    BatchStore.SetEntryStatus(c, t, b.BatchId, e.PartyId, EntryStatus.Declined, now);
                    Transitions.Record(c, t, services.Notifications, $"batch/{b.BatchId}/{e.PartyId}/declined", now, Actor.System, "batch.unconfirmed-declined",
                        BatchSteps.Subjects(b.BatchId, e.PartyId), "no confirmation by the deadline", new { confirmBy = b.ConfirmBy, amount = e.Amount },
                        (BatchMail.Declined, to, BatchSteps.Args(services, b, e, now) with { Reason = $"贵单位未在{b.ConfirmBy:yyyy年M月d日}前确认享受意愿" }));
                }
                else if (e.Status == EntryStatus.Confirmed && e.Mode == EntryMode.NextYear)
                {
                    BatchStore.SetEntryStatus(c, t, b.BatchId, e.PartyId, EntryStatus.Deferred, now);
                    Transitions.Record(c, t, services.Notifications, $"batch/{b.BatchId}/{e.PartyId}/deferred", now, Actor.System, "batch.deferred-next-year",
                        BatchSteps.Subjects(b.BatchId, e.PartyId), "004 附则", new { payoutOn = b.DeferredPayoutOn, amount = e.Amount },
                        (BatchMail.Deferred, to, BatchSteps.Args(services, b, e, now) with { EndDate = DistrictDates.StartOfDayUtc(b.DeferredPayoutOn).AddHours(9), Reason = "004 附则：新迁入企业于次年度统一兑现" }));
                }
            }

            Db.Execute(c, t, "UPDATE batches SET status = 'confirmation-closed', updated_at = $at WHERE batch_id = $b AND status = 'confirming';", ("$b", b.BatchId), ("$at", Db.ToMs(now)));
            return BatchSteps.State(c, t, b);
        }));
    }
}

/// <summary>
/// Lists a cohort's confirmed awards as a call of the core lifecycle (one application per party, already awarded, with
/// its instalment plan), so that the core 公示 and disbursement run on it unchanged. Idempotent: the call id is stored.
/// </summary>
internal sealed class BatchListCohortActivity(ProgrammeServices services) : TaskActivity<BatchCohort, long>
{
    public override Task<long> RunAsync(TaskActivityContext context, BatchCohort input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            BatchRow b = BatchSteps.Batch(c, t, input.BatchId);
            if ((input.NextYear ? b.CallNext : b.CallNow) is long existing)
            {
                return existing;
            }

            var entries = BatchStore.Entries(c, t, b.BatchId)
                .Where(e => input.NextYear ? e.Status == EntryStatus.Deferred && e.Mode == EntryMode.NextYear : e.Status == EntryStatus.Confirmed && e.Mode == EntryMode.Now)
                .ToList();
            decimal total = entries.Sum(e => e.Amount ?? 0m);
            long callId = (long)Db.Scalar(c, t, """
                INSERT INTO calls (programme_id, cycle_year, opens_at, closes_at, budget_fen, settings_json, status, published_by, published_at, closed_at, instance_id)
                VALUES ($p, $y, $at, $at, $budget, $s, $status, $by, $at, $at, $instance) RETURNING call_id;
                """,
                ("$p", b.ProgrammeId), ("$y", b.CycleYear), ("$at", Db.ToMs(now)), ("$budget", Db.ToFen(total)), ("$s", b.SettingsJson),
                ("$status", nameof(CallStatus.Notice)), ("$by", "batch/" + b.BatchId), ("$instance", NoApplicationBatchOrchestrator.InstanceId(b.BatchId)))!;
            int paymentYear = DistrictDates.DateOf(now).Year;
            foreach (EntryRow e in entries)
            {
                StoredQuote quote = JsonSerializer.Deserialize<StoredQuote>(e.QuoteJson, BatchSteps.Json)!;
                string award = JsonSerializer.Serialize(new { formulaAmount = e.Amount, amount = e.Amount, steps = quote.Steps, source = "免申即享 batch " + b.BatchId }, BatchSteps.Json);
                long appId = (long)Db.Scalar(c, t, """
                    INSERT INTO applications (call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, quote_fen, quote_json,
                                              tier, award_fen, award_json, updated_at)
                    VALUES ($call, $a, $p, $y, $status, $facts, NULL, $submitted, $on, $fen, $quote, $tier, $fen, $award, $at) RETURNING application_id;
                    """,
                    ("$call", callId), ("$a", e.PartyId), ("$p", b.ProgrammeId), ("$y", b.CycleYear), ("$status", nameof(ApplicationStatus.Awarded)),
                    ("$facts", e.FactsJson), ("$submitted", Db.ToMs(e.ConfirmedAt ?? now)), ("$on", BatchStore.Format(b.QuoteOn)), ("$fen", Db.ToFen(e.Amount ?? 0m)),
                    ("$quote", e.QuoteJson), ("$tier", e.Tier), ("$award", award), ("$at", Db.ToMs(now)))!;
                IReadOnlyList<Policies.Instalment> parts = quote.Instalments.Count > 1 ? quote.Instalments : [new Policies.Instalment(1, b.CycleYear, e.Amount ?? 0m)];
                foreach (Policies.Instalment part in parts)
                {
                    Db.Execute(c, t, "INSERT INTO instalment_plans (application_id, instalment, payment_year, amount_fen, status) VALUES ($a, $i, $y, $f, 'scheduled');",
                        ("$a", appId), ("$i", part.YearIndex), ("$y", paymentYear + part.YearIndex - 1), ("$f", Db.ToFen(part.Amount)));
                }

                Db.Execute(c, t, "UPDATE batch_entries SET application_id = $app, status = $s, updated_at = $at WHERE batch_id = $b AND party_id = $p;",
                    ("$b", b.BatchId), ("$p", e.PartyId), ("$app", appId), ("$s", EntryStatus.Noticed), ("$at", Db.ToMs(now)));
            }

            Db.Execute(c, t, $"UPDATE batches SET {(input.NextYear ? "call_next" : "call_now")} = $call, status = $s, updated_at = $at WHERE batch_id = $b;",
                ("$b", b.BatchId), ("$call", callId), ("$s", input.NextYear ? "next-year-notice" : "notice"), ("$at", Db.ToMs(now)));
            AuditTrail.Append(c, t, new AuditEntry(
                $"batch/{b.BatchId}/cohort/{(input.NextYear ? "next-year" : "now")}", now, Actor.System, "batch.cohort-listed",
                [AuditTrail.Subject("batch", b.BatchId), AuditTrail.Subject("call", callId)], input.NextYear ? "004 附则 次年度统一兑现" : "004 附则 免申即享",
                AuditTrail.ToDetails(new { callId, parties = entries.Select(e => e.PartyId).ToList(), total, paymentYear })));
            return callId;
        }));
    }
}

/// <summary>Copies a cohort's notice and payment results (paid, removed after an objection) back to the batch entries.</summary>
internal sealed class BatchSyncCohortActivity(ProgrammeServices services) : TaskActivity<BatchCohort, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, BatchCohort input)
    {
        DateTimeOffset now = services.Time.GetUtcNow();
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            BatchRow b = BatchSteps.Batch(c, t, input.BatchId);
            long call = (input.NextYear ? b.CallNext : b.CallNow) ?? throw new InvalidOperationException($"Batch '{b.BatchId}' has no listed cohort.");
            int paid = 0;
            foreach (ApplicationRow app in LifecycleStore.ApplicationsOfCall(c, t, call))
            {
                string status = app.Status switch
                {
                    ApplicationStatus.Paid or ApplicationStatus.Paying => EntryStatus.Paid,
                    ApplicationStatus.Removed => EntryStatus.Removed,
                    _ => EntryStatus.Noticed,
                };
                paid += status == EntryStatus.Paid ? 1 : 0;
                BatchStore.SetEntryStatus(c, t, b.BatchId, app.ApplicantId, status, now);
            }

            bool finished = input.NextYear || b.CallNext is null && !BatchStore.Entries(c, t, b.BatchId).Any(e => e.Status == EntryStatus.Deferred);
            Db.Execute(c, t, "UPDATE batches SET status = $s, updated_at = $at WHERE batch_id = $b;",
                ("$b", b.BatchId), ("$s", finished ? "completed" : "awaiting-next-year"), ("$at", Db.ToMs(now)));
            AuditTrail.Append(c, t, new AuditEntry(
                string.Create(CultureInfo.InvariantCulture, $"batch/{b.BatchId}/cohort/{(input.NextYear ? "next-year" : "now")}/settled"), now, Actor.System, "batch.cohort-settled",
                [AuditTrail.Subject("batch", b.BatchId), AuditTrail.Subject("call", call)], null, AuditTrail.ToDetails(new { call, paid })));
            return paid;
        }));
    }
}
