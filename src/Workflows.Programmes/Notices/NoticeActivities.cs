using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Notices;

/// <summary>
/// Opens the 公示 of a call's awards: computes its days (natural, or working days by the PRC calendar) from the
/// start date, lists every awarded application and mails each applicant. Idempotent.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class OpenNoticeActivity(ProgrammeServices services) : TaskActivity<NoticeInputAt, NoticeInfo>
{
    /// <inheritdoc/>
    public override Task<NoticeInfo> RunAsync(TaskActivityContext context, NoticeInputAt input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var key = $"call/{input.CallId}/notice";
            if (!LifecycleStore.Once(c, t, key, input.At))
            {
                return LifecycleStore.LoadResult<NoticeInfo>(c, t, key)!;
            }

            var settings = input.Settings;
            var today = DateOnly.FromDateTime(input.At.ToOffset(MailTemplates.ChinaOffset).DateTime);
            var start = settings.NoticeStart is { } s && s > today ? s : today.AddDays(1);
            var last = NoticePeriod.LastDay(services.Calendar, start, settings.NoticeDays, settings.NoticeDayKind);
            var startsAt = NoticePeriod.StartOfChinaDay(start);
            var endsAt = NoticePeriod.StartOfChinaDay(last.AddDays(1));
            var noticeId = (long)Db.Scalar(c, t, """
                INSERT INTO notices (call_id, starts_at, ends_at, length_days, day_kind, clause, status, opened_at)
                VALUES ($c, $s, $e, $n, $k, $clause, 'running', $at) RETURNING notice_id;
                """, ("$c", input.CallId), ("$s", Db.ToMs(startsAt)), ("$e", Db.ToMs(endsAt)), ("$n", settings.NoticeDays), ("$k", settings.NoticeDayKind.ToString()),
                ("$clause", settings.Sources.TryGetValue(nameof(CallSettings.NoticeDays), out var src) ? src : null), ("$at", Db.ToMs(input.At)))!;
            var apps = LifecycleStore.ApplicationsOfCall(c, t, input.CallId, ApplicationStatus.Awarded);
            foreach (var app in apps)
            {
                Db.Execute(c, t, """
                    INSERT OR IGNORE INTO notice_entries (application_id, notice_id, applicant_id, amount_fen, status) VALUES ($a, $n, $p, $f, 'listed');
                    """, ("$a", app.ApplicationId), ("$n", noticeId), ("$p", app.ApplicantId), ("$f", Db.ToFen(app.Award ?? 0m)));
                LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Noticed, input.At);
                var appKey = $"application/{app.ApplicationId}/noticed";
                LifecycleStore.AddDecision(c, t, appKey, app.ApplicationId, "notice", "listed", Actor.System, input.At, null,
                    AuditTrail.ToDetails(new { noticeId, startsAt, endsAt, amount = app.Award }));
                LifecycleStore.AuditApplication(c, t, app, appKey, input.At, Actor.System, "application.notice.listed", null, new { noticeId, amount = app.Award });
                LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.AwardProposed, appKey, input.At,
                    new MailArgs { Amount = app.Award, Date = startsAt, EndDate = endsAt });
            }

            AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "notice.opened",
                [AuditTrail.Subject("call", input.CallId), AuditTrail.Subject("notice", noticeId)], null,
                AuditTrail.ToDetails(new { startsAt, endsAt, days = settings.NoticeDays, dayKind = settings.NoticeDayKind.ToString(), entries = apps.Count })));
            var info = new NoticeInfo(noticeId, startsAt, endsAt, apps.Count);
            LifecycleStore.SaveResult(c, t, key, info);
            return info;
        }));
    }
}

/// <summary>Input of <see cref="OpenNoticeActivity"/>.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record NoticeInputAt(long CallId, CallSettings Settings, DateTimeOffset At);

