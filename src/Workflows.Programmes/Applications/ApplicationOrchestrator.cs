using System.Globalization;
using Workflows.Durable;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Applications;

/// <summary>
/// The review of one application after its call closed: 初审 (accept / reject / 补正 with a deadline, a supplement
/// not received in time withdraws the application), 专家评审 by a panel (deadline, reminder, replacement of experts
/// who miss it, aggregation and threshold), 财务评审 where the call has one. A withdrawal by the applicant ends it at
/// any stage. Every decision is recorded (who, when, reason, scores) with its audit entry and mail by activities.
/// The award itself is computed by the call, down the ranked list, within its budget.
/// </summary>
public sealed class ApplicationOrchestrator : TaskOrchestrator<ApplicationInput, ApplicationResult>
{
    private static readonly ApplicationStatus[] InPreliminary = [ApplicationStatus.Preliminary];

    /// <summary>The instance id of an application's orchestration.</summary>
    /// <param name="applicationId">The application.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdOf(long applicationId) => FormattableString.Invariant($"application-{applicationId}");

    /// <inheritdoc/>
    public override async Task<ApplicationResult> RunAsync(TaskOrchestrationContext context, ApplicationInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var id = input.ApplicationId;
        var settings = input.Settings;
        var withdraw = context.WaitForExternalEvent<WithdrawEvent>(ProgrammeEvents.Withdraw);
        var withdrawn = new ApplicationResult(id, ApplicationStatus.Withdrawn, null);

        var status = await Step(context, new ApplicationStep(
            id, $"application/{id}/review-started", Now(context), Audit.Actor.System.Id, Audit.Actor.System.Role, "preliminary", "started",
            "application.preliminary.started", [ApplicationStatus.Submitted], ApplicationStatus.Preliminary, MailTemplate: MailTemplates.ReviewStarted.Name));
        if (status != ApplicationStatus.Preliminary)
        {
            return new ApplicationResult(id, status, null);
        }

        // 初审, with any number of 补正 rounds.
        var supplementRound = 0;
        while (true)
        {
            using var cts = new CancellationTokenSource();
            var decisionTask = context.WaitForExternalEvent<PreliminaryDecisionEvent>(ProgrammeEvents.PreliminaryDecision, cts.Token);
            if (await Task.WhenAny(decisionTask, withdraw) == withdraw)
            {
                cts.Cancel();
                return withdrawn;
            }

            var decision = await decisionTask;
            if (decision.Round != supplementRound)
            {
                // Made for an earlier round (e.g. sent twice): the current round needs its own decision.
                continue;
            }

            var key = $"application/{id}/preliminary/{decision.RequestId}";
            if (decision.Outcome == PreliminaryOutcome.Reject)
            {
                status = await Step(context, new ApplicationStep(id, key, Now(context), decision.ActorId, "bureau", "preliminary", "rejected",
                    "application.preliminary.rejected", InPreliminary, ApplicationStatus.Rejected, decision.Reason, MailTemplate: MailTemplates.PreliminaryRejected.Name));
                return new ApplicationResult(id, status, null);
            }

            if (decision.Outcome == PreliminaryOutcome.Accept)
            {
                status = await Step(context, new ApplicationStep(id, key, Now(context), decision.ActorId, "bureau", "preliminary", "accepted",
                    "application.preliminary.accepted", InPreliminary, NextAfterPreliminary(settings), decision.Reason, MailTemplate: MailTemplates.PreliminaryAccepted.Name));
                if (status == ApplicationStatus.Withdrawn)
                {
                    return withdrawn;
                }

                break;
            }

            supplementRound++;
            var due = decision.SupplementDue ?? throw new InvalidOperationException("A supplement decision needs its deadline.");
            status = await Step(context, new ApplicationStep(id, key, Now(context), decision.ActorId, "bureau", "preliminary", "supplement-requested",
                "application.supplement.requested", InPreliminary, ApplicationStatus.SupplementRequested, decision.Reason,
                MailTemplate: MailTemplates.SupplementRequested.Name, MailDate: due, SupplementDue: due));
            if (status != ApplicationStatus.SupplementRequested)
            {
                return new ApplicationResult(id, status, null);
            }

            using var supplementCts = new CancellationTokenSource();
            var supplement = context.WaitForExternalEvent<SupplementEvent>(ProgrammeEvents.SupplementReceived, supplementCts.Token);
            var deadline = context.CreateTimer(due.UtcDateTime, supplementCts.Token);
            var winner = await Task.WhenAny(supplement, deadline, withdraw);
            supplementCts.Cancel();
            if (winner == withdraw)
            {
                return withdrawn;
            }

            var round = supplementRound.ToString(CultureInfo.InvariantCulture);
            if (winner == supplement)
            {
                var answer = await supplement;
                status = await Step(context, new ApplicationStep(id, $"application/{id}/supplement/{round}/received", Now(context), answer.ActorId, "applicant",
                    "supplement", "received", "application.supplement.received", [ApplicationStatus.SupplementRequested], ApplicationStatus.Preliminary,
                    answer.Note, MailTemplate: MailTemplates.SupplementReceived.Name));
                continue;
            }

            status = await Step(context, new ApplicationStep(id, $"application/{id}/supplement/{round}/timed-out", Now(context), Audit.Actor.System.Id, Audit.Actor.System.Role,
                "supplement", "timed-out", "application.supplement.timed-out", [ApplicationStatus.SupplementRequested], ApplicationStatus.Withdrawn,
                "逾期未补正，视为撤回 / no supplement by the deadline", MailTemplate: MailTemplates.SupplementTimedOut.Name, MailDate: due));
            return new ApplicationResult(id, status, null);
        }

        decimal? score = null;
        if (settings.ExpertReview)
        {
            var review = await ExpertReviewAsync(context, id, settings, withdraw);
            if (review is null)
            {
                return withdrawn;
            }

            if (review.Status != ApplicationStatus.ExpertReview)
            {
                return review;
            }

            score = review.Score;
            status = await Step(context, new ApplicationStep(id, $"application/{id}/expert/passed", Now(context), Audit.Actor.System.Id, Audit.Actor.System.Role,
                "expert-review", "passed", "application.expert.passed", [ApplicationStatus.ExpertReview],
                settings.FinancialReview ? ApplicationStatus.FinancialReview : ApplicationStatus.Recommended,
                Details: review.Details, MailTemplate: MailTemplates.ExpertReviewPassed.Name, Score: score));
            if (status is not (ApplicationStatus.FinancialReview or ApplicationStatus.Recommended))
            {
                return new ApplicationResult(id, status, score);
            }
        }

        if (settings.FinancialReview)
        {
            using var cts = new CancellationTokenSource();
            var financial = context.WaitForExternalEvent<FinancialDecisionEvent>(ProgrammeEvents.FinancialDecision, cts.Token);
            if (await Task.WhenAny(financial, withdraw) == withdraw)
            {
                cts.Cancel();
                return withdrawn;
            }

            var decision = await financial;
            var key = $"application/{id}/financial/{decision.RequestId}";
            status = decision.Approve
                ? await Step(context, new ApplicationStep(id, key, Now(context), decision.ActorId, "bureau", "financial-review", "approved",
                    "application.financial.approved", [ApplicationStatus.FinancialReview], ApplicationStatus.Recommended, decision.Reason,
                    MailTemplate: MailTemplates.FinancialApproved.Name))
                : await Step(context, new ApplicationStep(id, key, Now(context), decision.ActorId, "bureau", "financial-review", "rejected",
                    "application.financial.rejected", [ApplicationStatus.FinancialReview], ApplicationStatus.Rejected, decision.Reason,
                    MailTemplate: MailTemplates.FinancialRejected.Name));
            return new ApplicationResult(id, status, score);
        }

        if (!settings.ExpertReview)
        {
            // Neither expert nor financial review: 初审 passed straight to Recommended.
            return new ApplicationResult(id, status, score);
        }

        return new ApplicationResult(id, status, score);
    }

