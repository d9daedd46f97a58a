using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Assessments;

/// <summary>A request to recognise a base and start its periodic assessment.</summary>
/// <param name="BaseId">Stable id chosen by the bureau (letters, digits, '-', '_').</param>
/// <param name="Kind">Base kind: one of <see cref="AssessmentSchemes"/>'s kinds.</param>
/// <param name="Name">Name of the base (e.g. 平谷区XX中试基地).</param>
/// <param name="Email">Where the base's operator receives mail.</param>
/// <param name="RecognisedOn">Date of recognition; periods run from it.</param>
/// <param name="ReportDays">Natural days after a period ends to submit the report; the texts are silent, default 30 (the bureau's setting, recorded with the base).</param>
/// <param name="Configuration">The bureau's scheme for a kind whose text sets none (003 高层次人才工作室); must be null for the others.</param>
public sealed record RecogniseBaseRequest(
    string BaseId,
    string Kind,
    string Name,
    string Email,
    DateOnly RecognisedOn,
    int? ReportDays = null,
    AssessmentConfiguration? Configuration = null);

/// <summary>A grade given by the bureau.</summary>
/// <param name="Period">The period graded.</param>
/// <param name="Grade">Grade code (e.g. <c>fail</c>).</param>
/// <param name="Reason">Why; recorded in the audit trail.</param>
/// <param name="Title">For a grade that confers a title (001 四(十一)): the title, e.g. 营商环境示范园区.</param>
public sealed record GradeRequest(int Period, string Grade, string? Reason = null, string? Title = null);

/// <summary>An accident report (003 平谷区中试基地管理办法 二4).</summary>
/// <param name="Reference">The accident's reference number (idempotency: the same reference twice is one accident).</param>
/// <param name="Kind"><c>safety</c> or <c>environmental</c>.</param>
/// <param name="DueToPoorManagement">The finding that poor management (管理不善) caused it.</param>
/// <param name="Description">What happened.</param>
public sealed record AccidentReport(string Reference, string Kind, bool DueToPoorManagement, string Description);

/// <summary>One assessment period as the API shows it.</summary>
/// <param name="Period">Number, from 1.</param>
/// <param name="StartsOn">First day.</param>
/// <param name="EndsOn">The day after the last day (the report is asked for on it).</param>
/// <param name="ReportDueOn">Last day to report.</param>
/// <param name="ReportReceivedAt">When the report came.</param>
/// <param name="Outcome"><c>graded</c>, <c>excused</c>, <c>no-show</c> or null while open.</param>
/// <param name="Grade">The grade code.</param>
/// <param name="Consequences">The consequences applied, with clauses.</param>
public sealed record AssessmentPeriodView(int Period, DateOnly StartsOn, DateOnly EndsOn, DateOnly? ReportDueOn, DateTimeOffset? ReportReceivedAt, string? Outcome, string? Grade, IReadOnlyList<AppliedConsequence> Consequences);

/// <summary>A recognised base as the API shows it.</summary>
/// <param name="BaseId">Id.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Name">Name.</param>
/// <param name="Status"><c>active</c>, <c>suspended</c> (intake suspended) or <c>revoked</c>.</param>
/// <param name="Phase"><c>in-period</c>, <c>awaiting-report</c>, <c>awaiting-grade</c> or <c>ended</c>.</param>
/// <param name="Period">Current period.</param>
/// <param name="ConsecutiveFails">Failed grades in a row.</param>
/// <param name="IntakeSuspended">Intake of new firms suspended.</param>
/// <param name="RevokedOn">Date of revocation.</param>
/// <param name="RevocationClause">The clause that revoked it.</param>
/// <param name="ReportDays">The bureau's report deadline setting.</param>
/// <param name="Scheme">The scheme.</param>
/// <param name="Periods">The periods so far.</param>
/// <param name="Firms">Firms registered in the base (集群注册区).</param>
/// <param name="SuccessorBaseId">The zone that took over its firms after revocation.</param>
public sealed record BaseView(
    string BaseId,
    string Kind,
    string Name,
    string Status,
    string Phase,
    int Period,
    int ConsecutiveFails,
    bool IntakeSuspended,
    DateOnly? RevokedOn,
    string? RevocationClause,
    int ReportDays,
    AssessmentScheme Scheme,
    IReadOnlyList<AssessmentPeriodView> Periods,
    IReadOnlyList<string> Firms,
    string? SuccessorBaseId);

