using System.Text.Json;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;

namespace Workflows.Programmes.Batches;

/// <summary>One row of a recognised list.</summary>
/// <param name="PartyId">The party's id (e.g. its unified social credit code).</param>
/// <param name="Name">Its name.</param>
/// <param name="Email">Where it receives mail.</param>
/// <param name="FactsJson">Its facts (a JSON object, see the catalogue's facts), e.g. the level certified.</param>
public sealed record BatchPartyRow(string PartyId, string Name, string Email, string FactsJson);

/// <summary>A bureau's recognised list for a 免申即享 batch.</summary>
/// <param name="BatchId">Stable id chosen by the bureau (letters, digits, '-', '_').</param>
/// <param name="ProgrammeId">A programme paid without application (disbursement <c>automatic</c>, possibly with a <c>next-year-batch</c> case).</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="Parties">The list.</param>
/// <param name="ConfirmDays">Natural days to confirm (意愿确认); the text is silent, default 15 (the bureau's setting, recorded).</param>
/// <param name="NoticeDays">Length of the 公示 in natural days; the text is silent, default 7.</param>
/// <param name="NextYearPayoutOn">The day next year's unified payment starts (次年度统一兑现); default the first working day of the next year.</param>
public sealed record LoadBatchRequest(
    string BatchId,
    string ProgrammeId,
    int CycleYear,
    IReadOnlyList<BatchPartyRow> Parties,
    int? ConfirmDays = null,
    int? NoticeDays = null,
    DateOnly? NextYearPayoutOn = null);

/// <summary>A batch entry as the API shows it.</summary>
/// <param name="PartyId">The party.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status"><c>ineligible</c>, <c>awaiting-confirmation</c>, <c>confirmed</c>, <c>declined</c>, <c>deferred</c>, <c>noticed</c>, <c>removed</c> or <c>paid</c>.</param>
/// <param name="Mode"><c>automatic</c> or <c>next-year-batch</c>.</param>
/// <param name="Amount">The quoted award.</param>
/// <param name="Tier">The tier (promotion ladder).</param>
/// <param name="Steps">How the amount was computed, each step citing its clause.</param>
/// <param name="FailedRules">Why an ineligible party is not supported.</param>
/// <param name="ApplicationId">The core record the notice and payment ran on.</param>
public sealed record BatchEntryView(
    string PartyId,
    string Name,
    string Status,
    string? Mode,
    decimal? Amount,
    string? Tier,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> FailedRules,
    long? ApplicationId);

/// <summary>A batch as the API shows it.</summary>
/// <param name="BatchId">Id.</param>
/// <param name="ProgrammeId">Programme.</param>
/// <param name="CycleYear">Cycle year.</param>
/// <param name="Status"><c>confirming</c>, <c>confirmation-closed</c>, <c>notice</c>, <c>awaiting-next-year</c>, <c>next-year-notice</c> or <c>completed</c>.</param>
/// <param name="QuoteOn">The date of the quotes.</param>
/// <param name="ConfirmBy">Last day to confirm.</param>
/// <param name="NextYearPayoutOn">When next year's unified payment starts.</param>
/// <param name="Entries">The entries.</param>
public sealed record BatchView(string BatchId, string ProgrammeId, int CycleYear, string Status, DateOnly QuoteOn, DateOnly ConfirmBy, DateOnly NextYearPayoutOn, IReadOnlyList<BatchEntryView> Entries);

/// <summary>
/// The host's entry point for 免申即享 batches: load a recognised list (quoted at once against each party's ledger
/// history, so promoted firms get the difference), confirm (意愿确认), read. Calls validate first and change nothing
/// when they throw <see cref="ProgrammeNotFoundException"/>, <see cref="ProgrammeConflictException"/> or <see cref="ProgrammeValidationException"/>.
/// </summary>
/// <param name="services">Records, quotes, notification port and clock.</param>
/// <param name="client">The durable client.</param>
public sealed class BatchOperations(ProgrammeServices services, DurableTaskClient client)
{
    /// <summary>Default natural days to confirm.</summary>
    public const int DefaultConfirmDays = 15;

