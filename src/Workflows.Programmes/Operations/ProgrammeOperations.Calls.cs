using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Operations;

/// <content>Calls: publish, close early, read.</content>
public sealed partial class ProgrammeOperations
{
    /// <summary>
    /// Publishes a call: records it with its settings (catalogue values where the text states them, the bureau's or
    /// the defaults elsewhere, each with its source) and starts its ProgrammeCall orchestration.
    /// </summary>
    /// <param name="request">The call.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The recorded call.</returns>
    /// <exception cref="ProgrammeValidationException">Unknown programme, a cycle the documents do not cover, a programme not in force, bad dates, budget or settings.</exception>
    /// <exception cref="ProgrammeConflictException">A published or open call of the same programme and cycle year overlaps the window.</exception>
    public async Task<CallRecord> PublishCallAsync(PublishCallRequest request, Actor actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireActor(actor);
        var programme = this.ProgrammeOrValidation(request.ProgrammeId);
        Require(this.services.Catalogue.CycleYearsOf(programme).Contains(request.CycleYear), "cycleYear",
            $"{request.CycleYear} is not a cycle year of {programme.Id} (covered: {string.Join(", ", this.services.Catalogue.CycleYearsOf(programme).Order())}).");
        Require(request.ClosesAt > request.OpensAt, "closesAt", "The window must close after it opens.");
        Require(request.ClosesAt > this.Now, "closesAt", $"The deadline {request.ClosesAt:O} has already passed.");
        var opensDay = DateOnly.FromDateTime(request.OpensAt.ToOffset(Notifications.MailTemplates.ChinaOffset).DateTime);
        var closesDay = DateOnly.FromDateTime(request.ClosesAt.ToOffset(Notifications.MailTemplates.ChinaOffset).DateTime);
        Require(this.services.Catalogue.IsInForce(programme, opensDay) && this.services.Catalogue.IsInForce(programme, closesDay), "opensAt",
            $"{programme.Id} is not in force for the whole window {opensDay:yyyy-MM-dd} – {closesDay:yyyy-MM-dd} (in force: {this.services.Catalogue.PeriodOf(programme)?.ToString() ?? "unknown"}).");
        Require(request.Budget > 0m && request.Budget == Money.Round(request.Budget), "budget", "The budget must be a positive amount in yuan with at most two decimals.");
        var settings = CallSettingsResolver.Resolve(programme, request.Settings);

        var call = this.services.Records.Transaction((c, t) =>
        {
            // Two calls of one programme and cycle year open at the same time are a double publish, not a 第二批:
            // the next batch is published once the earlier call has closed.
            if (Db.Scalar(c, t, """
                SELECT call_id || ' (' || status || ')' FROM calls
                WHERE programme_id = $p AND cycle_year = $y AND status IN ($published, $open) AND opens_at < $cl AND closes_at > $o
                ORDER BY call_id LIMIT 1;
                """,
                ("$p", programme.Id), ("$y", request.CycleYear), ("$published", nameof(CallStatus.Published)), ("$open", nameof(CallStatus.Open)),
                ("$o", Db.ToMs(request.OpensAt)), ("$cl", Db.ToMs(request.ClosesAt))) is string earlier)
            {
                throw new ProgrammeConflictException(
                    $"Call {earlier} of {programme.Id} cycle {request.CycleYear} is still accepting applications in an overlapping window; "
                    + "publish the next batch after it closes, or close it early first. To repeat a publish safely, send the same Idempotency-Key.");
            }

            var id = (long)Db.Scalar(c, t, """
                INSERT INTO calls (programme_id, cycle_year, opens_at, closes_at, budget_fen, settings_json, status, published_by, published_at, instance_id)
                VALUES ($p, $y, $o, $cl, $b, $s, $st, $by, $at, '') RETURNING call_id;
                """,
                ("$p", programme.Id), ("$y", request.CycleYear), ("$o", Db.ToMs(request.OpensAt)), ("$cl", Db.ToMs(request.ClosesAt)),
                ("$b", Db.ToFen(request.Budget)), ("$s", System.Text.Json.JsonSerializer.Serialize(settings, LifecycleStore.Json)),
                ("$st", nameof(CallStatus.Published)), ("$by", actor.Id), ("$at", Db.ToMs(this.Now)))!;
            Db.Execute(c, t, "UPDATE calls SET instance_id = $i WHERE call_id = $id;", ("$i", ProgrammeCallOrchestrator.InstanceIdOf(id)), ("$id", id));
            AuditTrail.Append(c, t, new AuditEntry($"call/{id}/published", this.Now, actor, "call.published",
                [AuditTrail.Subject("call", id), AuditTrail.Subject("programme", programme.Id)], null,
                AuditTrail.ToDetails(new { request.CycleYear, request.OpensAt, request.ClosesAt, request.Budget, settings })));
            return LifecycleStore.GetCall(c, t, id)!;
        });
        await this.client.ScheduleNewOrchestrationInstanceAsync(nameof(ProgrammeCallOrchestrator), new CallInput(call.CallId),
            new StartOrchestrationOptions(call.InstanceId), cancellation);
        return call;
    }