/// <summary>
/// Applies a bureau decision on an objection: upheld removes the entry (the applicant is told why); dismissed
/// returns the entry to the list — or, when the notice has ended and no other objection is open, lets it pass.
/// Returns the number of entries still held. Idempotent (a decided objection is not decided again).
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class DecideObjectionActivity(ProgrammeServices services) : TaskActivity<DecideObjectionInput, int>
{
    /// <inheritdoc/>
    public override Task<int> RunAsync(TaskActivityContext context, DecideObjectionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var d = input.Decision;
            var row = Db.Query(c, t, "SELECT application_id, status FROM objections WHERE objection_id = $o AND notice_id = $n;",
                r => (App: r.GetInt64(0), Status: r.GetString(1)), ("$o", d.ObjectionId), ("$n", input.NoticeId)).FirstOrDefault();
            if (row.App == 0 || row.Status != "open")
            {
                return NoticeStore.HeldCount(c, t, input.NoticeId);
            }

            var app = LifecycleStore.GetApplication(c, t, row.App)!;
            var actor = new Actor(d.ActorId, "bureau");
            var key = string.Create(CultureInfo.InvariantCulture, $"objection/{d.ObjectionId}/decided");
            Db.Execute(c, t, "UPDATE objections SET status = $s, decided_by = $by, decided_at = $at, decision_reason = $r WHERE objection_id = $o;",
                ("$s", d.Upheld ? "upheld" : "dismissed"), ("$by", d.ActorId), ("$at", Db.ToMs(input.At)), ("$r", d.Reason), ("$o", d.ObjectionId));
            var subjects = new[] { AuditTrail.Subject("objection", d.ObjectionId), AuditTrail.Subject("notice", input.NoticeId), AuditTrail.Subject("application", app.ApplicationId), AuditTrail.Subject("party", app.ApplicantId) };
            AuditTrail.Append(c, t, new AuditEntry(key, input.At, actor, d.Upheld ? "notice.objection.upheld" : "notice.objection.dismissed", subjects, d.Reason));
            var entryStatus = Db.Scalar(c, t, "SELECT status FROM notice_entries WHERE application_id = $a;", ("$a", app.ApplicationId)) as string;
            if (d.Upheld)
            {
                if (entryStatus != "removed")
                {
                    Db.Execute(c, t, "UPDATE notice_entries SET status = 'removed', decided_at = $at WHERE application_id = $a;", ("$at", Db.ToMs(input.At)), ("$a", app.ApplicationId));
                    LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Removed, input.At);
                    Db.Execute(c, t, "UPDATE instalment_plans SET status = 'cancelled', reason = $r, decided_at = $at WHERE application_id = $a AND status = 'scheduled';",
                        ("$r", d.Reason), ("$at", Db.ToMs(input.At)), ("$a", app.ApplicationId));
                    LifecycleStore.AddDecision(c, t, key, app.ApplicationId, "notice", "removed", actor, input.At, d.Reason, null);
                    LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.ObjectionUpheld, key, input.At, new MailArgs { Reason = d.Reason });
                }
            }
            else if (entryStatus == "held" && !NoticeStore.HasOpenObjection(c, t, app.ApplicationId))
            {
                var ended = (Db.Scalar(c, t, "SELECT status FROM notices WHERE notice_id = $n;", ("$n", input.NoticeId)) as string) != "running";
                LifecycleStore.AddDecision(c, t, key, app.ApplicationId, "notice", "objection-dismissed", actor, input.At, d.Reason, null);
                LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.ObjectionDismissed, key, input.At, new MailArgs { Reason = d.Reason });
                if (ended)
                {
                    NoticeStore.Pass(services, c, t, app, input.At);
                }
                else
                {
                    Db.Execute(c, t, "UPDATE notice_entries SET status = 'listed' WHERE application_id = $a;", ("$a", app.ApplicationId));
                    LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Noticed, input.At);
                }
            }

            return NoticeStore.HeldCount(c, t, input.NoticeId);
        }));
    }
}

