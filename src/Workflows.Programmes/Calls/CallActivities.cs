using System.Globalization;
using System.Text.Json;
using Workflows.Durable;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;

namespace Workflows.Programmes.Calls;

/// <summary>Input of the ProgrammeCall orchestration.</summary>
/// <param name="CallId">The call recorded by the facade.</param>
public sealed record CallInput(long CallId);

/// <summary>Input of a call-level activity.</summary>
/// <param name="CallId">The call.</param>
/// <param name="At">When (orchestration time).</param>
/// <param name="ActorId">Who triggered it (<c>system</c> for timers).</param>
/// <param name="Reason">Why, if given.</param>
public sealed record CallStepInput(long CallId, DateTimeOffset At, string ActorId = "system", string? Reason = null);

/// <summary>Input of <see cref="CallStageActivity"/>.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Status">The new status.</param>
/// <param name="At">When.</param>
public sealed record CallStageInput(long CallId, CallStatus Status, DateTimeOffset At);

/// <summary>The result of the award computation.</summary>
/// <param name="Awarded">Applications with an award.</param>
/// <param name="NotFunded">Recommended applications left without money (budget or stacking).</param>
/// <param name="Total">The sum awarded.</param>
/// <param name="Remaining">The budget left.</param>
public sealed record AwardSummary(int Awarded, int NotFunded, decimal Total, decimal Remaining);

/// <summary>Reads a call.</summary>
/// <param name="services">The programme services.</param>
public sealed class LoadCallActivity(ProgrammeServices services) : TaskActivity<long, CallRecord>
{
    /// <inheritdoc/>
    public override Task<CallRecord> RunAsync(TaskActivityContext context, long input) =>
        Task.FromResult(services.Records.Read(c => LifecycleStore.GetCall(c, null, input)) ?? throw new InvalidOperationException($"Call {input} does not exist."));
}

/// <summary>Opens the window: status Open, audit, and a mail to every party subscribed to the programme. Idempotent.</summary>
/// <param name="services">The programme services.</param>
public sealed class OpenCallActivity(ProgrammeServices services) : TaskActivity<CallStepInput, int>
{
    /// <inheritdoc/>
    public override Task<int> RunAsync(TaskActivityContext context, CallStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, input.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
            var key = $"call/{call.CallId}/opened";
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<int>(c, t, key);
            }

            LifecycleStore.SetCallStatus(c, t, call.CallId, CallStatus.Open);
            var subscribers = PartyDirectory.Subscribers(c, call.ProgrammeId, t);
            AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "call.opened",
                [AuditTrail.Subject("call", call.CallId), AuditTrail.Subject("programme", call.ProgrammeId)], null,
                AuditTrail.ToDetails(new { subscribersNotified = subscribers.Count })));
            var title = services.Catalogue.TryGet(call.ProgrammeId, out var p) ? p.TitleZh : call.ProgrammeId;
            foreach (var party in subscribers)
            {
                services.Notifications.Notify(c, t, new Notification(MailTemplates.CallOpened, $"{key}/{party.PartyId}", new OutboxAddress(party.Email, party.Name),
                    new MailArgs
                    {
                        RecipientName = party.Name,
                        ProgrammeTitle = title,
                        ProgrammeId = call.ProgrammeId,
                        CycleYear = call.CycleYear,
                        Reference = call.CallId.ToString(CultureInfo.InvariantCulture),
                        Date = call.OpensAt,
                        EndDate = call.ClosesAt,
                    }, input.At));
            }

            LifecycleStore.SaveResult(c, t, key, subscribers.Count);
            return subscribers.Count;
        }));
    }
}

