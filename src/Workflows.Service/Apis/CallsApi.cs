using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Http;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>A call with its progress and budget.</summary>
/// <param name="Call">The call.</param>
/// <param name="Progress">Applications by status, budget used, paid.</param>
public sealed record CallDetails(CallRecord Call, CallProgress Progress);

/// <summary>A call as applicants see it (申报通知): what, who runs it, and the window.</summary>
/// <param name="CallId">The call, to apply with <c>POST /api/applications</c>.</param>
/// <param name="ProgrammeId">The programme (details, quote and match at <c>/api/programmes</c>).</param>
/// <param name="ProgrammeTitle">The programme's Chinese title.</param>
/// <param name="Bureau">The bureau that runs it.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="OpensAt">When applications open.</param>
/// <param name="ClosesAt">When they close.</param>
/// <param name="Status"><c>Published</c> (opens later) or <c>Open</c>.</param>
public sealed record PublicCall(long CallId, string ProgrammeId, string ProgrammeTitle, string Bureau, int CycleYear, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, CallStatus Status);

/// <summary>Closing a call early.</summary>
/// <param name="Reason">Why.</param>
public sealed record CloseCallBody(string? Reason);

/// <summary>Calls (申报通知): publish, close early, progress and budget. Bureau officers and admins.</summary>
public static class CallsApi
{
    /// <summary>Maps <c>/api/calls</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calls").WithTags("Calls").RequireAuthorization(WorkflowPolicies.Bureau);
        group.MapPost("/", PublishAsync).WithIdempotency().WithName("PublishCall").WithSummary("Publishes a call and starts its workflow.");
        group.MapPost("/{id:long}/close", CloseAsync).WithName("CloseCall").WithSummary("Closes an open call before its deadline.");
        group.MapGet("/", List).WithName("ListCalls").WithSummary("Calls, optionally of one ?programme=.");
        group.MapGet("/{id:long}", Get).WithName("GetCall").WithSummary("A call with its progress and budget.");
        app.MapGet("/api/calls/open", ListOpen).WithTags("Calls").AllowAnonymous().WithName("ListOpenCalls")
            .WithSummary("Calls accepting applications now or later (public), optionally of one ?programme=.");
        return group;
    }

    /// <summary>Publishes a call.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="request">The call.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201; 422 for bad settings.</returns>
    public static async Task<Created<CallRecord>> PublishAsync(ProgrammeOperations operations, PublishCallRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var call = await operations.PublishCallAsync(request, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/calls/{call.CallId}", call);
    }

    /// <summary>Closes a call early.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The call.</param>
    /// <param name="body">The reason.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200 with the call; 404; 409 when not open.</returns>
    public static async Task<Ok<CallRecord>> CloseAsync(ProgrammeOperations operations, long id, CloseCallBody? body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        await operations.CloseCallEarlyAsync(id, DomainAccess.ActorOf(user), body?.Reason, cancellationToken);
        return TypedResults.Ok(operations.GetCall(id));
    }

    /// <summary>Lists calls.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="programme">Only this programme.</param>
    /// <returns>200.</returns>
    public static Ok<IReadOnlyList<CallRecord>> List(ProgrammeOperations operations, string? programme)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(operations.ListCalls(programme));
    }

    /// <summary>Lists the calls an applicant can still apply to: open now, or published to open later; soonest deadline first.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="programme">Only this programme.</param>
    /// <returns>200.</returns>
    public static Ok<List<PublicCall>> ListOpen(ProgrammeOperations operations, string? programme)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var now = operations.Services.Time.GetUtcNow();
        return TypedResults.Ok(operations.ListCalls(programme)
            .Where(c => c.Status is CallStatus.Published or CallStatus.Open && c.ClosesAt > now)
            .OrderBy(c => c.ClosesAt).ThenBy(c => c.CallId)
            .Select(c =>
            {
                var found = operations.Services.Catalogue.TryGet(c.ProgrammeId, out var p);
                return new PublicCall(c.CallId, c.ProgrammeId, found ? p.TitleZh : c.ProgrammeId, found ? p.Bureau : string.Empty, c.CycleYear, c.OpensAt, c.ClosesAt, c.Status);
            })
            .ToList());
    }

    /// <summary>Reads a call with progress and budget.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The call.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<CallDetails> Get(ProgrammeOperations operations, long id)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(new CallDetails(operations.GetCall(id), operations.GetCallProgress(id)));
    }
}
