using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workflows.Durable;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Applications;

/// <summary>Input of <see cref="ApplicationStepActivity"/>: one recorded transition of an application.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="StepKey">Unique key of the transition (idempotency of decision, audit and mail).</param>
/// <param name="At">When (orchestration time).</param>
/// <param name="ActorId">Who decided.</param>
/// <param name="Role">In which role.</param>
/// <param name="Stage">The stage recorded with the decision.</param>
/// <param name="Outcome">The outcome recorded.</param>
/// <param name="AuditAction">The audit action, e.g. <c>application.preliminary.rejected</c>.</param>
/// <param name="From">The statuses the transition applies from; in any other status nothing changes.</param>
/// <param name="To">The status after the transition.</param>
/// <param name="Reason">Why.</param>
/// <param name="Details">Details recorded with the decision (JSON).</param>
/// <param name="MailTemplate">Name of the core mail template sent to the applicant, or null for none.</param>
/// <param name="MailDate">A date shown in the mail (deadlines).</param>
/// <param name="SupplementDue">Sets the 补正 deadline (null clears it).</param>
/// <param name="Score">Sets the aggregated score.</param>
public sealed record ApplicationStep(
    long ApplicationId, string StepKey, DateTimeOffset At, string ActorId, string Role, string Stage, string Outcome, string AuditAction,
    IReadOnlyList<ApplicationStatus> From, ApplicationStatus To, string? Reason = null, string? Details = null, string? MailTemplate = null,
    DateTimeOffset? MailDate = null, DateTimeOffset? SupplementDue = null, decimal? Score = null);

/// <summary>
/// Records one transition of an application in one transaction: status, decision (who, when, reason, details), audit
/// entry and the applicant's mail. Idempotent by <see cref="ApplicationStep.StepKey"/>; a transition whose starting
/// status no longer holds (e.g. the applicant withdrew) changes nothing.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class ApplicationStepActivity(ProgrammeServices services) : TaskActivity<ApplicationStep, ApplicationStatus>
{
    /// <inheritdoc/>
    public override Task<ApplicationStatus> RunAsync(TaskActivityContext context, ApplicationStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = services.Records.Transaction((c, t) =>
        {
            var app = LifecycleStore.GetApplication(c, t, input.ApplicationId)
                ?? throw new InvalidOperationException($"Application {input.ApplicationId} does not exist.");
            if (!LifecycleStore.Once(c, t, input.StepKey, input.At) || !input.From.Contains(app.Status))
            {
                return app.Status;
            }

            LifecycleStore.SetStatus(c, t, app.ApplicationId, input.To, input.At);
            Db.Execute(c, t, "UPDATE applications SET supplement_due = $d, score = COALESCE($s, score) WHERE application_id = $id;",
                ("$d", input.SupplementDue is { } due ? Db.ToMs(due) : null), ("$s", input.Score is { } sc ? LifecycleStore.Text(sc) : null), ("$id", app.ApplicationId));
            var actor = new Actor(input.ActorId, input.Role);
            LifecycleStore.AddDecision(c, t, input.StepKey, app.ApplicationId, input.Stage, input.Outcome, actor, input.At, input.Reason, input.Details);
            LifecycleStore.AuditApplication(c, t, app, input.StepKey, input.At, actor, input.AuditAction, input.Reason,
                new { from = app.Status.ToString(), to = input.To.ToString(), input.Stage, input.Outcome, details = input.Details });
            if (input.MailTemplate is { } template)
            {
                LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.ByName(template), input.StepKey, input.At,
                    new MailArgs { Reason = input.Reason, Date = input.MailDate, Amount = app.QuotedAmount });
            }

            return input.To;
        });
        return Task.FromResult(status);
    }
}

/// <summary>Input of <see cref="AssignPanelActivity"/>.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="Settings">The call's settings (panel size, review days, reminder lead).</param>
/// <param name="At">When (orchestration time).</param>
public sealed record AssignPanelInput(long ApplicationId, CallSettings Settings, DateTimeOffset At);