/// <summary>Closes the window (at the deadline or early) and returns the submitted applications to review. Idempotent: a re-run returns the same list.</summary>
/// <param name="services">The programme services.</param>
public sealed class CloseCallActivity(ProgrammeServices services) : TaskActivity<CallStepInput, IReadOnlyList<long>>
{
    /// <inheritdoc/>
    public override Task<IReadOnlyList<long>> RunAsync(TaskActivityContext context, CallStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction<IReadOnlyList<long>>((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, input.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
            var key = $"call/{call.CallId}/closed";
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<List<long>>(c, t, key) ?? [];
            }

            Db.Execute(c, t, "UPDATE calls SET status = $s, closed_at = $at WHERE call_id = $id;",
                ("$s", CallStatus.Reviewing.ToString()), ("$at", Db.ToMs(input.At)), ("$id", call.CallId));
            var ids = Db.Query(c, t, "SELECT application_id FROM applications WHERE call_id = $id AND status = $s ORDER BY application_id;",
                r => r.GetInt64(0), ("$id", call.CallId), ("$s", ApplicationStatus.Submitted.ToString()));
            AuditTrail.Append(c, t, new AuditEntry(key, input.At, new Actor(input.ActorId, input.ActorId == Actor.System.Id ? "system" : "bureau"),
                input.At < call.ClosesAt ? "call.closed-early" : "call.closed",
                [AuditTrail.Subject("call", call.CallId), AuditTrail.Subject("programme", call.ProgrammeId)], input.Reason,
                AuditTrail.ToDetails(new { applicationsToReview = ids.Count })));
            LifecycleStore.SaveResult(c, t, key, ids);
            return ids;
        }));
    }
}

/// <summary>Sets the call's status and returns its progress.</summary>
/// <param name="services">The programme services.</param>
public sealed class CallStageActivity(ProgrammeServices services) : TaskActivity<CallStageInput, CallProgress>
{
    /// <inheritdoc/>
    public override Task<CallProgress> RunAsync(TaskActivityContext context, CallStageInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, input.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
            if (call.Status != input.Status)
            {
                LifecycleStore.SetCallStatus(c, t, call.CallId, input.Status);
                AuditTrail.Append(c, t, new AuditEntry($"call/{call.CallId}/stage/{input.Status}", input.At, Actor.System, "call.stage",
                    [AuditTrail.Subject("call", call.CallId)], null, AuditTrail.ToDetails(new { from = call.Status.ToString(), to = input.Status.ToString() })));
            }

            return CallQueries.Progress(c, t, call.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
        }));
    }
}

