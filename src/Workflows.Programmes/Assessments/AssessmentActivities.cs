using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Assessments;

/// <summary>Names of the assessment activities.</summary>
public static class AssessmentActivities
{
    /// <summary>Opens a period (idempotent) and returns when it ends.</summary>
    public const string BeginPeriod = "AssessmentBeginPeriod";

    /// <summary>Asks the base for the period's report and returns the deadline.</summary>
    public const string RequestReport = "AssessmentRequestReport";

    /// <summary>Applies a signal: report, excuse, grade, no-show, accident or rectification.</summary>
    public const string ApplySignal = "AssessmentApplySignal";
}

/// <summary>Opens a period: writes its row once and records the phase.</summary>
internal sealed class BeginAssessmentPeriodActivity(ProgrammeServices services) : TaskActivity<AssessmentInput, AssessmentStep>
{
    private readonly ProgrammeRecords records = services.Records;
    private readonly TimeProvider time = services.Time;

    public override Task<AssessmentStep> RunAsync(TaskActivityContext context, AssessmentInput input)
    {
        DateTimeOffset now = this.time.GetUtcNow();
        AssessmentStep step = this.records.Transaction((c, t) =>
        {
            BaseRow b = AssessmentStore.Get(c, t, input.BaseId) ?? throw new InvalidOperationException($"Base '{input.BaseId}' is not recognised.");
            if (b.Standing.Revoked)
            {
                return new AssessmentStep(true, false, false);
            }

            DateOnly ends = b.PeriodEnd(input.Period);
            if (AssessmentStore.InsertPeriod(c, t, b.BaseId, input.Period, b.PeriodStart(input.Period), ends))
            {
                AssessmentStore.SetPhase(c, t, b.BaseId, input.Period, BasePhase.InPeriod, now);
                AuditTrail.Append(c, t, new AuditEntry(
                    $"assessment/{b.BaseId}/{input.Period}/begun", now, Actor.System, "assessment.period-begun",
                    [AuditTrail.Subject("base", b.BaseId)], b.Scheme.Source,
                    AuditTrail.ToDetails(new { period = input.Period, startsOn = b.PeriodStart(input.Period), endsOn = ends })));
            }

            return new AssessmentStep(false, false, true, DistrictDates.StartOfDayUtc(ends));
        });
        return Task.FromResult(step);
    }
}

/// <summary>Asks the base for the period's report by the bureau's deadline (report days after the period ends).</summary>
internal sealed class RequestAssessmentReportActivity(ProgrammeServices services) : TaskActivity<AssessmentInput, AssessmentStep>
{
    private readonly ProgrammeRecords records = services.Records;
    private readonly INotificationPort notifier = services.Notifications;
    private readonly TimeProvider time = services.Time;

    public override Task<AssessmentStep> RunAsync(TaskActivityContext context, AssessmentInput input)
    {
        DateTimeOffset now = this.time.GetUtcNow();
        AssessmentStep step = this.records.Transaction((c, t) =>
        {
            BaseRow b = AssessmentStore.Get(c, t, input.BaseId) ?? throw new InvalidOperationException($"Base '{input.BaseId}' is not recognised.");
            if (b.Standing.Revoked)
            {
                return new AssessmentStep(true, false, false);
            }

            DateOnly due = b.PeriodEnd(input.Period).AddDays(b.ReportDays);
            DateTime dueUtc = DistrictDates.EndOfDayUtc(due);
            PeriodRow period = AssessmentStore.GetPeriod(c, t, b.BaseId, input.Period)!;
            if (period.ReportDueOn is null)
            {
                AssessmentStore.SetReportDue(c, t, b.BaseId, input.Period, due);
                AssessmentStore.SetPhase(c, t, b.BaseId, input.Period, BasePhase.AwaitingReport, now);
                Transitions.Record(
                    c, t, this.notifier, $"assessment/{b.BaseId}/{input.Period}/report-requested", now, Actor.System, "assessment.report-requested",
                    [AuditTrail.Subject("base", b.BaseId)], b.Scheme.Source, new { period = input.Period, reportDue = due, reportDays = b.ReportDays },
                    (AssessmentMail.ReportRequested, new OutboxAddress(b.Email, b.Name), Args(b, input.Period, now) with { EndDate = dueUtc, Reason = b.Scheme.ReportItemsZh }));
            }

            return new AssessmentStep(false, false, true, dueUtc);
        });
        return Task.FromResult(step);
    }

    internal static MailArgs Args(BaseRow b, int period, DateTimeOffset now) =>
        new() { RecipientName = b.Name, ProgrammeTitle = b.Scheme.TitleZh, Reference = b.Name, CycleYear = period, Date = now };
}