/// <summary>
/// Assigns the expert panel: <see cref="CallSettings.PanelSize"/> active experts from the pool, excluding conflicts of
/// interest (same organisation as the applicant, or a declared conflict), chosen in a stable pseudo-random order that
/// spreads the load. Each expert is mailed the deadline. Idempotent: a second run returns the panel already assigned.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class AssignPanelActivity(ProgrammeServices services) : TaskActivity<AssignPanelInput, IReadOnlyList<ReviewerAssignment>>
{
    /// <inheritdoc/>
    public override Task<IReadOnlyList<ReviewerAssignment>> RunAsync(TaskActivityContext context, AssignPanelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var panel = services.Records.Transaction<IReadOnlyList<ReviewerAssignment>>((c, t) =>
        {
            var app = LifecycleStore.GetApplication(c, t, input.ApplicationId)
                ?? throw new InvalidOperationException($"Application {input.ApplicationId} does not exist.");
            var key = $"application/{app.ApplicationId}/panel";
            if (LifecycleStore.Once(c, t, key, input.At))
            {
                PanelSelection.Assign(services, c, t, app, input.Settings, input.Settings.PanelSize, input.At, key);
            }

            return LifecycleStore.Assignments(c, t, app.ApplicationId).Where(a => a.Status == "assigned").ToList();
        });
        return Task.FromResult(panel);
    }
}

/// <summary>Input of <see cref="ReplaceReviewersActivity"/>.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ExpiredExpertIds">Experts whose deadline passed without a score.</param>
/// <param name="Settings">The call's settings.</param>
/// <param name="At">When (orchestration time).</param>
/// <param name="Round">Replacement round (1, 2 …), part of the idempotency key.</param>
public sealed record ReplaceReviewersInput(long ApplicationId, IReadOnlyList<string> ExpiredExpertIds, CallSettings Settings, DateTimeOffset At, int Round);

/// <summary>
/// Replaces experts who missed the deadline: marks them replaced (and tells them), assigns as many new experts from
/// the pool (never one assigned before, never one with a conflict) and returns the new assignments — fewer when the
/// pool runs dry. Idempotent per round.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class ReplaceReviewersActivity(ProgrammeServices services) : TaskActivity<ReplaceReviewersInput, IReadOnlyList<ReviewerAssignment>>
{
    /// <inheritdoc/>
    public override Task<IReadOnlyList<ReviewerAssignment>> RunAsync(TaskActivityContext context, ReplaceReviewersInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var added = services.Records.Transaction<IReadOnlyList<ReviewerAssignment>>((c, t) =>
        {
            var app = LifecycleStore.GetApplication(c, t, input.ApplicationId)
                ?? throw new InvalidOperationException($"Application {input.ApplicationId} does not exist.");
            var key = string.Create(CultureInfo.InvariantCulture, $"application/{app.ApplicationId}/replace/{input.Round}");
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<List<ReviewerAssignment>>(c, t, key) ?? [];
            }

            var replaced = 0;
            foreach (var expertId in input.ExpiredExpertIds)
            {
                if (Db.Execute(c, t, "UPDATE reviewer_assignments SET status = 'replaced' WHERE application_id = $a AND expert_id = $e AND status = 'assigned';",
                        ("$a", app.ApplicationId), ("$e", expertId)) == 0)
                {
                    continue;
                }

                replaced++;
                var stepKey = $"{key}/{expertId}";
                AuditTrail.Append(c, t, new AuditEntry(stepKey, input.At, Actor.System, "application.expert.replaced",
                    [AuditTrail.Subject("application", app.ApplicationId), AuditTrail.Subject("expert", expertId), AuditTrail.Subject("call", app.CallId)],
                    "评分期限届满未评分 / no score by the deadline"));
                if (PartyDirectory.GetExpert(c, expertId, t) is { } expert)
                {
                    services.Notifications.Notify(c, t, new Notification(MailTemplates.ExpertReplaced, stepKey, new OutboxAddress(expert.Email, expert.Name),
                        new MailArgs { RecipientName = expert.Name, Reference = app.ApplicationId.ToString(CultureInfo.InvariantCulture) }, input.At));
                }
            }

            var result = PanelSelection.Assign(services, c, t, app, input.Settings, replaced, input.At, key);
            LifecycleStore.SaveResult(c, t, key, result);
            return result;
        });
        return Task.FromResult(added);
    }
}