    /// <summary>Loads a recognised list and starts the batch (instance <c>batch-{batchId}</c>).</summary>
    /// <param name="request">The list.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The batch.</returns>
    public async Task<BatchView> LoadAsync(LoadBatchRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        DateTimeOffset now = services.Time.GetUtcNow();
        DateOnly today = DistrictDates.DateOf(now);
        (Programme programme, CallSettings settings, DateOnly payoutOn) = this.Validate(request, today);
        DateOnly confirmBy = today.AddDays(request.ConfirmDays ?? DefaultConfirmDays);
        services.Records.Transaction((c, t) =>
        {
            if (BatchStore.Get(c, t, request.BatchId) is not null)
            {
                throw new ProgrammeConflictException($"Batch '{request.BatchId}' already exists.");
            }

            var quoted = new List<(BatchPartyRow Row, Quote Quote, string? Tier)>();
            var errors = new Dictionary<string, string[]>();
            for (int i = 0; i < request.Parties.Count; i++)
            {
                BatchPartyRow row = request.Parties[i];
                try
                {
                    FactProfile facts = FactProfile.FromJson(row.FactsJson);
                    Quote quote = services.Quotes.Quote(new QuoteRequest(programme.Id, today, facts, PaymentLedger.HistoryOf(c, row.PartyId.Trim(), t), request.CycleYear, Standing: SanctionsStore.ActiveStanding(c, t, row.PartyId.Trim())));
                    if (quote.Outcome == QuoteOutcome.Incomplete)
                    {
                        errors[$"parties[{i}].factsJson"] = [$"{row.PartyId}: facts missing: {string.Join(", ", quote.MissingFacts.Select(f => f.Name))}"];
                        continue;
                    }

                    quoted.Add((row, quote, TierOf(programme, facts)));
                }
                catch (PolicyException e)
                {
                    errors[$"parties[{i}].factsJson"] = [$"{row.PartyId}: {e.Message}"];
                }
            }

            if (errors.Count > 0)
            {
                throw new ProgrammeValidationException(errors);
            }

            Db.Execute(c, t, """
                INSERT INTO batches (batch_id, programme_id, cycle_year, quote_on, confirm_by, confirm_closes_at, deferred_payout_on, settings_json, status, loaded_by, loaded_at, updated_at)
                VALUES ($id, $p, $y, $on, $by, $closes, $payout, $s, 'confirming', $actor, $at, $at);
                """,
                ("$id", request.BatchId), ("$p", programme.Id), ("$y", request.CycleYear), ("$on", BatchStore.Format(today)), ("$by", BatchStore.Format(confirmBy)),
                ("$closes", Db.ToMs(new DateTimeOffset(DistrictDates.EndOfDayUtc(confirmBy)))), ("$payout", BatchStore.Format(payoutOn)),
                ("$s", JsonSerializer.Serialize(settings, BatchSteps.Json)), ("$actor", actor.Id), ("$at", Db.ToMs(now)));
            AuditTrail.Append(c, t, new AuditEntry(
                $"batch/{request.BatchId}/loaded", now, actor, "batch.loaded", [AuditTrail.Subject("batch", request.BatchId), AuditTrail.Subject("programme", programme.Id)],
                programme.Disbursement.Citation.ToString(),
                AuditTrail.ToDetails(new
                {
                    request.CycleYear, parties = request.Parties.Count, confirmBy, nextYearPayoutOn = payoutOn, noticeDays = settings.NoticeDays,
                    settingsSource = new { confirmDays = request.ConfirmDays is null ? "default (text silent)" : "bureau", noticeDays = request.NoticeDays is null ? "default (text silent)" : "bureau" },
                })));

            foreach ((BatchPartyRow row, Quote quote, string? tier) in quoted)
            {
                string partyId = row.PartyId.Trim();
                PartyDirectory.Upsert(c, t, new Party(partyId, row.Name.Trim(), row.Email.Trim()), now);
                bool eligible = quote.Eligible && quote.Amount is > 0m;
                string mode = quote.Disbursement == DisbursementMode.NextYearBatch ? EntryMode.NextYear : EntryMode.Now;
                var failed = quote.FailedRules.Select(r => $"{r.MessageZh ?? r.Message}（{r.Citation}）").ToList();
                var stored = new StoredQuote(
                    quote.Outcome.ToString(), quote.Amount, mode,
                    quote.Steps.Select(s => new StoredStep(s.TextZh, s.TextEn, s.Citation.ToString(), s.Amount)).ToList(), failed, quote.Instalments);
                Db.Execute(c, t, """
                    INSERT INTO batch_entries (batch_id, party_id, name, email, facts_json, mode, amount_fen, tier, quote_json, status, updated_at)
                    VALUES ($b, $p, $n, $e, $f, $mode, $fen, $tier, $q, $s, $at);
                    """,
                    ("$b", request.BatchId), ("$p", partyId), ("$n", row.Name.Trim()), ("$e", row.Email.Trim()), ("$f", row.FactsJson), ("$mode", eligible ? mode : null),
                    ("$fen", eligible ? Db.ToFen(quote.Amount!.Value) : null), ("$tier", tier), ("$q", JsonSerializer.Serialize(stored, BatchSteps.Json)),
                    ("$s", eligible ? EntryStatus.AwaitingConfirmation : EntryStatus.Ineligible), ("$at", Db.ToMs(now)));
                var args = new MailArgs
                {
                    RecipientName = row.Name.Trim(), ProgrammeTitle = programme.TitleZh, ProgrammeId = programme.Id, CycleYear = request.CycleYear, Reference = request.BatchId,
                    Amount = eligible ? quote.Amount : null, EndDate = DistrictDates.EndOfDayUtc(confirmBy), Date = now,
                    Reason = mode == EntryMode.NextYear ? "新迁入企业于次年度统一兑现（004 附则）。" : string.Empty,
                    Lines = eligible ? quote.Steps.Select(s => $"{s.TextZh}（{s.Citation}）").ToList() : failed,
                };
                if (!eligible && failed.Count == 0)
                {
                    args = args with { Lines = ["按叠加规则无可支持金额（已享受同级或更高等级支持）"] };
                }

                Transitions.Record(
                    c, t, services.Notifications, $"batch/{request.BatchId}/{partyId}/listed", now, actor, eligible ? "batch.confirmation-requested" : "batch.ineligible",
                    BatchSteps.Subjects(request.BatchId, partyId), eligible ? null : string.Join("; ", args.Lines),
                    new { amount = quote.Amount, mode, tier, failed },
                    (eligible ? BatchMail.ConfirmationRequested : BatchMail.Ineligible, new OutboxAddress(row.Email.Trim(), row.Name.Trim()), args));
            }
        });

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                NoApplicationBatchOrchestrator.Name, new BatchInput(request.BatchId), new StartOrchestrationOptions(NoApplicationBatchOrchestrator.InstanceId(request.BatchId)), cancellation);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Started by an earlier, interrupted call.
        }

        return this.Get(request.BatchId);
    }

    /// <summary>Records a party's 意愿确认: it accepts the award with its payee details, or declines it.</summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="partyId">The party.</param>
    /// <param name="accept">Accept or decline.</param>
    /// <param name="payee">Payee details (required to accept).</param>
    /// <param name="actor">The party's officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task ConfirmAsync(string batchId, string partyId, bool accept, Payee? payee, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (accept)
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(payee?.AccountName))
            {
                errors["payee.accountName"] = ["the account name (户名) is required"];
            }

            if (string.IsNullOrWhiteSpace(payee?.Bank))
            {
                errors["payee.bank"] = ["the bank (开户行) is required"];
            }

            if (payee?.AccountNumber is not { Length: >= 8 and <= 34 } number || !number.All(char.IsAsciiDigit))
            {
                errors["payee.accountNumber"] = ["the account number (账号) must be 8–34 digits"];
            }

            if (errors.Count > 0)
            {
                throw new ProgrammeValidationException(errors);
            }
        }

        (BatchRow b, EntryRow e) = services.Records.Read(c =>
        {
            BatchRow batch = BatchStore.Get(c, null, batchId) ?? throw new ProgrammeNotFoundException("batch", batchId);
            EntryRow entry = BatchStore.Entries(c, null, batchId, partyId).FirstOrDefault() ?? throw new ProgrammeNotFoundException("batch entry", $"{batchId}/{partyId}");
            return (batch, entry);
        });
        if (e.Status != EntryStatus.AwaitingConfirmation)
        {
            throw new ProgrammeConflictException($"Party '{partyId}' of batch '{batchId}' is {e.Status}; only a party awaiting confirmation can confirm.");
        }

        if (services.Time.GetUtcNow() >= b.ConfirmClosesAt)
        {
            throw new ProgrammeConflictException($"Confirmation for batch '{batchId}' closed at the end of {b.ConfirmBy:yyyy-MM-dd}.");
        }

        return client.RaiseEventAsync(
            NoApplicationBatchOrchestrator.InstanceId(batchId), NoApplicationBatchOrchestrator.ConfirmationEvent,
            new BatchConfirmation(e.PartyId, accept, accept ? payee! with { AccountName = payee.AccountName.Trim(), Bank = payee.Bank.Trim() } : null, actor.Id, actor.Role),
            cancellation);
    }

    /// <summary>Gets a batch.</summary>
    /// <param name="batchId">The batch.</param>
    /// <returns>The batch.</returns>
    public BatchView Get(string batchId) => services.Records.Read(c =>
    {
        BatchRow b = BatchStore.Get(c, null, batchId) ?? throw new ProgrammeNotFoundException("batch", batchId);
        return new BatchView(
            b.BatchId, b.ProgrammeId, b.CycleYear, b.Status, b.QuoteOn, b.ConfirmBy, b.DeferredPayoutOn,
            BatchStore.Entries(c, null, batchId).Select(e =>
            {
                StoredQuote q = JsonSerializer.Deserialize<StoredQuote>(e.QuoteJson, BatchSteps.Json)!;
                return new BatchEntryView(e.PartyId, e.Name, e.Status, e.Mode, e.Amount, e.Tier, q.Steps.Select(s => $"{s.TextZh} ({s.Citation})").ToList(), q.FailedRules, e.ApplicationId);
            }).ToList());
    });

    private (Programme Programme, CallSettings Settings, DateOnly PayoutOn) Validate(LoadBatchRequest r, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.BatchId) || r.BatchId.Length > 100 || !r.BatchId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            errors["batchId"] = ["use 1–100 letters, digits, '-' or '_'"];
        }

        Programme? programme = null;
        if (!services.Catalogue.TryGet(r.ProgrammeId ?? string.Empty, out programme))
        {
            errors["programmeId"] = [$"'{r.ProgrammeId}' is not a catalogued programme"];
        }
        else if (programme.Disbursement.Mode is not (DisbursementMode.Automatic or DisbursementMode.NextYearBatch)
            && !programme.Disbursement.Cases.Any(x => x.Mode is DisbursementMode.Automatic or DisbursementMode.NextYearBatch))
        {
            errors["programmeId"] = [$"{programme.Id} is paid on application ({programme.Disbursement.Citation}), not 免申即享"];
        }
        else if (!services.Catalogue.IsInForce(programme, today))
        {
            errors["programmeId"] = [$"{programme.Id} is not in force on {today:yyyy-MM-dd}" + (services.Catalogue.SuccessorOf(programme) is { } next ? $"; it is replaced by {next.Id}" : string.Empty)];
        }
        else if (!services.Catalogue.CycleYearsOf(programme).Contains(r.CycleYear))
        {
            errors["cycleYear"] = [$"{r.CycleYear} is not a cycle year of {programme.Id}"];
        }

        if (r.Parties is not { Count: > 0 })
        {
            errors["parties"] = ["the recognised list is empty"];
        }
        else
        {
            for (int i = 0; i < r.Parties.Count; i++)
            {
                BatchPartyRow p = r.Parties[i];
                if (string.IsNullOrWhiteSpace(p.PartyId) || string.IsNullOrWhiteSpace(p.Name))
                {
                    errors[$"parties[{i}]"] = ["a party id and a name are required"];
                }
                else if (string.IsNullOrWhiteSpace(p.Email) || !p.Email.Contains('@', StringComparison.Ordinal) || p.Email.AsSpan().IndexOfAny('\r', '\n') >= 0)
                {
                    errors[$"parties[{i}].email"] = [$"{p.PartyId}: a valid email address is required"];
                }
            }

            var duplicates = r.Parties.GroupBy(p => p.PartyId?.Trim()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (duplicates.Count > 0)
            {
                errors["parties"] = [$"listed twice: {string.Join(", ", duplicates)}"];
            }
        }

        if (r.ConfirmDays is < 1 or > 90)
        {
            errors["confirmDays"] = ["must be between 1 and 90 natural days"];
        }

        DateOnly payout = today;
        if (r.NextYearPayoutOn is { } given)
        {
            payout = given;
            if (given.Year != r.CycleYear + 1)
            {
                errors["nextYearPayoutOn"] = [$"次年度统一兑现 falls in {r.CycleYear + 1}"];
            }
        }
        else
        {
            try
            {
                payout = new DateOnly(r.CycleYear + 1, 1, 1);
                while (!services.Calendar.IsWorkingDay(payout))
                {
                    payout = payout.AddDays(1);
                }
            }
            catch (CalendarDataMissingException e)
            {
                errors["nextYearPayoutOn"] = [$"give the date: {e.Message}"];
            }
        }

        CallSettings settings = CallSettings.Defaults;
        if (programme is not null && errors.Count == 0)
        {
            try
            {
                settings = CallSettingsResolver.Resolve(programme, new CallSettingsInput { NoticeDays = r.NoticeDays, ExpertReview = false });
            }
            catch (ProgrammeValidationException e)
            {
                foreach ((string key, string[] value) in e.Errors)
                {
                    errors[key] = value;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        return (programme!, settings, payout);
    }

    private static string? TierOf(Programme programme, FactProfile facts)
    {
        string? tierFact = programme.Formula switch
        {
            PromotionDifferenceFormula p => p.TierFact,
            FixedByTierFormula f => f.TierFact,
            _ => null,
        };
        return tierFact is not null && facts.TryGet(tierFact, out FactValue value) && value is TextFact text ? text.Value : null;
    }
}