    /// <summary>Closes an open call before its deadline.</summary>
    /// <param name="callId">The call.</param>
    /// <param name="actor">The bureau officer.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when the request is queued.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call.</exception>
    /// <exception cref="ProgrammeConflictException">The call is not open.</exception>
    public async Task CloseCallEarlyAsync(long callId, Actor actor, string? reason = null, CancellationToken cancellation = default)
    {
        RequireActor(actor);
        var call = this.GetCall(callId);
        if (call.Status != CallStatus.Open)
        {
            throw new ProgrammeConflictException($"Call {callId} is {call.Status}, not open; only an open call can be closed early.");
        }

        await this.client.RaiseEventAsync(call.InstanceId, ProgrammeEvents.CloseEarly, new CallCloseEvent(actor.Id, reason), cancellation);
    }

    /// <summary>Reads a call.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The call.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call.</exception>
    public CallRecord GetCall(long callId) =>
        this.services.Records.Read(c => LifecycleStore.GetCall(c, null, callId)) ?? throw new ProgrammeNotFoundException("call", Id(callId));

    /// <summary>Lists calls, newest first, optionally of one programme.</summary>
    /// <param name="programmeId">The programme, or null for all.</param>
    /// <returns>The calls.</returns>
    public IReadOnlyList<CallRecord> ListCalls(string? programmeId = null) =>
        this.services.Records.Read(c => Db.Query(c, null, "SELECT call_id FROM calls WHERE $p IS NULL OR programme_id = $p ORDER BY call_id DESC;",
            r => r.GetInt64(0), ("$p", programmeId)).Select(id => LifecycleStore.GetCall(c, null, id)!).ToList());

    /// <summary>Counts of a call's applications by status and its budget use.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="ProgrammeNotFoundException">No such call.</exception>
    public CallProgress GetCallProgress(long callId) =>
        this.services.Records.Read(c => CallQueries.Progress(c, null, callId)) ?? throw new ProgrammeNotFoundException("call", Id(callId));
}

