using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflows.Service.Auth;
using Workflows.Policies;
using Workflows.Programmes;
using Workflows.Programmes.Notices;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>A notice as the public sees it: entries and objections without who filed them.</summary>
/// <param name="NoticeId">The notice.</param>
/// <param name="CallId">The call.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="ProgrammeTitle">Its Chinese title.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="StartsAt">Start.</param>
/// <param name="EndsAt">End.</param>
/// <param name="LengthDays">Length in days.</param>
/// <param name="DayKind">Natural or working days.</param>
/// <param name="Status">running, ended or completed.</param>
/// <param name="Entries">Listed applicants and amounts.</param>
/// <param name="Objections">Objections: id, entry, status.</param>
public sealed record PublicNotice(long NoticeId, long CallId, string ProgrammeId, string ProgrammeTitle, int CycleYear, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    int LengthDays, string DayKind, string Status, IReadOnlyList<PublicNoticeEntry> Entries, IReadOnlyList<PublicObjection> Objections);

/// <summary>A notice entry.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ApplicantName">The published name.</param>
/// <param name="Amount">The proposed amount in yuan.</param>
/// <param name="Status">listed, held, removed or passed.</param>
public sealed record PublicNoticeEntry(long ApplicationId, string ApplicantName, decimal Amount, string Status);

/// <summary>An objection as published.</summary>
/// <param name="ObjectionId">The objection.</param>
/// <param name="ApplicationId">The entry.</param>
/// <param name="Status">Its status.</param>
public sealed record PublicObjection(long ObjectionId, long ApplicationId, string Status);

/// <summary>Filing an objection (异议).</summary>
/// <param name="ApplicationId">The entry objected to.</param>
/// <param name="Reason">The grounds.</param>
/// <param name="ContactEmail">A reply address.</param>
public sealed record ObjectionBody(long ApplicationId, string Reason, string? ContactEmail);

/// <summary>Deciding an objection.</summary>
/// <param name="Upheld">Whether upheld (the entry is removed).</param>
/// <param name="Reason">Why.</param>
public sealed record ObjectionDecisionBody(bool Upheld, string Reason);

/// <summary>公示: public lists as JSON and HTML, objections (public), decisions (bureau).</summary>
public static class NoticesApi
{

