using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Documents;
using Workflows.Service.Http;
using Workflows.Programmes;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;

namespace Workflows.Service.Apis;

/// <summary>Creating and submitting an application.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Facts">The facts (JSON object); the profile's facts when omitted.</param>
/// <param name="ProjectKey">The project identity, for project-scoped programmes.</param>
public sealed record ApplicationBody(long CallId, JsonElement? Facts, string? ProjectKey);

/// <summary>A note with an action (补正, withdrawal).</summary>
/// <param name="Note">The note or reason.</param>
public sealed record NoteBody(string? Note);

/// <summary>An application with its audit trail and the documents attached to it.</summary>
/// <param name="Application">Status, facts, decisions, quote and award traces (JSON objects), reviews, payments.</param>
/// <param name="Trail">The audit entries of the application.</param>
/// <param name="Documents">The documents attached to it, oldest first (read them at <c>/api/documents/{id}/content</c>).</param>
public sealed record ApplicationDetails(ApplicationResource Application, IReadOnlyList<AuditEntry> Trail, IReadOnlyList<ApplicationDocument> Documents);

/// <summary>A document attached to an application, as the bureau needs it for 初审 and for defending a payment.</summary>
/// <param name="Id">The document id.</param>
/// <param name="FileName">The client's file name; null once deleted.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the content when attached.</param>
/// <param name="AttachedAt">When it was attached.</param>
/// <param name="AttachedBy">Who attached it.</param>
/// <param name="Deleted">Whether an admin deleted it since (the trail says when and why).</param>
public sealed record ApplicationDocument(string Id, string? FileName, string ContentType, long Size, string Sha256, DateTimeOffset AttachedAt, string AttachedBy, bool Deleted);

