using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Workflows.Functions;

/// <summary>
/// HTTP triggers. Routes match the embedded host (route prefix <c>api</c> in host.json). The domain routes' handlers
/// live in Workflows.Host, which this project cannot reference; until they move to a shared library only health and
/// documents are served here (with function keys; the built-in Durable Functions management API is the Functions
/// host's own, at <c>/runtime/webhooks/durabletask</c>).
/// </summary>
/// <param name="documents">The blob document store.</param>
public sealed class HttpFunctions(IDocumentBlobStore documents)
{
    /// <summary>GET /api/health: 200 when the worker runs and the task hub client answers.</summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable Task client.</param>
    /// <returns>200 with the status.</returns>
    [Function("Health")]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new OkObjectResult(new { status = "Healthy", taskHub = client.Name });
    }

    /// <summary>POST /api/documents: stores the body (Content-Type as sent, file name from ?fileName=).</summary>
    /// <param name="request">The request.</param>
    /// <returns>201 with the document, or 400 problem details.</returns>
    [Function("UploadDocument")]
    public async Task<IActionResult> UploadDocument(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "documents")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ContentType))
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing Content-Type", "Send the document's media type in Content-Type.");
        }

        string owner = request.Headers["x-ms-client-principal-id"].FirstOrDefault() ?? "function-key";
        var stored = await documents.SaveAsync(
            new BlobDocumentUpload(request.ContentType, request.Query["fileName"].FirstOrDefault(), owner, null),
            request.Body,
            request.HttpContext.RequestAborted);
        return new CreatedResult($"/api/documents/{stored.Id}", stored);
    }

    /// <summary>GET /api/documents/{id}: a document's metadata.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">Document id.</param>
    /// <returns>200, or 404 problem details.</returns>
    [Function("GetDocument")]
    public async Task<IActionResult> GetDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents/{id}")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await documents.GetAsync(id, request.HttpContext.RequestAborted) is { } document
            ? new OkObjectResult(document)
            : NotFound(id);
    }

    /// <summary>GET /api/documents/{id}/content: a document's bytes.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">Document id.</param>
    /// <returns>200 with the content, or 404 problem details.</returns>
    [Function("GetDocumentContent")]
    public async Task<IActionResult> GetDocumentContent(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents/{id}/content")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await documents.GetAsync(id, request.HttpContext.RequestAborted);
        var content = document is null ? null : await documents.OpenReadAsync(id, request.HttpContext.RequestAborted);
        return content is null ? NotFound(id) : new FileStreamResult(content, document!.ContentType) { FileDownloadName = document.FileName };
    }

    /// <summary>DELETE /api/documents/{id}.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">Document id.</param>
    /// <returns>204, or 404 problem details.</returns>
    [Function("DeleteDocument")]
    public async Task<IActionResult> DeleteDocument(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "documents/{id}")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await documents.DeleteAsync(id, request.HttpContext.RequestAborted) ? new NoContentResult() : NotFound(id);
    }

    private static ObjectResult NotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "Document not found", $"No document has the id '{id}'.");

    private static ObjectResult Problem(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail }) { StatusCode = status, ContentTypes = { "application/problem+json" } };
}