/// <summary>
/// Computes the awards of a closed call down its ranked list (aggregated score, highest first; then submission
/// time): each recommended application is quoted again with the applicant's current award history from the ledger
/// (stacking, promotion differences, caps), on the date it was submitted, and the amount is limited by what is left
/// of the call's budget; when nothing is left it is not funded. Records awards, instalment plans, decisions, audit
/// and mail in one transaction. Idempotent.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class AwardCallActivity(ProgrammeServices services) : TaskActivity<CallStepInput, AwardSummary>
{
    /// <inheritdoc/>
    public override Task<AwardSummary> RunAsync(TaskActivityContext context, CallStepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, input.CallId) ?? throw new InvalidOperationException($"Call {input.CallId} does not exist.");
            var key = $"call/{call.CallId}/awarded";
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<AwardSummary>(c, t, key)!;
            }

            var ranked = LifecycleStore.ApplicationsOfCall(c, t, call.CallId, ApplicationStatus.Recommended)
                .OrderByDescending(a => a.Score ?? 0m).ThenBy(a => a.SubmittedAt).ThenBy(a => a.ApplicationId).ToList();
            var remaining = call.Budget;
            int awarded = 0, notFunded = 0;
            var total = 0m;
            foreach (var app in ranked)
            {
                var appKey = $"application/{app.ApplicationId}/award";
                var history = PaymentLedger.HistoryOf(c, app.ApplicantId, t);
                var facts = FactProfile.FromJson(app.FactsJson).WithProjectKey(app.ProjectKey);
                var quote = services.Quotes.Quote(new QuoteRequest(app.ProgrammeId, app.QuotedOn, facts, history, app.CycleYear, Standing: SanctionsStore.ActiveStanding(c, t, app.ApplicantId)));
                var formulaAmount = quote.Eligible ? quote.Amount ?? 0m : 0m;
                var steps = quote.Steps.Select(s => new { s.TextZh, s.TextEn, citation = s.Citation.ToString(), s.Amount }).ToList<object>();
                string? reason = null;
                decimal amount;
                if (!quote.Eligible)
                {
                    amount = 0m;
                    reason = "复核不再符合条件 / no longer eligible: " + string.Join("; ", quote.FailedRules.Select(r => r.ToString()));
                }
                else if (formulaAmount <= 0m)
                {
                    amount = 0m;
                    reason = "按叠加规则无可支持金额 / nothing left to pay under the stacking rules";
                }
                else if (remaining <= 0m)
                {
                    amount = 0m;
                    reason = "本批次预算已用完 / the call's budget is exhausted";
                }
                else if (formulaAmount > remaining)
                {
                    amount = remaining;
                    steps.Add(new
                    {
                        TextZh = $"本批次剩余预算 {Money.Format(remaining)}，按剩余预算支持",
                        TextEn = $"limited to the call's remaining budget {Money.Format(remaining)}",
                        citation = "call/" + call.CallId.ToString(CultureInfo.InvariantCulture),
                        Amount = (decimal?)remaining,
                    });
                }
                else
                {
                    amount = formulaAmount;
                }

                var trace = JsonSerializer.Serialize(new { formulaAmount, amount, steps, reason }, LifecycleStore.Json);
                if (amount <= 0m)
                {
                    notFunded++;
                    LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.NotFunded, input.At);
                    Db.Execute(c, t, "UPDATE applications SET award_fen = 0, award_json = $j WHERE application_id = $id;", ("$j", trace), ("$id", app.ApplicationId));
                    LifecycleStore.AddDecision(c, t, appKey, app.ApplicationId, "award", "not-funded", Actor.System, input.At, reason, trace);
                    LifecycleStore.AuditApplication(c, t, app, appKey, input.At, Actor.System, "application.award.not-funded", reason, new { formulaAmount });
                    LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.NotFunded, appKey, input.At, new MailArgs { Reason = reason });
                    continue;
                }

                awarded++;
                remaining -= amount;
                total += amount;
                LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Awarded, input.At);
                Db.Execute(c, t, "UPDATE applications SET award_fen = $f, award_json = $j, tier = $tier WHERE application_id = $id;",
                    ("$f", Db.ToFen(amount)), ("$j", trace), ("$tier", TierOf(quote, facts)), ("$id", app.ApplicationId));
                foreach (var (index, year, part) in SplitInstalments(quote, amount, formulaAmount))
                {
                    Db.Execute(c, t, """
                        INSERT OR IGNORE INTO instalment_plans (application_id, instalment, payment_year, amount_fen, status)
                        VALUES ($a, $i, $y, $f, 'scheduled');
                        """, ("$a", app.ApplicationId), ("$i", index), ("$y", year), ("$f", Db.ToFen(part)));
                }

                LifecycleStore.AddDecision(c, t, appKey, app.ApplicationId, "award", "awarded", Actor.System, input.At, null, trace);
                LifecycleStore.AuditApplication(c, t, app, appKey, input.At, Actor.System, "application.award.computed", null, new { formulaAmount, amount });
            }

            var summary = new AwardSummary(awarded, notFunded, total, remaining);
            AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "call.awards.computed", [AuditTrail.Subject("call", call.CallId)], null,
                AuditTrail.ToDetails(summary)));
            LifecycleStore.SaveResult(c, t, key, summary);
            return summary;
        }));
    }

    /// <summary>Splits the award into the quote's instalments; a budget-limited award keeps the fractions, the last instalment taking the remainder.</summary>
    internal static IEnumerable<(int Index, int Year, decimal Amount)> SplitInstalments(Quote quote, decimal amount, decimal formulaAmount)
    {
        var instalments = quote.Instalments.Count > 0 ? quote.Instalments : [new Instalment(1, quote.CycleYear, formulaAmount)];
        if (instalments.Count == 1 || amount == formulaAmount)
        {
            if (instalments.Count == 1)
            {
                yield return (1, instalments[0].CycleYear, amount);
                yield break;
            }

            foreach (var i in instalments)
            {
                yield return (i.YearIndex, i.CycleYear, i.Amount);
            }

            yield break;
        }

        var paid = 0m;
        for (var n = 0; n < instalments.Count; n++)
        {
            var i = instalments[n];
            var part = n == instalments.Count - 1 ? amount - paid : Money.Round(amount * i.Amount / formulaAmount);
            paid += part;
            yield return (i.YearIndex, i.CycleYear, part);
        }
    }

    private static string? TierOf(Quote quote, FactProfile facts)
    {
        var tierFact = quote.Programme.Formula switch
        {
            PromotionDifferenceFormula p => p.TierFact,
            FixedByTierFormula f => f.TierFact,
            _ => null,
        };
        return tierFact is not null && facts.TryGet(tierFact, out var value) && value is TextFact text ? text.Value : null;
    }
}