/// <summary>
/// Applies one signal in one transaction: the period row, the base's standing, the audit entry and the mails.
/// Idempotent per signal id: a repeated signal returns the stored result and writes nothing.
/// </summary>
internal sealed class ApplyAssessmentSignalActivity(ProgrammeServices services) : TaskActivity<ApplySignalInput, AssessmentStep>
{
    private readonly ProgrammeRecords records = services.Records;
    private readonly INotificationPort notifier = services.Notifications;
    private readonly TimeProvider time = services.Time;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override Task<AssessmentStep> RunAsync(TaskActivityContext context, ApplySignalInput input)
    {
        DateTimeOffset now = this.time.GetUtcNow();
        AssessmentStep step = this.records.Transaction((c, t) =>
        {
            BaseRow b = AssessmentStore.Get(c, t, input.BaseId) ?? throw new InvalidOperationException($"Base '{input.BaseId}' is not recognised.");
            AssessmentSignal s = input.Signal;
            if (AssessmentStore.SignalResult(c, t, b.BaseId, s.SignalId) is { } stored)
            {
                return JsonSerializer.Deserialize<AssessmentStep>(stored, Json)!;
            }

            AssessmentStep result = b.Standing.Revoked ? new AssessmentStep(true, false, false) : this.Apply(c, t, b, input.Period, s, now);
            AssessmentStore.SaveSignal(c, t, b.BaseId, s.SignalId, s.Kind.ToString(), JsonSerializer.Serialize(result, Json), now);
            return result;
        });
        return Task.FromResult(step);
    }

    private AssessmentStep Apply(SqliteConnection c, SqliteTransaction t, BaseRow b, int period, AssessmentSignal s, DateTimeOffset now)
    {
        var actor = new Actor(s.ActorId, s.ActorRole);
        string key = $"assessment/{b.BaseId}/signal/{s.SignalId}";
        string subject = AuditTrail.Subject("base", b.BaseId);
        var to = new OutboxAddress(b.Email, b.Name);
        MailArgs args = RequestAssessmentReportActivity.Args(b, period, now);
        bool current = s.Period == period && s.Period == b.Period;
        PeriodRow? row = AssessmentStore.GetPeriod(c, t, b.BaseId, period);
        switch (s.Kind)
        {
            case AssessmentSignalKind.ReportSubmitted when current && b.Phase == BasePhase.AwaitingReport:
                AssessmentStore.SetReport(c, t, b.BaseId, period, s.Text ?? string.Empty, now);
                AssessmentStore.SetPhase(c, t, b.BaseId, period, BasePhase.AwaitingGrade, now);
                Transitions.Record(c, t, this.notifier, key, now, actor, "assessment.report-received", [subject], null, new { period, summary = s.Text },
                    (AssessmentMail.ReportReceived, to, args));
                return new AssessmentStep(false, false, true);

            case AssessmentSignalKind.AbsenceExcused when current && b.Phase == BasePhase.AwaitingReport:
                AssessmentStore.SetOutcome(c, t, b.BaseId, period, "excused", null, s.ActorId, s.Text, [], now);
                AssessmentStore.SetPhase(c, t, b.BaseId, period, BasePhase.InPeriod, now);
                Transitions.Record(c, t, this.notifier, key, now, actor, "assessment.absence-excused", [subject], s.Text, new { period },
                    (AssessmentMail.AbsenceExcused, to, args with { Reason = s.Text }));
                return new AssessmentStep(false, true, true);

            case AssessmentSignalKind.NoShow when current && b.Phase == BasePhase.AwaitingReport:
            {
                AssessmentDecision d = AssessmentRules.Evaluate(b.Scheme, b.Standing, new AssessmentOutcome(OutcomeKind.NoShow, Excused: false));
                AssessmentStore.SetReport(c, t, b.BaseId, period, string.Empty, now);
                AssessmentStore.SetPhase(c, t, b.BaseId, period, BasePhase.AwaitingGrade, now);
                string why = d.Consequences.Count > 0 ? string.Empty : "本期结果由主管部门评定。";
                Transitions.Record(c, t, this.notifier, key, now, actor, "assessment.report-overdue", [subject], d.Consequences.FirstOrDefault()?.Clause, new { period, dueOn = row?.ReportDueOn },
                    (AssessmentMail.ReportOverdue, to, args with { EndDate = row?.ReportDueOn is { } due ? DistrictDates.EndOfDayUtc(due) : null, Reason = why }));
                if (d.Consequences.Count > 0)
                {
                    AssessmentStore.SetOutcome(c, t, b.BaseId, period, "no-show", null, s.ActorId, null, d.Consequences, now);
                }

                return this.Consequences(c, t, b, period, d, key, now, actor) with { Accepted = true };
            }

            case AssessmentSignalKind.Graded when current && b.Phase == BasePhase.AwaitingGrade:
            {
                AssessmentGrade grade = b.Scheme.FindGrade(s.GradeCode)!;
                AssessmentDecision d = AssessmentRules.Evaluate(b.Scheme, b.Standing, new AssessmentOutcome(OutcomeKind.Graded, grade.Code, Title: s.Title));
                AssessmentStore.SetOutcome(c, t, b.BaseId, period, "graded", grade.Code, s.ActorId, s.Text, d.Consequences, now);
                AssessmentStore.SetPhase(c, t, b.BaseId, period, BasePhase.InPeriod, now);
                var lines = d.Consequences.Where(x => x.Action is ConsequenceAction.RecordEligibility or ConsequenceAction.ConferTitle)
                    .Select(x => x.Action == ConsequenceAction.ConferTitle ? $"授予“{x.Title}”称号（{x.Clause}）" : $"{x.TextZh}（{x.Clause}）").ToList();
                Transitions.Record(c, t, this.notifier, key, now, actor, "assessment.graded", [subject], s.Text,
                    new { period, grade = grade.Code, gradeZh = grade.LabelZh, consecutiveFails = d.After.ConsecutiveFails, consequences = d.Consequences },
                    (AssessmentMail.Graded, to, args with { Reason = grade.LabelZh, Lines = lines }));
                return this.Consequences(c, t, b, period, d, key, now, actor) with { Accepted = true, PeriodClosed = true };
            }

            case AssessmentSignalKind.Accident:
            {
                AssessmentDecision d = AssessmentRules.Evaluate(b.Scheme, b.Standing, new AssessmentOutcome(OutcomeKind.Accident, DueToPoorManagement: s.DueToPoorManagement));
                Transitions.Record(c, t, this.notifier, key, now, actor, "assessment.accident-recorded", [subject], s.Text, new { period, dueToPoorManagement = s.DueToPoorManagement },
                    (AssessmentMail.AccidentRecorded, to, args with { Reason = s.Text }));
                return this.Consequences(c, t, b, period, d, key, now, actor) with { Accepted = true };
            }

            case AssessmentSignalKind.RectificationCertified when b.Standing.IntakeSuspended:
            {
                AssessmentDecision d = AssessmentRules.Evaluate(b.Scheme, b.Standing, new AssessmentOutcome(OutcomeKind.RectificationCertified));
                AuditTrail.Append(c, t, new AuditEntry(key, now, actor, "assessment.rectification-certified", [subject], s.Text, null));
                return this.Consequences(c, t, b, period, d, key, now, actor) with { Accepted = true };
            }

            default:
                // The signal does not fit the current phase (e.g. a report that arrived after the deadline passed): ignored.
                AuditTrail.Append(c, t, new AuditEntry(key, now, actor, "assessment.signal-ignored", [subject], $"{s.Kind} for period {s.Period} does not fit phase {b.Phase} of period {b.Period}", null));
                return new AssessmentStep(false, false, false);
        }
    }

