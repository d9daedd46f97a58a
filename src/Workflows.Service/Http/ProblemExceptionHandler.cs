using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Workflows.Service.Documents;
using Workflows.Programmes;

namespace Workflows.Service.Http;

/// <summary>
/// Turns exceptions into problem-details responses: bad requests (malformed JSON, unreadable parameters)
/// become 400 with the reason, refused documents 413/415/422, the programme library's
/// <see cref="ProgrammeNotFoundException"/> 404, <see cref="ProgrammeConflictException"/> 409 and
/// <see cref="ProgrammeValidationException"/> 422 with <c>errors</c> by field, anything unexpected a 500 that
/// names no internals (the details go to the log with the trace id).
/// </summary>
/// <param name="problemDetails">Writes the problem body.</param>
/// <param name="logger">Logs unexpected failures.</param>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ProgrammeValidationException invalid)
        {
            httpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "The request breaks a rule.",
                    Detail = invalid.Message,
                },
            });
        }

        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } bad =>
                (bad.StatusCode, "The request body is not valid JSON.", $"{bad.Message} {json.Message}"),
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request is too large."
                : "The request is not valid.", bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, "The request body is not valid JSON.", json.Message),
            DocumentRejectedException { Reason: DocumentRejection.TooLarge } doc => (StatusCodes.Status413PayloadTooLarge, "The document is too large.", doc.Message),
            DocumentRejectedException { Reason: DocumentRejection.ContentTypeNotAllowed } doc => (StatusCodes.Status415UnsupportedMediaType, "The document type is not accepted.", doc.Message),
            DocumentRejectedException doc => (StatusCodes.Status422UnprocessableEntity, "The document content is not acceptable.", doc.Message),
            HttpProblemException problem => (problem.StatusCode, problem.Title, problem.Message),
            ProgrammeNotFoundException notFound => (StatusCodes.Status404NotFound, "Not found.", notFound.Message),
            ProgrammeConflictException conflict => (StatusCodes.Status409Conflict, "Not possible in the current state.", conflict.Message),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", "The error has been logged with the trace id."),
        };

        if (status >= 500)
        {
            logger.UnhandledException(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>
/// Ends a request with a problem-details response. Handlers return <c>TypedResults.Problem</c> where they
/// can; this is for code deep below a handler that must stop the request with a precise status.
/// </summary>
public sealed class HttpProblemException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status, e.g. 409.</param>
    /// <param name="title">A short summary, e.g. "The application is closed."</param>
    /// <param name="detail">What is wrong in this case; becomes the exception message.</param>
    public HttpProblemException(int statusCode, string title, string detail)
        : base(detail)
    {
        StatusCode = statusCode;
        Title = title;
    }

    /// <summary>Creates a 400 with a generic detail.</summary>
    public HttpProblemException()
        : this(StatusCodes.Status400BadRequest, "The request is not valid.", "The request is not valid.")
    {
    }

    /// <summary>Creates a 400 with <paramref name="message"/> as detail.</summary>
    /// <param name="message">The detail.</param>
    public HttpProblemException(string message)
        : this(StatusCodes.Status400BadRequest, "The request is not valid.", message)
    {
    }

    /// <summary>Creates a 400 with <paramref name="message"/> as detail.</summary>
    /// <param name="message">The detail.</param>
    /// <param name="innerException">The cause.</param>
    public HttpProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.Status400BadRequest;
        Title = "The request is not valid.";
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The problem title.</summary>
    public string Title { get; }
}