/// <summary>Input of <see cref="RecordScoreActivity"/>.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="Score">The score event.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record RecordScoreInput(long ApplicationId, ExpertScoreEvent Score, DateTimeOffset At);

/// <summary>Records an expert's score when the expert is still assigned (not replaced, not scored yet). Returns whether it was recorded. Idempotent.</summary>
/// <param name="services">The programme services.</param>
public sealed class RecordScoreActivity(ProgrammeServices services) : TaskActivity<RecordScoreInput, bool>
{
    /// <inheritdoc/>
    public override Task<bool> RunAsync(TaskActivityContext context, RecordScoreInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var recorded = services.Records.Transaction((c, t) =>
        {
            var app = LifecycleStore.GetApplication(c, t, input.ApplicationId)
                ?? throw new InvalidOperationException($"Application {input.ApplicationId} does not exist.");
            var key = $"application/{app.ApplicationId}/score/{input.Score.ExpertId}";
            var changed = Db.Execute(c, t, """
                UPDATE reviewer_assignments SET status = 'scored', score = $s, comment = $c, scored_at = $at
                 WHERE application_id = $a AND expert_id = $e AND status = 'assigned';
                """,
                ("$s", LifecycleStore.Text(input.Score.Score)), ("$c", input.Score.Comment), ("$at", Db.ToMs(input.At)),
                ("$a", app.ApplicationId), ("$e", input.Score.ExpertId));
            if (changed == 1)
            {
                AuditTrail.Append(c, t, new AuditEntry(key, input.At, new Actor(input.Score.ExpertId, "expert"), "application.expert.scored",
                    [AuditTrail.Subject("application", app.ApplicationId), AuditTrail.Subject("expert", input.Score.ExpertId), AuditTrail.Subject("call", app.CallId)],
                    input.Score.Comment, AuditTrail.ToDetails(new { score = input.Score.Score })));
                return true;
            }

            return Db.Scalar(c, t, "SELECT status FROM reviewer_assignments WHERE application_id = $a AND expert_id = $e;",
                ("$a", app.ApplicationId), ("$e", input.Score.ExpertId)) is "scored";
        });
        return Task.FromResult(recorded);
    }
}

/// <summary>Input of <see cref="RemindReviewersActivity"/>.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ExpertIds">The experts to remind.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record RemindReviewersInput(long ApplicationId, IReadOnlyList<string> ExpertIds, DateTimeOffset At);

/// <summary>Mails a reminder to experts who have not scored yet. Idempotent per expert and application.</summary>
/// <param name="services">The programme services.</param>
public sealed class RemindReviewersActivity(ProgrammeServices services) : TaskActivity<RemindReviewersInput, int>
{
    /// <inheritdoc/>
    public override Task<int> RunAsync(TaskActivityContext context, RemindReviewersInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var count = services.Records.Transaction((c, t) =>
        {
            var reminded = 0;
            foreach (var expertId in input.ExpertIds)
            {
                var due = Db.Scalar(c, t, """
                    UPDATE reviewer_assignments SET reminded_at = $at
                     WHERE application_id = $a AND expert_id = $e AND status = 'assigned' AND reminded_at IS NULL
                    RETURNING due_at;
                    """, ("$at", Db.ToMs(input.At)), ("$a", input.ApplicationId), ("$e", expertId));
                if (due is not long dueMs || PartyDirectory.GetExpert(c, expertId, t) is not { } expert)
                {
                    continue;
                }

                var key = string.Create(CultureInfo.InvariantCulture, $"application/{input.ApplicationId}/remind/{expertId}");
                AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "application.expert.reminded",
                    [AuditTrail.Subject("application", input.ApplicationId), AuditTrail.Subject("expert", expertId)]));
                services.Notifications.Notify(c, t, new Notification(MailTemplates.ExpertReminder, key, new OutboxAddress(expert.Email, expert.Name),
                    new MailArgs { RecipientName = expert.Name, Reference = input.ApplicationId.ToString(CultureInfo.InvariantCulture), Date = Db.FromMs(dueMs) }, input.At));
                reminded++;
            }

            return reminded;
        });
        return Task.FromResult(count);
    }
}

