using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Http;
using Workflows.Programmes;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Security;

namespace Workflows.Service.Apis;

/// <summary>Claiming within an open window.</summary>
/// <param name="Facts">The facts (JSON object).</param>
/// <param name="CallId">The call, where the programme runs through one.</param>
public sealed record ClaimBody(JsonElement Facts, long? CallId);

/// <summary>Claim windows opened by listing events (bureau) and claims (applicant): a thin wrapper over <see cref="ClaimOperations"/>.</summary>
public static class ClaimsApi
{
    /// <summary>Maps <c>/api/claims</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/claims").WithTags("Claims");
        group.MapPost("/", OpenAsync).RequireAuthorization(WorkflowPolicies.Bureau).WithIdempotency()
            .WithName("OpenClaimWindow").WithSummary("Records a listing event and opens its claim window.");
        group.MapGet("/{id}", Get).WithName("GetClaimWindow").WithSummary("A claim window (the party's own, or any for bureau).");
        group.MapPost("/{id}/claim", ClaimAsync).RequireAuthorization(WorkflowPolicies.Applicant).WithIdempotency()
            .WithName("Claim").WithSummary("Claims within the window.");
        return group;
    }

    /// <summary>Opens a window.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="request">The listing event.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201.</returns>
    public static async Task<Created<ClaimWindowView>> OpenAsync(ProgrammeOperations operations, OpenClaimWindowRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var view = await new ClaimOperations(operations).OpenWindowAsync(request, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/claims/{view.ClaimId}", view);
    }

    /// <summary>Reads a window the caller may see.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The claim.</param>
    /// <param name="user">The caller.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<ClaimWindowView> Get(ProgrammeOperations operations, string id, ClaimsPrincipal user) => TypedResults.Ok(Visible(operations, id, user));

    /// <summary>Claims.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The claim.</param>
    /// <param name="body">The facts.</param>
    /// <param name="user">The applicant.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201 with the submission; 404 not the caller's; 409 window closed; 422 bad facts.</returns>
    public static async Task<Created<SubmissionResult>> ClaimAsync(ProgrammeOperations operations, string id, ClaimBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Visible(operations, id, user);
        if (body.Facts.ValueKind != JsonValueKind.Object)
        {
            throw new ProgrammeValidationException("facts", "The facts must be a JSON object.");
        }

        var result = await new ClaimOperations(operations).ClaimAsync(id, body.Facts.GetRawText(), DomainAccess.ActorOf(user), body.CallId, cancellationToken);
        return TypedResults.Created($"/api/applications/{result.ApplicationId}", result);
    }

    private static ClaimWindowView Visible(ProgrammeOperations operations, string id, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(user);
        var view = new ClaimOperations(operations).Get(id);
        var allowed = user.IsInAnyRole(WorkflowRoles.Bureau, WorkflowRoles.Admin, WorkflowRoles.Finance)
            || (user.IsInRole(WorkflowRoles.Applicant) && view.PartyId == DomainAccess.PartyOf(user));
        return allowed ? view : throw new ProgrammeNotFoundException("claim", id);
    }
}
