using System.Text.Json;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;

namespace Workflows.Programmes.Operations;

/// <content>Applications: submit, withdraw, 补正, 初审, expert scores, 财务评审, read.</content>
public sealed partial class ProgrammeOperations
{
    private static readonly ApplicationStatus[] Withdrawable =
    [
        ApplicationStatus.Submitted, ApplicationStatus.Preliminary, ApplicationStatus.SupplementRequested, ApplicationStatus.ExpertReview, ApplicationStatus.FinancialReview,
    ];

    /// <summary>
    /// Submits an application to an open call. The eligibility rules and the amount are quoted at once (on today's
    /// China date, with the applicant's award history from the ledger): an ineligible application is recorded as
    /// rejected with the failed rules and the applicant told so; an eligible one waits for the window to close.
    /// </summary>
    /// <param name="request">The application.</param>
    /// <param name="actor">The applicant (or an officer on its behalf).</param>
    /// <returns>The id, status, estimate or failed rules.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call or applicant.</exception>
    /// <exception cref="ProgrammeConflictException">
    /// The call is not open, or the applicant already applied to it for the same project (or both without one), or has a live application (not ineligible, rejected,
    /// not recommended, withdrawn, not funded or removed) for the same programme, cycle year and project in another call.
    /// </exception>
    /// <exception cref="ProgrammeValidationException">The facts are malformed, mistyped or incomplete.</exception>
    public SubmissionResult SubmitApplication(SubmitApplicationRequest request, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireActor(actor);
        var now = this.Now;
        var today = this.TodayInChina;
        return this.services.Records.Transaction((c, t) =>
        {
            var call = LifecycleStore.GetCall(c, t, request.CallId) ?? throw new ProgrammeNotFoundException("call", Id(request.CallId));
            if (call.Status != CallStatus.Open || now < call.OpensAt || now >= call.ClosesAt)
            {
                throw new ProgrammeConflictException($"Call {call.CallId} is not accepting applications (status {call.Status}, window {call.OpensAt:O} – {call.ClosesAt:O}).");
            }

            var party = PartyDirectory.Get(c, request.ApplicantId ?? string.Empty, t) ?? throw new ProgrammeNotFoundException("applicant", request.ApplicantId ?? string.Empty);
            // Several projects of one applicant may go into one call (001 八(二): the same item for two major projects is no
            // conflict); the same project, or a second application without a project key, may not.
            if (Db.Scalar(c, t, "SELECT application_id FROM applications WHERE call_id = $c AND applicant_id = $a AND COALESCE(project_key, '') = COALESCE($pk, '');",
                ("$c", call.CallId), ("$a", party.PartyId), ("$pk", request.ProjectKey)) is long existing)
            {
                throw new ProgrammeConflictException(
                    $"Applicant '{party.PartyId}' already applied to call {call.CallId} (application {existing})"
                    + (request.ProjectKey is null ? "; a further application to this call needs its own project key." : $" for project '{request.ProjectKey}'."));
            }

            // The ledger pays an applicant once per programme, cycle year and instalment; a second call for the same
            // programme and year (a 第二批) must not run the same award through review and 公示 a second time.
            if (Db.Scalar(c, t, """
                SELECT application_id || ' (call ' || call_id || ', ' || status || ')' FROM applications
                WHERE applicant_id = $a AND programme_id = $p AND cycle_year = $y AND project_key IS $pk AND status NOT IN ($s1, $s2, $s3, $s4, $s5, $s6)
                ORDER BY application_id LIMIT 1;
                """,
                ("$a", party.PartyId), ("$p", call.ProgrammeId), ("$y", call.CycleYear), ("$pk", request.ProjectKey),
                ("$s1", nameof(ApplicationStatus.Ineligible)), ("$s2", nameof(ApplicationStatus.Rejected)), ("$s3", nameof(ApplicationStatus.NotRecommended)),
                ("$s4", nameof(ApplicationStatus.Withdrawn)), ("$s5", nameof(ApplicationStatus.NotFunded)), ("$s6", nameof(ApplicationStatus.Removed))) is string other)
            {
                throw new ProgrammeConflictException(
                    $"Applicant '{party.PartyId}' already has application {other} for {call.ProgrammeId} cycle {call.CycleYear}"
                    + (request.ProjectKey is null ? string.Empty : $" (project '{request.ProjectKey}')")
                    + "; an award is paid once per programme and cycle year. Apply again only after that application is withdrawn, rejected or not funded.");
            }

            Quote quote;
            try
            {
                var facts = FactProfile.FromJson(request.FactsJson ?? string.Empty).WithProjectKey(request.ProjectKey);
                quote = this.services.Quotes.Quote(new QuoteRequest(call.ProgrammeId, today, facts, PaymentLedger.HistoryOf(c, party.PartyId, t), call.CycleYear, Standing: SanctionsStore.ActiveStanding(c, t, party.PartyId)));
            }
            catch (PolicyException e)
            {
                throw new ProgrammeValidationException("facts", e.Message);
            }

            if (quote.Outcome == QuoteOutcome.Incomplete)
            {
                throw new ProgrammeValidationException("facts", "Facts missing: " + string.Join(", ", quote.MissingFacts.Select(f => $"{f.Name} ({f.Describe()})")));
            }

            var status = quote.Eligible ? ApplicationStatus.Submitted : ApplicationStatus.Ineligible;
            var failed = quote.FailedRules.Select(r => $"{r.MessageZh ?? r.Message}（{r.Citation}）[{r.RuleId}]").ToList();
            var trace = JsonSerializer.Serialize(new
            {
                outcome = quote.Outcome.ToString(),
                quote.Amount,
                failedRules = quote.FailedRules.Select(r => new { r.RuleId, r.Message, r.MessageZh, citation = r.Citation.ToString() }),
                steps = quote.Steps.Select(s => new { s.TextZh, s.TextEn, citation = s.Citation.ToString(), s.Amount }),
                instalments = quote.Instalments,
            }, LifecycleStore.Json);
            var id = (long)Db.Scalar(c, t, """
                INSERT INTO applications (call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, quote_fen, quote_json, updated_at)
                VALUES ($c, $a, $p, $y, $s, $f, $pk, $at, $on, $q, $qj, $at) RETURNING application_id;
                """,
                ("$c", call.CallId), ("$a", party.PartyId), ("$p", call.ProgrammeId), ("$y", call.CycleYear), ("$s", status.ToString()), ("$f", request.FactsJson),
                ("$pk", request.ProjectKey), ("$at", Db.ToMs(now)), ("$on", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ("$q", quote.Amount is { } amount ? Db.ToFen(amount) : null), ("$qj", trace))!;
            var app = LifecycleStore.GetApplication(c, t, id)!;
            var key = $"application/{id}/submitted";
            LifecycleStore.AddDecision(c, t, key, id, "submission", quote.Eligible ? "eligible" : "ineligible", actor, now,
                quote.Eligible ? null : string.Join("; ", failed), trace);
            LifecycleStore.AuditApplication(c, t, app, key, now, actor, quote.Eligible ? "application.submitted" : "application.ineligible",
                quote.Eligible ? null : string.Join("; ", failed), new { quote.Amount, failedRules = failed });
            LifecycleStore.MailApplicant(this.services, c, t, app, quote.Eligible ? MailTemplates.ApplicationSubmitted : MailTemplates.ApplicationIneligible, key, now,
                new MailArgs { Lines = failed, Amount = quote.Amount });
            return new SubmissionResult(id, status, quote.Amount, failed);
        });
    }

    /// <summary>Withdraws an application that is still under review (before the awards are computed).</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="actor">The applicant.</param>
    /// <param name="reason">Why, if given.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when recorded.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    /// <exception cref="ProgrammeConflictException">The application is past review.</exception>
    public async Task WithdrawApplicationAsync(long applicationId, Actor actor, string? reason = null, CancellationToken cancellation = default)
    {
        RequireActor(actor);
        var now = this.Now;
        var requestId = NewRequestId();
        var wasRunning = this.services.Records.Transaction((c, t) =>
        {
            var app = LifecycleStore.GetApplication(c, t, applicationId) ?? throw new ProgrammeNotFoundException("application", Id(applicationId));
            if (!Withdrawable.Contains(app.Status))
            {
                throw new ProgrammeConflictException($"Application {applicationId} is {app.Status}; it can be withdrawn only while under review.");
            }

            LifecycleStore.SetStatus(c, t, applicationId, ApplicationStatus.Withdrawn, now);
            Db.Execute(c, t, "UPDATE reviewer_assignments SET status = 'cancelled' WHERE application_id = $a AND status = 'assigned';", ("$a", applicationId));
            var key = $"application/{applicationId}/withdrawn/{requestId}";
            LifecycleStore.AddDecision(c, t, key, applicationId, "withdrawal", "withdrawn", actor, now, reason, null);
            LifecycleStore.AuditApplication(c, t, app, key, now, actor, "application.withdrawn", reason, new { from = app.Status.ToString() });
            LifecycleStore.MailApplicant(this.services, c, t, app, MailTemplates.ApplicationWithdrawn, key, now, new MailArgs { Reason = reason });
            return app.Status != ApplicationStatus.Submitted;
        });
        if (wasRunning)
        {
            await this.client.RaiseEventAsync(ApplicationOrchestrator.InstanceIdOf(applicationId), ProgrammeEvents.Withdraw, new WithdrawEvent(requestId), cancellation);
        }
    }

    /// <summary>Answers a 补正 request before its deadline.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="actor">The applicant.</param>
    /// <param name="note">What was supplemented (documents are uploaded through the host).</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    /// <exception cref="ProgrammeConflictException">No supplement is requested, or its deadline passed.</exception>
    public async Task AnswerSupplementAsync(long applicationId, Actor actor, string? note = null, CancellationToken cancellation = default)
    {
        RequireActor(actor);
        var app = this.Application(applicationId);
        if (app.Status != ApplicationStatus.SupplementRequested || app.SupplementDue is not { } due)
        {
            throw new ProgrammeConflictException($"Application {applicationId} is {app.Status}; no 补正 is requested.");
        }

        if (this.Now >= due)
        {
            throw new ProgrammeConflictException($"The 补正 deadline of application {applicationId} passed at {due:O}.");
        }

        await this.client.RaiseEventAsync(ApplicationOrchestrator.InstanceIdOf(applicationId), ProgrammeEvents.SupplementReceived,
            new SupplementEvent(NewRequestId(), actor.Id, note), cancellation);
    }

    /// <summary>Records a 初审 decision: accept, reject with a reason, or request a 补正 (with a reason and a last day, or the call's default length).</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    /// <exception cref="ProgrammeConflictException">The application is not in 初审.</exception>
    /// <exception cref="ProgrammeValidationException">A reason is missing or the supplement day is not in the future.</exception>
    public async Task DecidePreliminaryAsync(long applicationId, PreliminaryDecisionRequest decision, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        RequireActor(actor);
        Require(Enum.IsDefined(decision.Outcome), "outcome", "The outcome must be accept, reject or supplement.");
        Require(decision.Outcome == PreliminaryOutcome.Accept || !string.IsNullOrWhiteSpace(decision.Reason), "reason", "A rejection or a 补正 request needs a reason.");
        var app = this.Application(applicationId);
        if (app.Status == ApplicationStatus.Submitted)
        {
            var call = this.GetCall(app.CallId);
            throw new ProgrammeConflictException(
                $"Application {applicationId} is Submitted, not in 初审: 初审 starts when call {call.CallId} closes "
                + $"({Notifications.MailTemplates.TimeEn(call.ClosesAt)}), or earlier when an officer closes the call early.");
        }

        if (app.Status != ApplicationStatus.Preliminary)
        {
            throw new ProgrammeConflictException($"Application {applicationId} is {app.Status}, not in 初审.");
        }

        DateTimeOffset? due = null;
        if (decision.Outcome == PreliminaryOutcome.Supplement)
        {
            var settings = this.GetCall(app.CallId).Settings;
            var today = this.TodayInChina;
            DateOnly lastDay;
            if (decision.SupplementDue is { } given)
            {
                Require(given > today, "supplementDue", $"The last day to supplement must be after today ({today:yyyy-MM-dd}).");
                lastDay = given;
            }
            else
            {
                lastDay = settings.SupplementDayKind == DayKind.Working
                    ? this.services.Calendar.AddWorkingDays(today, settings.SupplementDays)
                    : today.AddDays(settings.SupplementDays);
            }

            due = Notices.NoticePeriod.StartOfChinaDay(lastDay.AddDays(1));
        }

        var round = this.services.Records.Read(c => Convert.ToInt32(Db.Scalar(c, null,
            "SELECT COUNT(*) FROM decisions WHERE application_id = $a AND stage = 'preliminary' AND outcome = 'supplement-requested';", ("$a", applicationId)),
            System.Globalization.CultureInfo.InvariantCulture));
        await this.client.RaiseEventAsync(ApplicationOrchestrator.InstanceIdOf(applicationId), ProgrammeEvents.PreliminaryDecision,
            new PreliminaryDecisionEvent(NewRequestId(), decision.Outcome, actor.Id, decision.Reason, due, round), cancellation);
    }

    /// <summary>Records an expert's score (0–100) before the expert's deadline.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="expertId">The expert.</param>
    /// <param name="score">The score.</param>
    /// <param name="comment">The comment.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application, or the expert is not assigned to it.</exception>
    /// <exception cref="ProgrammeConflictException">The application is not in expert review, the expert already scored or was replaced, or the deadline passed.</exception>
    /// <exception cref="ProgrammeValidationException">The score is outside 0–100.</exception>
    public async Task ScoreAsync(long applicationId, string expertId, decimal score, string? comment = null, CancellationToken cancellation = default)
    {
        Require(score is >= 0m and <= 100m, "score", "A score must be between 0 and 100.");
        var app = this.Application(applicationId);
        var assignment = this.services.Records.Read(c => LifecycleStore.Assignments(c, null, applicationId)).FirstOrDefault(a => a.ExpertId == expertId)
            ?? throw new ProgrammeNotFoundException("assignment", $"{applicationId}/{expertId}");
        if (app.Status != ApplicationStatus.ExpertReview)
        {
            throw new ProgrammeConflictException($"Application {applicationId} is {app.Status}, not in expert review.");
        }

        if (assignment.Status != "assigned")
        {
            throw new ProgrammeConflictException($"Expert '{expertId}' has {assignment.Status} application {applicationId}; no further score is taken.");
        }

        if (this.Now >= assignment.DueAt)
        {
            throw new ProgrammeConflictException($"The scoring deadline of expert '{expertId}' for application {applicationId} passed at {assignment.DueAt:O}.");
        }

        await this.client.RaiseEventAsync(ApplicationOrchestrator.InstanceIdOf(applicationId), ProgrammeEvents.ExpertScore,
            new ExpertScoreEvent(NewRequestId(), expertId, score, comment), cancellation);
    }

    /// <summary>Records a 财务评审 decision.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="approve">True to approve.</param>
    /// <param name="reason">The reason (required to reject).</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    /// <exception cref="ProgrammeConflictException">The application is not in 财务评审.</exception>
    /// <exception cref="ProgrammeValidationException">A rejection without a reason.</exception>
    public async Task DecideFinancialAsync(long applicationId, bool approve, string? reason, Actor actor, CancellationToken cancellation = default)
    {
        RequireActor(actor);
        Require(approve || !string.IsNullOrWhiteSpace(reason), "reason", "A rejection needs a reason.");
        var app = this.Application(applicationId);
        if (app.Status != ApplicationStatus.FinancialReview)
        {
            throw new ProgrammeConflictException($"Application {applicationId} is {app.Status}, not in 财务评审.");
        }

        await this.client.RaiseEventAsync(ApplicationOrchestrator.InstanceIdOf(applicationId), ProgrammeEvents.FinancialDecision,
            new FinancialDecisionEvent(NewRequestId(), approve, actor.Id, reason), cancellation);
    }

    /// <summary>Reads an application with its decisions, reviews, quote and award traces, and payments.</summary>
    /// <param name="applicationId">The application.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    public ApplicationView GetApplication(long applicationId) => this.services.Records.Read(c =>
    {
        var app = LifecycleStore.GetApplication(c, null, applicationId) ?? throw new ProgrammeNotFoundException("application", Id(applicationId));
        var traces = Db.Query(c, null, "SELECT quote_json, award_json FROM applications WHERE application_id = $a;", r => (Quote: r.TextOrNull(0), Award: r.TextOrNull(1)),
            ("$a", applicationId)).Single();
        return new ApplicationView(app.ApplicationId, app.CallId, app.ApplicantId, app.ProgrammeId, app.CycleYear, app.Status, app.SubmittedAt, app.QuotedAmount, app.Score,
            app.Award, app.Status == ApplicationStatus.SupplementRequested ? app.SupplementDue : null, traces.Quote, traces.Award,
            LifecycleStore.Decisions(c, applicationId), LifecycleStore.Assignments(c, null, applicationId),
            PaymentLedger.BySource(c, $"application/{applicationId}"), app.FactsJson);
    });