/// <summary>
/// The host's entry point for recognised bases: recognition (which starts the eternal assessment), reports, grades,
/// accidents, rectifications and the firms of cluster zones. Every call validates first and changes nothing when it
/// throws <see cref="ProgrammeNotFoundException"/>, <see cref="ProgrammeConflictException"/> or <see cref="ProgrammeValidationException"/>.
/// </summary>
/// <param name="services">Records, notification port and clock.</param>
/// <param name="client">The durable client.</param>
public sealed class BaseOperations(ProgrammeServices services, DurableTaskClient client)
{
    private readonly ProgrammeRecords records = services.Records;
    private readonly Notifications.INotificationPort notifier = services.Notifications;
    private readonly TimeProvider time = services.Time;

    /// <summary>Recognises a base and starts its periodic assessment (instance <c>assessment-{baseId}</c>).</summary>
    /// <param name="request">The request.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The base.</returns>
    public async Task<BaseView> RecogniseAsync(RecogniseBaseRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        AssessmentScheme scheme = ValidateRecognition(request);
        int reportDays = request.ReportDays ?? DefaultReportDays;
        DateTimeOffset now = this.time.GetUtcNow();
        bool created = this.records.Transaction((c, t) =>
        {
            if (AssessmentStore.Get(c, t, request.BaseId) is { } existing)
            {
                if (existing.Kind != request.Kind || existing.RecognisedOn != request.RecognisedOn)
                {
                    throw new ProgrammeConflictException($"Base '{request.BaseId}' is already recognised as {existing.Kind} from {existing.RecognisedOn:yyyy-MM-dd}.");
                }

                return false;
            }

            AssessmentStore.Insert(c, t, request.BaseId, request.Kind, request.Name.Trim(), request.Email.Trim(), request.RecognisedOn, scheme, reportDays, now);
            Transitions.Record(
                c, t, this.notifier, $"base/{request.BaseId}/recognised", now, actor, "base.recognised", [AuditTrail.Subject("base", request.BaseId)], scheme.Source,
                new { kind = request.Kind, recognisedOn = request.RecognisedOn, reportDays, reportDaysSource = request.ReportDays is null ? "default (texts silent)" : "bureau", scheme.ConfiguredByBureau },
                (AssessmentMail.Recognised, new OutboxAddress(request.Email.Trim(), request.Name.Trim()),
                    new Notifications.MailArgs { RecipientName = request.Name, ProgrammeTitle = scheme.TitleZh, Reference = request.Name, Date = DistrictDates.StartOfDayUtc(request.RecognisedOn) }));
            return true;
        });

        string instanceId = AnnualAssessmentOrchestrator.InstanceId(request.BaseId);
        if (created || await client.GetInstanceAsync(instanceId, cancellation) is null)
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(AnnualAssessmentOrchestrator.Name, new AssessmentInput(request.BaseId, 1), new StartOrchestrationOptions(instanceId), cancellation);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Started by an earlier, interrupted call: nothing more to do.
            }
        }

        return this.Get(request.BaseId);
    }

    /// <summary>The default report deadline: 30 natural days after a period ends (no text sets one).</summary>
    public const int DefaultReportDays = 30;

    /// <summary>Gets a base.</summary>
    /// <param name="baseId">The base.</param>
    /// <returns>The base.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such base.</exception>
    public BaseView Get(string baseId) => this.records.Read(c =>
    {
        BaseRow b = AssessmentStore.Get(c, null, baseId) ?? throw new ProgrammeNotFoundException("base", baseId);
        return new BaseView(
            b.BaseId, b.Kind, b.Name, b.Status, b.Phase, b.Period, b.Standing.ConsecutiveFails, b.Standing.IntakeSuspended, b.RevokedOn, b.RevocationClause,
            b.ReportDays, b.Scheme,
            AssessmentStore.Periods(c, null, baseId).Select(p => new AssessmentPeriodView(p.Period, p.StartsOn, p.EndsOn, p.ReportDueOn, p.ReportAt, p.Outcome, p.GradeCode, p.Consequences)).ToList(),
            AssessmentStore.Firms(c, null, baseId).Select(f => f.FirmId).ToList(),
            b.SuccessorBaseId);
    });

    /// <summary>Submits the current period's report.</summary>
    /// <param name="baseId">The base.</param>
    /// <param name="period">The period.</param>
    /// <param name="summary">The report's summary or document reference.</param>
    /// <param name="actor">The base's operator.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task SubmitReportAsync(string baseId, int period, string summary, Actor actor, CancellationToken cancellation = default)
    {
        Require(!string.IsNullOrWhiteSpace(summary), "summary", "the report needs a summary or a document reference");
        BaseRow b = this.Current(baseId, period, BasePhase.AwaitingReport, "submit a report");
        return this.SignalAsync(b, new AssessmentSignal(AssessmentSignalKind.ReportSubmitted, $"report-{period}", period, actor.Id, actor.Role, Text: summary.Trim()), cancellation);
    }

    /// <summary>Accepts the base's cause for not taking part this period: the period does not count.</summary>
    /// <param name="baseId">The base.</param>
    /// <param name="period">The period.</param>
    /// <param name="reason">The accepted cause.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task ExcuseAbsenceAsync(string baseId, int period, string reason, Actor actor, CancellationToken cancellation = default)
    {
        Require(!string.IsNullOrWhiteSpace(reason), "reason", "an excused absence needs the cause accepted");
        BaseRow b = this.Current(baseId, period, BasePhase.AwaitingReport, "excuse the absence");
        return this.SignalAsync(b, new AssessmentSignal(AssessmentSignalKind.AbsenceExcused, $"excuse-{period}", period, actor.Id, actor.Role, Text: reason.Trim()), cancellation);
    }

    /// <summary>Grades the current period.</summary>
    /// <param name="baseId">The base.</param>
    /// <param name="request">The grade.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task GradeAsync(string baseId, GradeRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        BaseRow b = this.Find(baseId);
        AssessmentGrade? grade = b.Scheme.FindGrade(request.Grade);
        Require(grade is not null, "grade", $"'{request.Grade}' is not a grade of {b.Kind}; use one of {string.Join(", ", b.Scheme.Grades.Select(g => $"{g.Code} ({g.LabelZh})"))}");
        ConsequenceRule? titleRule = grade!.Standing == GradeStanding.Outstanding ? b.Scheme.Rules.FirstOrDefault(r => r.Action == ConsequenceAction.ConferTitle) : null;
        bool confersTitle = titleRule is not null;
        Require(!confersTitle || !string.IsNullOrWhiteSpace(request.Title), "title", $"grade '{grade.Code}' confers a title ({titleRule?.Clause}); name it, e.g. {string.Join(" or ", AssessmentSchemes.ParkTitles)}");
        Require(confersTitle || request.Title is null, "title", $"grade '{grade.Code}' of {b.Kind} confers no title");
        this.Current(baseId, request.Period, BasePhase.AwaitingGrade, "grade the period");
        return this.SignalAsync(b, new AssessmentSignal(AssessmentSignalKind.Graded, $"grade-{request.Period}", request.Period, actor.Id, actor.Role, grade.Code, request.Title?.Trim(), request.Reason), cancellation);
    }

    /// <summary>Records an accident; under 003 中试基地 二4 one caused by poor management revokes the filing.</summary>
    /// <param name="baseId">The base.</param>
    /// <param name="report">The accident.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task ReportAccidentAsync(string baseId, AccidentReport report, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        Require(!string.IsNullOrWhiteSpace(report.Reference), "reference", "an accident needs its reference number");
        Require(report.Kind is "safety" or "environmental", "kind", $"'{report.Kind}' is not an accident kind; use safety (安全事故) or environmental (环保事故)");
        Require(!string.IsNullOrWhiteSpace(report.Description), "description", "describe the accident");
        BaseRow b = this.Find(baseId);
        if (b.Standing.Revoked)
        {
            throw new ProgrammeConflictException($"Base '{baseId}' was revoked on {b.RevokedOn:yyyy-MM-dd}.");
        }

        string text = $"{(report.Kind == "safety" ? "安全事故" : "环保事故")} {report.Reference}：{report.Description.Trim()}";
        return this.SignalAsync(b, new AssessmentSignal(AssessmentSignalKind.Accident, $"accident-{report.Reference.Trim()}", b.Period, actor.Id, actor.Role, Text: text, DueToPoorManagement: report.DueToPoorManagement), cancellation);
    }

    /// <summary>Certifies the rectification of a zone whose intake is suspended (整改合格经相关部门认定): intake resumes.</summary>
    /// <param name="baseId">The base.</param>
    /// <param name="reason">The certification.</param>
    /// <param name="actor">The officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task CertifyRectificationAsync(string baseId, string reason, Actor actor, CancellationToken cancellation = default)
    {
        Require(!string.IsNullOrWhiteSpace(reason), "reason", "name the certification (认定)");
        BaseRow b = this.Find(baseId);
        if (!b.Standing.IntakeSuspended || b.Standing.Revoked)
        {
            throw new ProgrammeConflictException($"Base '{baseId}' is {b.Status}: only a base whose intake is suspended can be certified as rectified.");
        }

        return this.SignalAsync(b, new AssessmentSignal(AssessmentSignalKind.RectificationCertified, $"rectified-{b.Period}", b.Period, actor.Id, actor.Role, Text: reason.Trim()), cancellation);
    }

    /// <summary>Registers a firm in a cluster zone; refused while its intake is suspended (003 集群注册区 二(五)).</summary>
    /// <param name="baseId">The zone.</param>
    /// <param name="firmId">The firm's id.</param>
    /// <param name="firmName">The firm's name.</param>
    /// <param name="actor">The zone's officer.</param>
    public void RegisterFirm(string baseId, string firmId, string firmName, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Require(!string.IsNullOrWhiteSpace(firmId), "firmId", "a firm id is required");
        Require(!string.IsNullOrWhiteSpace(firmName), "firmName", "a firm name is required");
        DateTimeOffset now = this.time.GetUtcNow();
        this.records.Transaction((c, t) =>
        {
            BaseRow b = AssessmentStore.Get(c, t, baseId) ?? throw new ProgrammeNotFoundException("base", baseId);
            Require(b.Scheme.HasIntake, "baseId", $"base '{baseId}' ({b.Kind}) does not register firms");
            if (b.Standing.Revoked || b.Standing.IntakeSuspended)
            {
                throw new ProgrammeConflictException(b.Standing.Revoked
                    ? $"Zone '{baseId}' was revoked on {b.RevokedOn:yyyy-MM-dd}; it admits no firms."
                    : $"Zone '{baseId}' may not admit new firms: intake is suspended after a failed assessment until its rectification is certified (003 平谷区招商引资企业集群注册区管理办法 二(五)).");
            }

            if (Db.Execute(c, t, "INSERT OR IGNORE INTO base_firms (base_id, firm_id, name, joined_at) VALUES ($b, $f, $n, $at);",
                ("$b", baseId), ("$f", firmId.Trim()), ("$n", firmName.Trim()), ("$at", Db.ToMs(now))) == 1)
            {
                AuditTrail.Append(c, t, new AuditEntry($"base/{baseId}/firm/{firmId.Trim()}", now, actor, "base.firm-registered", [AuditTrail.Subject("base", baseId), AuditTrail.Subject("party", firmId.Trim())], null, null));
            }
        });
    }

    /// <summary>Moves the firms of a revoked zone to the zone that takes them over (其入区企业由其它招商引资企业集群注册区接管).</summary>
    /// <param name="revokedBaseId">The revoked zone.</param>
    /// <param name="successorBaseId">The zone taking over.</param>
    /// <param name="actor">The officer.</param>
    /// <returns>The number of firms moved.</returns>
    public int TransferFirms(string revokedBaseId, string successorBaseId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        DateTimeOffset now = this.time.GetUtcNow();
        return this.records.Transaction((c, t) =>
        {
            BaseRow from = AssessmentStore.Get(c, t, revokedBaseId) ?? throw new ProgrammeNotFoundException("base", revokedBaseId);
            BaseRow to = AssessmentStore.Get(c, t, successorBaseId) ?? throw new ProgrammeNotFoundException("base", successorBaseId);
            if (!from.Standing.Revoked)
            {
                throw new ProgrammeConflictException($"Zone '{revokedBaseId}' is {from.Status}; its firms move only after it is revoked.");
            }

            if (to.Kind != from.Kind || to.Standing.Revoked || to.BaseId == from.BaseId)
            {
                throw new ProgrammeConflictException($"Zone '{successorBaseId}' ({to.Kind}, {to.Status}) cannot take over the firms of '{revokedBaseId}': it must be another active zone of the same kind.");
            }

            var firms = AssessmentStore.Firms(c, t, revokedBaseId);
            Db.Execute(c, t, "INSERT OR IGNORE INTO base_firms (base_id, firm_id, name, joined_at) SELECT $to, firm_id, name, $at FROM base_firms WHERE base_id = $from;",
                ("$to", successorBaseId), ("$from", revokedBaseId), ("$at", Db.ToMs(now)));
            Db.Execute(c, t, "DELETE FROM base_firms WHERE base_id = $from;", ("$from", revokedBaseId));
            Db.Execute(c, t, "UPDATE assessment_bases SET successor_base_id = $to, updated_at = $at WHERE base_id = $from;", ("$to", successorBaseId), ("$from", revokedBaseId), ("$at", Db.ToMs(now)));
            var args = new Notifications.MailArgs { ProgrammeTitle = from.Scheme.TitleZh, Reference = from.Name, Reason = to.Name, Date = now, Lines = firms.Select(f => f.Name).ToList() };
            Transitions.Record(
                c, t, this.notifier, $"base/{revokedBaseId}/taken-over/{successorBaseId}", now, actor, "base.firms-taken-over",
                [AuditTrail.Subject("base", revokedBaseId), AuditTrail.Subject("base", successorBaseId)], "003 平谷区招商引资企业集群注册区管理办法 二(五)",
                new { firms = firms.Select(f => f.FirmId).ToList() },
                (AssessmentMail.FirmsTakenOver, new OutboxAddress(to.Email, to.Name), args with { RecipientName = to.Name }),
                (AssessmentMail.FirmsTakenOver, new OutboxAddress(from.Email, from.Name), args with { RecipientName = from.Name }));
            return firms.Count;
        });
    }

    private static AssessmentScheme ValidateRecognition(RecogniseBaseRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.BaseId) || r.BaseId.Length > 100 || !r.BaseId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            errors["baseId"] = ["use 1–100 letters, digits, '-' or '_'"];
        }

        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors["name"] = ["a name is required"];
        }

        if (string.IsNullOrWhiteSpace(r.Email) || !r.Email.Contains('@', StringComparison.Ordinal) || r.Email.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            errors["email"] = ["a valid email address is required"];
        }

        if (r.ReportDays is < 1 or > 365)
        {
            errors["reportDays"] = ["must be between 1 and 365 natural days"];
        }

        AssessmentScheme? scheme = null;
        if (AssessmentSchemes.Find(r.Kind) is { } known)
        {
            scheme = known;
            if (r.Configuration is not null)
            {
                errors["configuration"] = [$"{r.Kind}'s assessment is set by {known.Source}; it takes no configuration"];
            }
        }
        else if (AssessmentSchemes.BureauConfiguredKinds.Contains(r.Kind))
        {
            if (r.Configuration is null)
            {
                errors["configuration"] = [$"{r.Kind}: the text calls for supervision but sets no period, grade or consequence; the bureau must supply them (periodMonths, grades)"];
            }
            else
            {
                try
                {
                    scheme = AssessmentSchemes.Configured(r.Kind, r.Configuration);
                }
                catch (ArgumentException e)
                {
                    errors["configuration"] = [e.Message.Split(" (Parameter", 2)[0]];
                }
            }
        }
        else
        {
            errors["kind"] = [$"'{r.Kind}' is not a base kind; use one of {string.Join(", ", AssessmentSchemes.All.Select(s => s.Kind).Concat(AssessmentSchemes.BureauConfiguredKinds))}"];
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        return scheme!;
    }

    private static void Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new ProgrammeValidationException(field, message);
        }
    }

    private BaseRow Find(string baseId) =>
        this.records.Read(c => AssessmentStore.Get(c, null, baseId)) ?? throw new ProgrammeNotFoundException("base", baseId);

    private BaseRow Current(string baseId, int period, string phase, string what)
    {
        BaseRow b = this.Find(baseId);
        if (b.Standing.Revoked)
        {
            throw new ProgrammeConflictException($"Base '{baseId}' was revoked on {b.RevokedOn:yyyy-MM-dd}; cannot {what}.");
        }

        if (b.Period != period || b.Phase != phase)
        {
            throw new ProgrammeConflictException($"Cannot {what} for period {period} of base '{baseId}': it is in period {b.Period}, {b.Phase}.");
        }

        return b;
    }

    private Task SignalAsync(BaseRow b, AssessmentSignal signal, CancellationToken cancellation) =>
        client.RaiseEventAsync(AnnualAssessmentOrchestrator.InstanceId(b.BaseId), AnnualAssessmentOrchestrator.SignalEvent, signal, cancellation);
}