/// <summary>
/// Ends the 公示 at its last moment: from now on objections are refused; every entry without an open objection
/// passes (the applicant is told), held entries wait for the bureau. Returns the number held. Idempotent.
/// </summary>
/// <param name="services">The programme services.</param>
public sealed class CloseNoticeActivity(ProgrammeServices services) : TaskActivity<CloseNoticeInput, int>
{
    /// <inheritdoc/>
    public override Task<int> RunAsync(TaskActivityContext context, CloseNoticeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"notice/{input.NoticeId}/ended");
            if (LifecycleStore.Once(c, t, key, input.At))
            {
                Db.Execute(c, t, "UPDATE notices SET status = 'ended' WHERE notice_id = $n AND status = 'running';", ("$n", input.NoticeId));
                var listed = Db.Query(c, t, "SELECT application_id FROM notice_entries WHERE notice_id = $n AND status = 'listed' ORDER BY application_id;",
                    r => r.GetInt64(0), ("$n", input.NoticeId));
                foreach (var id in listed)
                {
                    NoticeStore.Pass(services, c, t, LifecycleStore.GetApplication(c, t, id)!, input.At);
                }

                AuditTrail.Append(c, t, new AuditEntry(key, input.At, Actor.System, "notice.ended", [AuditTrail.Subject("notice", input.NoticeId)], null,
                    AuditTrail.ToDetails(new { passed = listed.Count, held = NoticeStore.HeldCount(c, t, input.NoticeId) })));
            }

            return NoticeStore.HeldCount(c, t, input.NoticeId);
        }));
    }
}

/// <summary>Dates of a 公示.</summary>
public static class NoticePeriod
{
    /// <summary>The last day of a notice of <paramref name="days"/> days starting on <paramref name="start"/>.</summary>
    /// <param name="calendar">The working-day calendar.</param>
    /// <param name="start">The first day.</param>
    /// <param name="days">The length.</param>
    /// <param name="kind">Natural days, or working days (the first working day on or after the start counts as day one).</param>
    /// <returns>The last day.</returns>
    /// <exception cref="CalendarDataMissingException">Working days reach a year without published holiday data.</exception>
    public static DateOnly LastDay(WorkingDayCalendar calendar, DateOnly start, int days, DayKind kind)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return kind == DayKind.Working ? calendar.AddWorkingDays(start.AddDays(-1), days) : start.AddDays(days - 1);
    }

    /// <summary>Midnight at the start of a China day, as a UTC instant.</summary>
    /// <param name="day">The day.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset StartOfChinaDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), MailTemplates.ChinaOffset).ToUniversalTime();
}

/// <summary>SQL of the notice tables.</summary>
internal static class NoticeStore
{
    public static int HeldCount(SqliteConnection c, SqliteTransaction? t, long noticeId) =>
        Convert.ToInt32(Db.Scalar(c, t, "SELECT COUNT(*) FROM notice_entries WHERE notice_id = $n AND status = 'held';", ("$n", noticeId)), CultureInfo.InvariantCulture);

    public static bool HasOpenObjection(SqliteConnection c, SqliteTransaction? t, long applicationId) =>
        Db.Scalar(c, t, "SELECT 1 FROM objections WHERE application_id = $a AND status = 'open' LIMIT 1;", ("$a", applicationId)) is not null;

    public static void Pass(ProgrammeServices services, SqliteConnection c, SqliteTransaction t, ApplicationRow app, DateTimeOffset at)
    {
        Db.Execute(c, t, "UPDATE notice_entries SET status = 'passed', decided_at = $at WHERE application_id = $a;", ("$at", Db.ToMs(at)), ("$a", app.ApplicationId));
        LifecycleStore.SetStatus(c, t, app.ApplicationId, ApplicationStatus.Approved, at);
        var key = $"application/{app.ApplicationId}/notice-passed";
        LifecycleStore.AddDecision(c, t, key, app.ApplicationId, "notice", "passed", Actor.System, at, null, null);
        LifecycleStore.AuditApplication(c, t, app, key, at, Actor.System, "application.notice.passed", null, new { amount = app.Award });
        LifecycleStore.MailApplicant(services, c, t, app, MailTemplates.AwardConfirmed, key, at, new MailArgs { Amount = app.Award });
    }
}
