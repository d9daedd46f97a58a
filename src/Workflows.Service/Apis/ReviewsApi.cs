using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Programmes;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;

namespace Workflows.Service.Apis;

/// <summary>What an expert sees of an assigned application: no applicant id or name (blind review).</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CallId">The call.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="Status">The application status.</param>
/// <param name="QuotedAmount">The amount quoted at submission.</param>
/// <param name="Facts">The facts submitted, with name-like fields removed.</param>
/// <param name="Assignment">The expert's own assignment.</param>
public sealed record ExpertApplicationView(long ApplicationId, long CallId, string ProgrammeId, ApplicationStatus Status, decimal? QuotedAmount,
    JsonElement? Facts, ReviewerAssignment? Assignment);

/// <summary>A 初审 decision.</summary>
/// <param name="Outcome">Accept, Reject or Supplement.</param>
/// <param name="Reason">Why (required for Reject and Supplement).</param>
/// <param name="SupplementDue">The 补正 deadline (China date).</param>
public sealed record PreliminaryBody(PreliminaryOutcome Outcome, string? Reason, DateOnly? SupplementDue);

/// <summary>An expert's score.</summary>
/// <param name="Score">0–100.</param>
/// <param name="Comment">The opinion.</param>
public sealed record ScoreBody(decimal Score, string? Comment);

/// <summary>A 财务评审 decision.</summary>
/// <param name="Approve">Whether approved.</param>
/// <param name="Reason">Why.</param>
public sealed record FinancialBody(bool Approve, string? Reason);

/// <summary>Registering an expert reviewer.</summary>
/// <param name="ExpertId">The expert's user id (the token's subject).</param>
/// <param name="Name">The name.</param>
/// <param name="Email">The email.</param>
/// <param name="Organisation">The employer, for conflict checks.</param>
public sealed record ExpertBody(string ExpertId, string Name, string Email, string? Organisation);

/// <summary>A conflict of interest between an expert and a party, as the bureau records it.</summary>
/// <param name="PartyId">The party (一企一档 id, e.g. the credit code) the expert must not review.</param>
/// <param name="Reason">Why, as declared.</param>
public sealed record ConflictBody(string PartyId, string? Reason);

/// <summary>Reviews: 初审 and 财务评审 (bureau), assignments and scores (expert), the expert pool and conflicts (bureau).</summary>
public static class ReviewsApi
{
    private static readonly string[] NameFields = ["name", "applicantName", "companyName", "enterpriseName", "legalRepresentative", "contactName", "contact", "email", "phone"];