    private static ApplicationStatus NextAfterPreliminary(CallSettings settings) =>
        settings.ExpertReview ? ApplicationStatus.ExpertReview
        : settings.FinancialReview ? ApplicationStatus.FinancialReview
        : ApplicationStatus.Recommended;

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private static Task<ApplicationStatus> Step(TaskOrchestrationContext context, ApplicationStep step) =>
        context.CallActivityAsync<ApplicationStatus>(nameof(ApplicationStepActivity), step);

    /// <summary>Runs the panel; null when the applicant withdrew.</summary>
    private static async Task<ExpertOutcome?> ExpertReviewAsync(TaskOrchestrationContext context, long id, CallSettings settings, Task<WithdrawEvent> withdraw)
    {
        var panel = await context.CallActivityAsync<List<ReviewerAssignment>>(nameof(AssignPanelActivity), new AssignPanelInput(id, settings, Now(context)));
        var open = panel.ToDictionary(a => a.ExpertId, StringComparer.Ordinal);
        var reminded = new HashSet<string>(StringComparer.Ordinal);
        var scores = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var replacedExperts = new List<string>();
        var round = 0;
        while (open.Count > 0)
        {
            var next = open.Values.Select(a => a.DueAt)
                .Concat(open.Values.Where(a => !reminded.Contains(a.ExpertId) && a.RemindAt < a.DueAt).Select(a => a.RemindAt))
                .Min();
            using var cts = new CancellationTokenSource();
            var scoreTask = context.WaitForExternalEvent<ExpertScoreEvent>(ProgrammeEvents.ExpertScore, cts.Token);
            var timer = context.CreateTimer(next.UtcDateTime, cts.Token);
            var winner = await Task.WhenAny(scoreTask, timer, withdraw);
            cts.Cancel();
            if (winner == withdraw)
            {
                return null;
            }

            if (winner == scoreTask)
            {
                var score = await scoreTask;
                if (open.ContainsKey(score.ExpertId) &&
                    await context.CallActivityAsync<bool>(nameof(RecordScoreActivity), new RecordScoreInput(id, score, Now(context))))
                {
                    scores[score.ExpertId] = score.Score;
                    open.Remove(score.ExpertId);
                }

                continue;
            }

            var now = Now(context);
            var remind = open.Values.Where(a => !reminded.Contains(a.ExpertId) && a.RemindAt <= now && a.DueAt > now).Select(a => a.ExpertId).ToList();
            if (remind.Count > 0)
            {
                await context.CallActivityAsync<int>(nameof(RemindReviewersActivity), new RemindReviewersInput(id, remind, now));
                reminded.UnionWith(remind);
            }

            var expired = open.Values.Where(a => a.DueAt <= now).Select(a => a.ExpertId).ToList();
            if (expired.Count > 0)
            {
                round++;
                var added = await context.CallActivityAsync<List<ReviewerAssignment>>(nameof(ReplaceReviewersActivity),
                    new ReplaceReviewersInput(id, expired, settings, now, round));
                foreach (var expert in expired)
                {
                    open.Remove(expert);
                }

                replacedExperts.AddRange(expired);
                foreach (var assignment in added)
                {
                    open[assignment.ExpertId] = assignment;
                }
            }
        }

        var details = Audit.AuditTrail.ToDetails(new
        {
            scores,
            rule = settings.Aggregation.ToString(),
            threshold = settings.ScoreThreshold,
            replaced = replacedExperts,
        });
        if (scores.Count == 0)
        {
            var status = await Step(context, new ApplicationStep(id, $"application/{id}/expert/failed", Now(context), Audit.Actor.System.Id, Audit.Actor.System.Role,
                "expert-review", "no-scores", "application.expert.failed", [ApplicationStatus.ExpertReview], ApplicationStatus.NotRecommended,
                "无可用评审专家完成评分 / no available expert scored the application", details, MailTemplates.ExpertReviewFailed.Name));
            return new ExpertOutcome(new ApplicationResult(id, status, null), details);
        }

        var aggregate = ScoreAggregator.Aggregate(scores.Values, settings.Aggregation);
        var aggregateDetails = Audit.AuditTrail.ToDetails(new
        {
            scores,
            rule = settings.Aggregation.ToString(),
            aggregate,
            threshold = settings.ScoreThreshold,
            replaced = replacedExperts,
        });
        if (aggregate < settings.ScoreThreshold)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"综合评分 {aggregate} 低于 {settings.ScoreThreshold} 分 / score {aggregate} below the threshold {settings.ScoreThreshold}");
            var status = await Step(context, new ApplicationStep(id, $"application/{id}/expert/failed", Now(context), Audit.Actor.System.Id, Audit.Actor.System.Role,
                "expert-review", "below-threshold", "application.expert.failed", [ApplicationStatus.ExpertReview], ApplicationStatus.NotRecommended,
                reason, aggregateDetails, MailTemplates.ExpertReviewFailed.Name, Score: aggregate));
            return new ExpertOutcome(new ApplicationResult(id, status, aggregate), aggregateDetails);
        }

        return new ExpertOutcome(new ApplicationResult(id, ApplicationStatus.ExpertReview, aggregate), aggregateDetails);
    }

    private sealed record ExpertOutcome(ApplicationResult Result, string Details)
    {
        public ApplicationStatus Status => this.Result.Status;

        public decimal? Score => this.Result.Score;

        public static implicit operator ApplicationResult(ExpertOutcome outcome) => outcome.Result;
    }
}