    // Chinese stays readable in the source; markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>Maps the notice routes.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup(string.Empty).WithTags("Notices").AllowAnonymous();
        open.MapGet("/api/notices", List).WithName("ListNotices").WithSummary("Current and past 公示 lists.");
        open.MapGet("/api/notices/{callId:long}", Get).WithName("GetNotice").WithSummary("The 公示 of a call.");
        open.MapGet("/notices/{callId:long}", Page).WithName("NoticePage").WithSummary("The 公示 of a call as a Chinese HTML page.");
        open.MapPost("/api/notices/{callId:long}/objections", File).WithName("FileObjection").WithSummary("Files an objection against an entry while the notice runs.");
        app.MapPost("/api/objections/{id:long}/decision", DecideAsync).WithTags("Notices").RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("DecideObjection").WithSummary("Upholds or dismisses an objection.");
        return app;
    }

    /// <summary>Lists every published notice, newest first.</summary>
    /// <param name="operations">The facade.</param>
    /// <returns>200.</returns>
    public static Ok<List<PublicNotice>> List(ProgrammeOperations operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var notices = new List<PublicNotice>();
        foreach (var call in operations.ListCalls())
        {
            try
            {
                notices.Add(Public(operations.GetNoticeOfCall(call.CallId)));
            }
            catch (ProgrammeNotFoundException)
            {
                // No 公示 yet for this call.
            }
        }

        return TypedResults.Ok(notices.OrderByDescending(n => n.StartsAt).ToList());
    }

    /// <summary>Reads a call's notice.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="callId">The call.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<PublicNotice> Get(ProgrammeOperations operations, long callId)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(Public(operations.GetNoticeOfCall(callId)));
    }

    /// <summary>The notice as a readable Chinese HTML page; every value is HTML-encoded.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="callId">The call.</param>
    /// <param name="bureau">The bureau's name and objection contact (settings <c>Workflows:Bureau</c>).</param>
    /// <returns>200 text/html, or 404.</returns>
    public static ContentHttpResult Page(ProgrammeOperations operations, long callId, IOptions<BureauOptions> bureau)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(bureau);
        return TypedResults.Content(Html(Public(operations.GetNoticeOfCall(callId)), operations.Services.Time.GetUtcNow(), bureau.Value), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>Renders a notice page with the placeholder bureau contact.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="now">The time of reading: a running notice whose first day has not come yet reads 即将公示.</param>
    /// <returns>The HTML.</returns>
    public static string Html(PublicNotice notice, DateTimeOffset now) => Html(notice, now, new BureauOptions());

    /// <summary>Renders a notice page.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="now">The time of reading: a running notice whose first day has not come yet reads 即将公示.</param>
    /// <param name="bureau">Who receives objections and how to reach them (shown as 异议受理).</param>
    /// <returns>The HTML.</returns>
    public static string Html(PublicNotice notice, DateTimeOffset now, BureauOptions bureau)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(bureau);
        var e = Encoder;
        var title = $"{notice.ProgrammeTitle}（{notice.CycleYear}年度）拟支持名单公示";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>").Append(e.Encode(title)).Append("</title></head>\n<body>\n");
        sb.Append("<h1>").Append(e.Encode(title)).Append("</h1>\n");
        // The stored end is the first instant after the notice (midnight China time); Day prints the day before it, so a
        // 7-day notice from 11月23日 that ends at 11月30日 00:00 reads "11月23日 至 11月29日".
        sb.Append("<p class=\"period\">公示期：").Append(e.Encode(MailTemplates.FirstDay(notice.StartsAt))).Append(" 至 ").Append(e.Encode(MailTemplates.Day(notice.EndsAt)))
            .Append("（").Append(notice.LengthDays.ToString(CultureInfo.InvariantCulture)).Append(notice.DayKind == nameof(DayKind.Working) ? "个工作日" : "日").Append("）</p>\n");
        sb.Append("<p class=\"status\">状态：").Append(e.Encode(notice.Status == "running" && now < notice.StartsAt ? $"即将公示（{MailTemplates.FirstDay(notice.StartsAt)}起，届时方可提出异议）" : StatusZh(notice.Status))).Append("</p>\n");
        sb.Append("<table>\n<thead><tr><th>序号</th><th>申请单位</th><th>拟支持金额（元）</th><th>状态</th></tr></thead>\n<tbody>\n");
        var n = 0;
        foreach (var entry in notice.Entries)
        {
            n++;
            sb.Append("<tr><td>").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(e.Encode(entry.ApplicantName))
                .Append("</td><td>").Append(e.Encode(entry.Amount.ToString("N2", CultureInfo.InvariantCulture))).Append("</td><td>")
                .Append(e.Encode(EntryZh(entry.Status))).Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
        sb.Append("<p class=\"objection\">异议受理：").Append(e.Encode(bureau.Name)).Append("，").Append(e.Encode(bureau.ObjectionContact)).Append("。</p>\n");
        sb.Append("<p>如有异议，请于公示期内向上述部门提出，或在线提交（POST /api/notices/").Append(notice.CallId.ToString(CultureInfo.InvariantCulture))
            .Append("/objections），并注明理由和联系方式。</p>\n<p lang=\"en\">English: public notice of proposed awards; objections may be filed with the bureau named above or online while it runs.</p>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Files an objection.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="callId">The call whose notice is objected to.</param>
    /// <param name="body">The objection.</param>
    /// <param name="user">The caller (anonymous allowed).</param>
    /// <returns>201 with the id; 404 entry not in this notice; 409 notice not running; 422 no grounds or bad email.</returns>
    public static Created<PublicObjection> File(ProgrammeOperations operations, long callId, ObjectionBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        var notice = operations.GetNoticeOfCall(callId);
        if (!notice.Entries.Any(x => x.ApplicationId == body.ApplicationId))
        {
            throw new ProgrammeNotFoundException("notice entry", body.ApplicationId.ToString(CultureInfo.InvariantCulture));
        }

        var id = operations.FileObjection(body.ApplicationId, body.Reason ?? string.Empty, DomainAccess.ActorOf(user), body.ContactEmail);
        var objection = operations.GetObjection(id);
        return TypedResults.Created($"/api/notices/{callId}", new PublicObjection(objection.ObjectionId, objection.ApplicationId, objection.Status));
    }

    /// <summary>Decides an objection.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The objection.</param>
    /// <param name="body">The decision.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404; 409 decided already.</returns>
    public static async Task<Accepted<ObjectionRecord>> DecideAsync(ProgrammeOperations operations, long id, ObjectionDecisionBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        await operations.DecideObjectionAsync(id, body.Upheld, body.Reason ?? string.Empty, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/objections/{id}", operations.GetObjection(id));
    }

    private static PublicNotice Public(NoticeView n) => new(n.NoticeId, n.CallId, n.ProgrammeId, n.ProgrammeTitle, n.CycleYear, n.StartsAt, n.EndsAt, n.LengthDays,
        n.DayKind.ToString(), n.Status, n.Entries.Select(x => new PublicNoticeEntry(x.ApplicationId, x.ApplicantName, x.Amount, x.Status)).ToList(),
        n.Objections.Select(o => new PublicObjection(o.ObjectionId, o.ApplicationId, o.Status)).ToList());


    private static string StatusZh(string status) => status switch
    {
        "running" => "公示中",
        "ended" => "公示期已结束",
        "completed" => "已完成",
        _ => status,
    };

    private static string EntryZh(string status) => status switch
    {
        "listed" => "公示中",
        "held" => "异议核查中",
        "removed" => "已撤销",
        "passed" => "公示无异议",
        _ => status,
    };
}