    /// <summary>Maps the review routes.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Reviews");
        group.MapPost("/applications/{id:long}/preliminary", PreliminaryAsync).RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("DecidePreliminary").WithSummary("初审: accept, reject or request 补正.");
        group.MapPost("/applications/{id:long}/financial", FinancialAsync).RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("DecideFinancial").WithSummary("财务评审: approve or reject.");
        group.MapGet("/reviews/assignments", Assignments).RequireAuthorization(WorkflowPolicies.Expert)
            .WithName("ListAssignments").WithSummary("The caller's review assignments, without applicant names.");
        group.MapPost("/applications/{id:long}/scores", ScoreAsync).RequireAuthorization(WorkflowPolicies.Expert)
            .WithName("Score").WithSummary("Scores an assigned application.");
        group.MapPost("/experts", RegisterExpert).RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("RegisterExpert").WithSummary("Registers or updates an expert reviewer.");
        group.MapGet("/experts", ListExperts).RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("ListExperts").WithSummary("The active experts panels are drawn from.");
        group.MapPost("/experts/{expertId}/conflicts", DeclareConflict).RequireAuthorization(WorkflowPolicies.Bureau)
            .WithName("DeclareConflict").WithSummary("Records a conflict of interest: the expert is never assigned the party's applications.");
        return group;
    }

    /// <summary>Records a 初审 decision.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="body">The decision.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404; 409 wrong state; 422 missing reason.</returns>
    public static async Task<Accepted> PreliminaryAsync(ProgrammeOperations operations, long id, PreliminaryBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        await operations.DecidePreliminaryAsync(id, new PreliminaryDecisionRequest(body.Outcome, body.Reason, body.SupplementDue), DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/applications/{id}");
    }

    /// <summary>Records a 财务评审 decision.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="body">The decision.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404; 409 wrong state.</returns>
    public static async Task<Accepted> FinancialAsync(ProgrammeOperations operations, long id, FinancialBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        await operations.DecideFinancialAsync(id, body.Approve, body.Reason, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/applications/{id}");
    }

    /// <summary>Lists the caller's assignments in the blind view.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="user">The expert.</param>
    /// <returns>200.</returns>
    public static Ok<List<ExpertApplicationView>> Assignments(ProgrammeOperations operations, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(user);
        var expertId = user.GetUserId()!;
        return TypedResults.Ok(operations.GetExpertAssignments(expertId).Select(a => Blind(operations.GetApplication(a.ApplicationId), user)).ToList());
    }

    /// <summary>Scores an application assigned to the caller.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="body">The score.</param>
    /// <param name="user">The expert.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404 when not assigned to the caller; 409 wrong state; 422 bad score.</returns>
    public static async Task<Accepted> ScoreAsync(ProgrammeOperations operations, long id, ScoreBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(user);
        var expertId = user.GetUserId()!;
        if (!operations.GetExpertAssignments(expertId).Any(a => a.ApplicationId == id))
        {
            throw new ProgrammeNotFoundException("application", id.ToString(CultureInfo.InvariantCulture));
        }

        await operations.ScoreAsync(id, expertId, body.Score, body.Comment, cancellationToken);
        return TypedResults.Accepted($"/api/applications/{id}");
    }

    /// <summary>Registers an expert.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The expert.</param>
    /// <param name="user">The officer.</param>
    /// <returns>204; 422 bad fields.</returns>
    public static NoContent RegisterExpert(ProgrammeOperations operations, ExpertBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        operations.RegisterExpert(new Expert(body.ExpertId, body.Name, body.Email, body.Organisation), DomainAccess.ActorOf(user));
        return TypedResults.NoContent();
    }

    /// <summary>Lists the active experts.</summary>
    /// <param name="operations">The facade.</param>
    /// <returns>200.</returns>
    public static Ok<IReadOnlyList<Expert>> ListExperts(ProgrammeOperations operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(operations.Services.Records.Read(c => PartyDirectory.ActiveExperts(c)));
    }

    /// <summary>Records an expert's conflict of interest with a party (audited); later panels leave the expert out.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="expertId">The expert.</param>
    /// <param name="body">The party and the reason.</param>
    /// <param name="user">The officer.</param>
    /// <returns>204; 404 unknown expert or party.</returns>
    public static NoContent DeclareConflict(ProgrammeOperations operations, string expertId, ConflictBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        operations.DeclareConflict(expertId, body.PartyId ?? string.Empty, body.Reason, DomainAccess.ActorOf(user));
        return TypedResults.NoContent();
    }

    /// <summary>The blind view of an application for an expert: no applicant id, no name-like facts.</summary>
    /// <param name="view">The application.</param>
    /// <param name="user">The expert.</param>
    /// <returns>The view.</returns>
    public static ExpertApplicationView Blind(ApplicationView view, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(user);
        var expertId = user.GetUserId();
        return new ExpertApplicationView(view.ApplicationId, view.CallId, view.ProgrammeId, view.Status, view.QuotedAmount, WithoutNames(view.FactsJson),
            view.Reviewers.FirstOrDefault(r => r.ExpertId == expertId));
    }

    /// <summary>Removes name-like fields from a facts object.</summary>
    /// <param name="factsJson">The facts.</param>
    /// <returns>The facts without names, or null.</returns>
    public static JsonElement? WithoutNames(string? factsJson)
    {
        if (string.IsNullOrWhiteSpace(factsJson))
        {
            return null;
        }

        using var document = JsonDocument.Parse(factsJson);
        var kept = document.RootElement.EnumerateObject().Where(p => !NameFields.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(p => p.Name, p => p.Value.Clone());
        return JsonSerializer.SerializeToElement(kept);
    }
}
