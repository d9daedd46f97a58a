using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflows.Service.Auth;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;
using Workflows.Service.Http;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Records;
using Workflows.Programmes.Security;

namespace Workflows.Service.Apis;

/// <summary>The services the document handlers use.</summary>
/// <param name="Store">The document store.</param>
/// <param name="Options">Size limit and allowed types.</param>
/// <param name="Logger">The logger.</param>
public sealed record DocumentServices(IDocumentStore Store, IOptionsMonitor<DocumentOptions> Options, ILogger<DocumentServices> Logger);

/// <summary>
/// Documents: upload (multipart, field <c>file</c>), metadata, content, delete. Access: the uploader, other
/// applicants of the same organisation (一企一档: documents belong to the enterprise's file), and bureau
/// officers and admins read; the uploader and admins delete. Anyone else gets 404, the same as for a
/// document that does not exist, so ids reveal nothing.
/// </summary>
public static class DocumentsApi
{
    /// <summary>Maps <c>/api/documents</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/documents").WithTags("Documents").RequireAuthorization();
        group.MapPost("/", UploadAsync)
            .WithIdempotency()
            .WithName("UploadDocument")
            .WithSummary("Uploads a document (multipart/form-data, field 'file'); returns its id, SHA-256 and size.")
            .Accepts<IFormFile>("multipart/form-data");
        group.MapGet("/{id}", GetAsync).WithName("GetDocument").WithSummary("A document's metadata.");
        group.MapGet("/{id}/content", GetContentAsync).WithName("GetDocumentContent").WithSummary("A document's content.");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteDocument").WithSummary("Deletes a document (uploader or admin).");
        return group;
    }

    /// <summary>Stores the uploaded file.</summary>
    /// <param name="request">The multipart request.</param>
    /// <param name="user">The uploader.</param>
    /// <param name="services">Store, options, logger.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201 with the metadata; 400 without a file; 413 too large; 415 type not accepted; 422 content does not match its type.</returns>
    public static async Task<Results<Created<StoredDocument>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        var options = services.Options.CurrentValue;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = options.MaxBytes + WorkflowsServiceCollectionExtensions.DocumentsUploadOverhead;
        }

        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the document as multipart/form-data.",
                detail: "Upload with Content-Type multipart/form-data and the document in a form field named 'file'.");
        }

        if (request.ContentLength > options.MaxBytes + WorkflowsServiceCollectionExtensions.DocumentsUploadOverhead)
        {
            return TooLarge(services.Logger, options.MaxBytes);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("file") is not { } file)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "No document in the request.",
                detail: "The form has no file field named 'file'.");
        }

        if (file.Length > options.MaxBytes)
        {
            return TooLarge(services.Logger, options.MaxBytes);
        }

        try
        {
            await using var content = file.OpenReadStream();
            var document = await services.Store.SaveAsync(
                new DocumentUpload(file.ContentType, file.FileName, user.GetUserId()!, user.GetOrganisation()), content, cancellationToken);
            services.Logger.DocumentStored(document.Id, document.Size, document.ContentType, document.Sha256, document.OwnerId);
            return TypedResults.Created($"/api/documents/{document.Id}", document);
        }
        catch (DocumentRejectedException ex)
        {
            services.Logger.DocumentRefused(ex.Reason.ToString(), ex.Message);
            return ex.Reason switch
            {
                DocumentRejection.TooLarge => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The document is too large.", detail: ex.Message),
                DocumentRejection.ContentTypeNotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The document type is not accepted.", detail: ex.Message),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The document content is not acceptable.", detail: ex.Message),
            };
        }
    }

    /// <summary>Returns a document's metadata.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="user">The caller.</param>
    /// <param name="services">Store, options, logger.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200, or 404 when missing or not the caller's to see.</returns>
    public static async Task<Results<Ok<StoredDocument>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        var document = await services.Store.GetAsync(id, cancellationToken);
        return document is not null && CanRead(user, document) ? TypedResults.Ok(document) : NotFound();
    }

    /// <summary>Streams a document's content with its content type and file name.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="user">The caller.</param>
    /// <param name="services">Store, options, logger.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200 with the bytes, or 404.</returns>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetContentAsync(
        string id, ClaimsPrincipal user, [AsParameters] DocumentServices services, CancellationToken cancellationToken)
    {
        var document = await services.Store.GetAsync(id, cancellationToken);
        if (document is null || !CanRead(user, document) || await services.Store.OpenReadAsync(id, cancellationToken) is not { } stream)
        {
            return NotFound();
        }

        return TypedResults.File(stream, document.ContentType, document.FileName ?? document.Id, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{document.Sha256}\""));
    }

    /// <summary>
    /// Deletes a document. A document attached to an application (<c>POST /api/applications/{id}/documents</c>) is
    /// evidence of that application's review and payment: its uploader may not delete it (409); an admin may, and the
    /// deletion joins the application's audit trail.
    /// </summary>
    /// <param name="id">The document id.</param>
    /// <param name="user">The caller.</param>
    /// <param name="services">Store, options, logger.</param>
    /// <param name="records">The records database holding the audit trail.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>204; 404 when missing or not the caller's to delete; 409 when attached to an application and the caller is not an admin.</returns>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, ClaimsPrincipal user, [AsParameters] DocumentServices services, ProgrammeRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var document = await services.Store.GetAsync(id, cancellationToken);
        var isAdmin = user.IsInRole(WorkflowRoles.Admin);
        if (document is null || !(document.OwnerId == user.GetUserId() || isAdmin))
        {
            return NotFound();
        }

        var documentSubject = AuditTrail.Subject("document", document.Id);
        var applications = records.Read(c => AuditTrail.ForSubject(c, documentSubject))
            .Where(e => e.Action == AttachedAction)
            .SelectMany(e => e.Subjects)
            .Where(s => s.StartsWith("application/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (applications.Count > 0)
        {
            if (!isAdmin)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The document is part of an application.",
                    detail: $"Document {document.Id} is attached to {string.Join(", ", applications)} and is kept as evidence of its review and payment. Upload a corrected document instead; ask the bureau if it was attached by mistake.");
            }

            var actor = DomainAccess.ActorOf(user);
            records.Transaction((c, t) => AuditTrail.Append(c, t, new AuditEntry(
                $"{documentSubject}/deleted", time.GetUtcNow(), actor, "document.deleted", [.. applications, documentSubject], null,
                AuditTrail.ToDetails(new { document.Id, document.Sha256, document.Size, document.ContentType, document.FileName }))));
        }

        await services.Store.DeleteAsync(id, cancellationToken);
        services.Logger.DocumentDeleted(id, user.GetUserId()!);
        return TypedResults.NoContent();
    }

    /// <summary>Whether <paramref name="user"/> may read <paramref name="document"/>.</summary>
    /// <param name="user">The caller.</param>
    /// <param name="document">The document.</param>
    /// <returns><see langword="true"/> for the uploader, same-organisation applicants, bureau officers and admins.</returns>
    public static bool CanRead(ClaimsPrincipal user, StoredDocument document) =>
        document.OwnerId == user.GetUserId()
        || user.IsInAnyRole(WorkflowRoles.Bureau, WorkflowRoles.Admin)
        || (user.IsInRole(WorkflowRoles.Applicant) && document.Organisation is not null && document.Organisation == user.GetOrganisation());

    /// <summary>The audit action recorded when an applicant attaches a document to an application.</summary>
    internal const string AttachedAction = "application.document.attached";

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such document.", detail: "There is no document with this id that you may see.");

    private static ProblemHttpResult TooLarge(ILogger logger, long maxBytes)
    {
        logger.DocumentRefused(nameof(DocumentRejection.TooLarge), $"limit {maxBytes} bytes");
        return TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The document is too large.",
            detail: $"The document is larger than the limit of {maxBytes} bytes.");
    }
}