/// <summary>Resolves a call's settings from the catalogue, the bureau's input and the defaults.</summary>
public static class CallSettingsResolver
{
    /// <summary>Resolves and validates the settings.</summary>
    /// <param name="programme">The programme.</param>
    /// <param name="input">The bureau's settings, or null.</param>
    /// <returns>The settings with their sources.</returns>
    /// <exception cref="ProgrammeValidationException">A value is out of range, or contradicts what the catalogue states.</exception>
    public static CallSettings Resolve(Programme programme, CallSettingsInput? input)
    {
        ArgumentNullException.ThrowIfNull(programme);
        input ??= new CallSettingsInput();
        var d = CallSettings.Defaults;
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        T Pick<T>(string name, T? given, T fallback)
            where T : struct
        {
            sources[name] = given is null ? "default" : "bureau";
            return given ?? fallback;
        }

        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors[field] = [message];
            }
        }

        var panel = Pick(nameof(CallSettings.PanelSize), input.PanelSize, d.PanelSize);
        Check(panel is >= 1 and <= 15, "settings.panelSize", "The panel size must be between 1 and 15.");
        var threshold = Pick(nameof(CallSettings.ScoreThreshold), input.ScoreThreshold, d.ScoreThreshold);
        Check(threshold is >= 0m and <= 100m, "settings.scoreThreshold", "The score threshold must be between 0 and 100.");
        var aggregation = Pick(nameof(CallSettings.Aggregation), input.Aggregation, d.Aggregation);
        Check(Enum.IsDefined(aggregation), "settings.aggregation", "Unknown aggregation rule.");
        var reviewDays = Pick(nameof(CallSettings.ReviewDays), input.ReviewDays, d.ReviewDays);
        Check(reviewDays is >= 1 and <= 90, "settings.reviewDays", "Expert review days must be between 1 and 90.");
        var lead = Pick(nameof(CallSettings.ReminderLeadDays), input.ReminderLeadDays, d.ReminderLeadDays);
        Check(lead >= 0 && lead < reviewDays, "settings.reminderLeadDays", "The reminder lead must be at least 0 and shorter than the review days.");
        var supplementDays = Pick(nameof(CallSettings.SupplementDays), input.SupplementDays, d.SupplementDays);
        Check(supplementDays is >= 1 and <= 60, "settings.supplementDays", "Supplement days must be between 1 and 60.");
        var supplementKind = Pick(nameof(CallSettings.SupplementDayKind), input.SupplementDayKind, d.SupplementDayKind);

        var noticeStage = programme.Stages.FirstOrDefault(s => s.Kind == StageKind.PublicNotice);
        int noticeDays;
        DayKind noticeKind;
        if (noticeStage?.Duration is { } duration)
        {
            Check(input.NoticeDays is null || input.NoticeDays == duration.Value, "settings.noticeDays", $"The catalogue states a 公示 of {duration} ({noticeStage.Citation}).");
            Check(input.NoticeDayKind is null || input.NoticeDayKind == duration.Days, "settings.noticeDayKind", $"The catalogue states a 公示 of {duration} ({noticeStage.Citation}).");
            noticeDays = duration.Value;
            noticeKind = duration.Days;
            sources[nameof(CallSettings.NoticeDays)] = $"catalogue: {noticeStage.Citation}";
            sources[nameof(CallSettings.NoticeDayKind)] = $"catalogue: {noticeStage.Citation}";
        }
        else
        {
            noticeDays = Pick(nameof(CallSettings.NoticeDays), input.NoticeDays, d.NoticeDays);
            noticeKind = Pick(nameof(CallSettings.NoticeDayKind), input.NoticeDayKind, d.NoticeDayKind);
        }

        Check(noticeDays is >= 1 and <= 60, "settings.noticeDays", "The 公示 length must be between 1 and 60 days.");
        if (input.NoticeStart is not null)
        {
            sources[nameof(CallSettings.NoticeStart)] = "bureau";
        }

        var expertStage = programme.Stages.FirstOrDefault(s => s.Kind == StageKind.Expert);
        bool expert;
        if (expertStage is not null)
        {
            Check(input.ExpertReview is not false, "settings.expertReview", $"The catalogue names a 专家评审 ({expertStage.Citation}); it cannot be skipped.");
            expert = true;
            sources[nameof(CallSettings.ExpertReview)] = $"catalogue: {expertStage.Citation}";
        }
        else
        {
            expert = Pick(nameof(CallSettings.ExpertReview), input.ExpertReview, d.ExpertReview);
        }

        var financialStage = programme.Stages.FirstOrDefault(s => s.Kind == StageKind.Financial);
        bool financial;
        if (financialStage is not null)
        {
            Check(input.FinancialReview is not false, "settings.financialReview", $"The catalogue names a 财务评审 ({financialStage.Citation}); it cannot be skipped.");
            financial = true;
            sources[nameof(CallSettings.FinancialReview)] = $"catalogue: {financialStage.Citation}";
        }
        else
        {
            financial = Pick(nameof(CallSettings.FinancialReview), input.FinancialReview, d.FinancialReview);
        }

        if (errors.Count > 0)
        {
            throw new ProgrammeValidationException(errors);
        }

        return new CallSettings
        {
            PanelSize = panel,
            ScoreThreshold = threshold,
            Aggregation = aggregation,
            ReviewDays = reviewDays,
            ReminderLeadDays = lead,
            SupplementDays = supplementDays,
            SupplementDayKind = supplementKind,
            NoticeDays = noticeDays,
            NoticeDayKind = noticeKind,
            NoticeStart = input.NoticeStart,
            ExpertReview = expert,
            FinancialReview = financial,
            Sources = sources,
        };
    }
}