    private AssessmentStep Consequences(SqliteConnection c, SqliteTransaction t, BaseRow b, int period, AssessmentDecision d, string key, DateTimeOffset now, Actor actor)
    {
        DateOnly today = DistrictDates.DateOf(now);
        AppliedConsequence? revoke = d.Consequences.FirstOrDefault(x => x.Action == ConsequenceAction.Revoke);
        AssessmentStore.SetStanding(c, t, b.BaseId, d.After, today, revoke?.Clause, now);
        string subject = AuditTrail.Subject("base", b.BaseId);
        var to = new OutboxAddress(b.Email, b.Name);
        MailArgs args = RequestAssessmentReportActivity.Args(b, period, now);
        foreach (AppliedConsequence x in d.Consequences)
        {
            string k = $"{key}/{x.Action}";
            switch (x.Action)
            {
                case ConsequenceAction.Revoke:
                    var firms = AssessmentStore.Firms(c, t, b.BaseId);
                    Transitions.Record(c, t, this.notifier, k, now, actor, "base.revoked", [subject], x.Clause,
                        new { period, clause = x.Clause, textZh = x.TextZh, firmsAwaitingTakeover = firms.Count },
                        (AssessmentMail.Revoked, to, args with { Reason = $"{x.TextZh}（{x.Clause}）" }));
                    break;
                case ConsequenceAction.SuspendIntake:
                    Transitions.Record(c, t, this.notifier, k, now, actor, "base.intake-suspended", [subject], x.Clause, new { period, clause = x.Clause },
                        (AssessmentMail.IntakeSuspended, to, args));
                    break;
                case ConsequenceAction.ResumeIntake:
                    Transitions.Record(c, t, this.notifier, k, now, actor, "base.intake-resumed", [subject], x.Clause, new { period, clause = x.Clause },
                        (AssessmentMail.IntakeResumed, to, args));
                    break;
                default:
                    AuditTrail.Append(c, t, new AuditEntry(k, now, actor, x.Action == ConsequenceAction.ConferTitle ? "base.title-conferred" : "base.reward-eligible",
                        [subject], x.Clause, AuditTrail.ToDetails(new { period, programmeId = x.ProgrammeId, title = x.Title, clause = x.Clause })));
                    break;
            }
        }

        return new AssessmentStep(d.After.Revoked, false, true);
    }
}