/// <summary>Applications: the applicant's own; bureau, finance and admins read any.</summary>
public static class ApplicationsApi
{
    /// <summary>Maps <c>/api/applications</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/applications").WithTags("Applications");
        group.MapPost("/", Submit).RequireAuthorization(WorkflowPolicies.Applicant).WithIdempotency()
            .WithName("SubmitApplication").WithSummary("Creates and submits an application to an open call (quoted at once).");
        group.MapPost("/{id:long}/documents", UploadAsync).RequireAuthorization(WorkflowPolicies.Applicant).WithIdempotency()
            .WithName("UploadApplicationDocument").WithSummary("Uploads a document (multipart, field 'file') to the caller's application.")
            .Accepts<IFormFile>("multipart/form-data");
        group.MapPost("/{id:long}/supplement", SupplementAsync).RequireAuthorization(WorkflowPolicies.Applicant)
            .WithName("AnswerSupplement").WithSummary("Answers a 补正 request.");
        group.MapPost("/{id:long}/withdraw", WithdrawAsync).RequireAuthorization(WorkflowPolicies.Applicant)
            .WithName("WithdrawApplication").WithSummary("Withdraws an application under review.");
        group.MapGet("/", List).WithName("ListApplications").WithSummary("The caller's applications (bureau: ?call=).");
        group.MapGet("/{id:long}", GetAsync).WithName("GetApplication").WithSummary("Status, decisions and trace of an application the caller may see.");
        return group;
    }

    /// <summary>Submits an application.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The application.</param>
    /// <param name="user">The applicant.</param>
    /// <returns>201 with the id, status, estimate or failed rules; 404 unknown call or no profile; 409 call not open or applied already; 422 bad facts.</returns>
    public static Created<SubmissionResult> Submit(ProgrammeOperations operations, ApplicationBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        var partyId = DomainAccess.PartyOf(user);
        string facts;
        if (body.Facts is { ValueKind: JsonValueKind.Object } given)
        {
            facts = given.GetRawText();
        }
        else if (body.Facts is null or { ValueKind: JsonValueKind.Null })
        {
            facts = operations.Services.Records.Read(c => PartyDirectory.GetFacts(c, partyId))
                ?? throw new ProgrammeValidationException("facts", "No facts given and the profile has none.");
        }
        else
        {
            throw new ProgrammeValidationException("facts", "The facts must be a JSON object.");
        }

        var result = operations.SubmitApplication(new SubmitApplicationRequest(body.CallId, partyId, facts, body.ProjectKey), DomainAccess.ActorOf(user));
        return TypedResults.Created($"/api/applications/{result.ApplicationId}", result);
    }

    /// <summary>Uploads a document to the caller's application and records it in the application's trail.</summary>
    /// <param name="id">The application.</param>
    /// <param name="request">The multipart request.</param>
    /// <param name="user">The applicant.</param>
    /// <param name="operations">The facade.</param>
    /// <param name="services">The document store.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201; 404 not the caller's; 413/415/422 as for documents.</returns>
    public static async Task<Results<Created<StoredDocument>, ProblemHttpResult>> UploadAsync(
        long id, HttpRequest request, ClaimsPrincipal user, ProgrammeOperations operations, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        DomainAccess.VisibleApplication(operations, id, user);
        var result = await DocumentsApi.UploadAsync(request, user, services, cancellationToken);
        if (result.Result is Created<StoredDocument> { Value: { } document })
        {
            var actor = DomainAccess.ActorOf(user);
            var at = operations.Services.Time.GetUtcNow();
            operations.Services.Records.Transaction((c, t) => AuditTrail.Append(c, t, new AuditEntry(
                $"application/{id}/document/{document.Id}", at, actor, DocumentsApi.AttachedAction,
                [AuditTrail.Subject("application", id), AuditTrail.Subject("document", document.Id)], null,
                AuditTrail.ToDetails(new { document.Id, document.Sha256, document.Size, document.ContentType }))));
        }

        return result;
    }

    /// <summary>Answers a 补正 request.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="body">The note.</param>
    /// <param name="user">The applicant.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404; 409 when no 补正 is requested.</returns>
    public static async Task<Accepted> SupplementAsync(ProgrammeOperations operations, long id, NoteBody? body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        DomainAccess.VisibleApplication(operations, id, user);
        await operations.AnswerSupplementAsync(id, DomainAccess.ActorOf(user), body?.Note, cancellationToken);
        return TypedResults.Accepted($"/api/applications/{id}");
    }

    /// <summary>Withdraws an application.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="body">The reason.</param>
    /// <param name="user">The applicant.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404; 409 past review.</returns>
    public static async Task<Accepted> WithdrawAsync(ProgrammeOperations operations, long id, NoteBody? body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        DomainAccess.VisibleApplication(operations, id, user);
        await operations.WithdrawApplicationAsync(id, DomainAccess.ActorOf(user), body?.Note, cancellationToken);
        return TypedResults.Accepted($"/api/applications/{id}");
    }

    /// <summary>Lists applications: an applicant's own; for bureau, finance and admins those of <paramref name="call"/>.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="user">The caller.</param>
    /// <param name="call">The call (officers).</param>
    /// <returns>200.</returns>
    public static Ok<List<ApplicationResource>> List(ProgrammeOperations operations, ClaimsPrincipal user, long? call)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInAnyRole(Programmes.Security.WorkflowRoles.Bureau, Programmes.Security.WorkflowRoles.Admin, Programmes.Security.WorkflowRoles.Finance))
        {
            if (call is not { } callId)
            {
                throw new ProgrammeValidationException("call", "Name the call: /api/applications?call={id}.");
            }

            return TypedResults.Ok(operations.ListApplicationsOfCall(callId).Select(a => ApplicationResource.From(operations.GetApplication(a.ApplicationId))).ToList());
        }

        return user.IsInRole(Programmes.Security.WorkflowRoles.Applicant)
            ? TypedResults.Ok(operations.ListApplications(DomainAccess.PartyOf(user)).Select(ApplicationResource.From).ToList())
            : TypedResults.Ok(new List<ApplicationResource>());
    }

    /// <summary>Reads an application the caller may see; experts get the blind view, without documents.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The application.</param>
    /// <param name="user">The caller.</param>
    /// <param name="documents">The document store (file names of attached documents).</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200, or 404 (also for someone else's).</returns>
    public static async Task<Results<Ok<ApplicationDetails>, Ok<ExpertApplicationView>>> GetAsync(
        ProgrammeOperations operations, long id, ClaimsPrincipal user, IDocumentStore documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(documents);
        var view = DomainAccess.VisibleApplication(operations, id, user);
        if (user.IsInRole(Programmes.Security.WorkflowRoles.Expert) && !user.IsInAnyRole(Programmes.Security.WorkflowRoles.Bureau, Programmes.Security.WorkflowRoles.Admin))
        {
            return TypedResults.Ok(ReviewsApi.Blind(view, user));
        }

        var trail = operations.GetApplicationTrail(id);
        var attached = new List<ApplicationDocument>();
        foreach (var entry in trail.Where(e => e.Action == DocumentsApi.AttachedAction && e.Details is not null))
        {
            using var details = JsonDocument.Parse(entry.Details!);
            var root = details.RootElement;
            var documentId = root.GetProperty("id").GetString()!;
            var stored = await documents.GetAsync(documentId, cancellationToken);
            attached.Add(new ApplicationDocument(
                documentId, stored?.FileName, root.GetProperty("contentType").GetString()!, root.GetProperty("size").GetInt64(),
                root.GetProperty("sha256").GetString()!, entry.At, entry.Actor.Id, stored is null));
        }

        return TypedResults.Ok(new ApplicationDetails(ApplicationResource.From(view), trail, attached));
    }

    /// <summary>Formats an id for messages.</summary>
    /// <param name="id">The id.</param>
    /// <returns>Invariant text.</returns>
    internal static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