    /// <summary>Lists an applicant's applications, newest first.</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The applications.</returns>
    public IReadOnlyList<ApplicationView> ListApplications(string applicantId) =>
        this.services.Records.Read(c => Db.Query(c, null, "SELECT application_id FROM applications WHERE applicant_id = $a ORDER BY application_id DESC;",
            r => r.GetInt64(0), ("$a", applicantId))).Select(this.GetApplication).ToList();

    /// <summary>Lists the applications of a call, by id.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>Id, applicant and status of each.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call.</exception>
    public IReadOnlyList<(long ApplicationId, string ApplicantId, ApplicationStatus Status)> ListApplicationsOfCall(long callId)
    {
        _ = this.GetCall(callId);
        return this.services.Records.Read(c => LifecycleStore.ApplicationsOfCall(c, null, callId).Select(a => (a.ApplicationId, a.ApplicantId, a.Status)).ToList());
    }

    /// <summary>The audit trail of an application, oldest first.</summary>
    /// <param name="applicationId">The application.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such application.</exception>
    public IReadOnlyList<AuditEntry> GetApplicationTrail(long applicationId)
    {
        _ = this.Application(applicationId);
        return this.services.Records.Read(c => AuditTrail.ForSubject(c, AuditTrail.Subject("application", applicationId)));
    }

    /// <summary>The assignments of an expert, newest first.</summary>
    /// <param name="expertId">The expert.</param>
    /// <returns>The assignments.</returns>
    public IReadOnlyList<ReviewerAssignment> GetExpertAssignments(string expertId) =>
        this.services.Records.Read(c => Db.Query(c, null, """
            SELECT application_id, expert_id, status, assigned_at, due_at, remind_at, score, comment
              FROM reviewer_assignments WHERE expert_id = $e ORDER BY assigned_at DESC, application_id DESC;
            """, LifecycleStore.ReadAssignment, ("$e", expertId)));

    private ApplicationRow Application(long applicationId) =>
        this.services.Records.Read(c => LifecycleStore.GetApplication(c, null, applicationId)) ?? throw new ProgrammeNotFoundException("application", Id(applicationId));
}