/// <summary>Chooses experts for a panel.</summary>
internal static class PanelSelection
{
    /// <summary>Assigns up to <paramref name="count"/> experts not yet assigned to the application and free of conflicts.</summary>
    public static List<ReviewerAssignment> Assign(ProgrammeServices services, Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t,
        ApplicationRow app, CallSettings settings, int count, DateTimeOffset at, string keyPrefix)
    {
        if (count <= 0)
        {
            return [];
        }

        var applicant = PartyDirectory.Get(c, app.ApplicantId, t);
        var declared = PartyDirectory.DeclaredConflicts(c, app.ApplicantId, t);
        var already = LifecycleStore.Assignments(c, t, app.ApplicationId).Select(a => a.ExpertId).ToHashSet(StringComparer.Ordinal);
        var excluded = new List<object>();
        var candidates = new List<Expert>();
        foreach (var expert in PartyDirectory.ActiveExperts(c, t))
        {
            if (already.Contains(expert.ExpertId))
            {
                continue;
            }

            if (declared.Contains(expert.ExpertId))
            {
                excluded.Add(new { expert = expert.ExpertId, reason = "declared-conflict" });
            }
            else if (SameOrganisation(expert, applicant))
            {
                excluded.Add(new { expert = expert.ExpertId, reason = "same-organisation" });
            }
            else
            {
                candidates.Add(expert);
            }
        }

        var chosen = candidates.OrderBy(e => Rank(app.ApplicationId, e.ExpertId), StringComparer.Ordinal).Take(count).ToList();
        var due = at.AddDays(settings.ReviewDays);
        var remind = due.AddDays(-Math.Min(settings.ReminderLeadDays, settings.ReviewDays));
        var result = new List<ReviewerAssignment>();
        foreach (var expert in chosen)
        {
            Db.Execute(c, t, """
                INSERT OR IGNORE INTO reviewer_assignments (application_id, expert_id, status, assigned_at, due_at, remind_at)
                VALUES ($a, $e, 'assigned', $at, $due, $remind);
                """, ("$a", app.ApplicationId), ("$e", expert.ExpertId), ("$at", Db.ToMs(at)), ("$due", Db.ToMs(due)), ("$remind", Db.ToMs(remind)));
            var key = $"{keyPrefix}/assign/{expert.ExpertId}";
            services.Notifications.Notify(c, t, new Notification(MailTemplates.ExpertAssigned, key, new OutboxAddress(expert.Email, expert.Name),
                new MailArgs
                {
                    RecipientName = expert.Name,
                    Reference = app.ApplicationId.ToString(CultureInfo.InvariantCulture),
                    ProgrammeTitle = services.Catalogue.TryGet(app.ProgrammeId, out var p) ? p.TitleZh : app.ProgrammeId,
                    Date = due,
                }, at));
            result.Add(new ReviewerAssignment(app.ApplicationId, expert.ExpertId, "assigned", at, due, remind, null, null));
        }

        LifecycleStore.AuditApplication(c, t, app, keyPrefix + "/assigned", at, Actor.System, "application.panel.assigned",
            chosen.Count < count ? "专家库可选专家不足 / not enough experts free of conflicts in the pool" : null,
            new { assigned = chosen.Select(e => e.ExpertId).ToList(), excluded, wanted = count });
        return result;
    }

    private static bool SameOrganisation(Expert expert, Party? applicant)
    {
        if (applicant is null || string.IsNullOrWhiteSpace(expert.Organisation))
        {
            return false;
        }

        var org = Normalise(expert.Organisation);
        return org == Normalise(applicant.Organisation) || org == Normalise(applicant.Name);
    }

    private static string Normalise(string? value) => (value ?? string.Empty).Trim().ToUpperInvariant();

    private static string Rank(long applicationId, string expertId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{applicationId}:{expertId}"))));
}
