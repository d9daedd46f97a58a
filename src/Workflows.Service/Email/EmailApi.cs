using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>One outbox mail as the API shows it.</summary>
/// <param name="Id">Row id.</param>
/// <param name="IdempotencyKey">The event the mail announces.</param>
/// <param name="ToAddress">Recipient address.</param>
/// <param name="ToName">Recipient display name.</param>
/// <param name="Subject">Subject.</param>
/// <param name="TextBody">Plain-text body.</param>
/// <param name="HtmlBody">HTML body, if any.</param>
/// <param name="TemplateName">Template that produced the mail.</param>
/// <param name="Status">Pending, Sending, Sent or Failed.</param>
/// <param name="Attempts">Finished delivery attempts.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="NextAttemptAt">Earliest next attempt.</param>
/// <param name="LastError">Last delivery error.</param>
/// <param name="SentAt">When the provider accepted it.</param>
/// <param name="ProviderMessageId">The provider's id.</param>
public sealed record OutboxMailDto(
    long Id,
    string IdempotencyKey,
    string ToAddress,
    string? ToName,
    string Subject,
    string TextBody,
    string? HtmlBody,
    string TemplateName,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? SentAt,
    string? ProviderMessageId)
{
    /// <summary>Maps a stored mail.</summary>
    /// <param name="m">The mail.</param>
    /// <returns>The DTO.</returns>
    public static OutboxMailDto From(OutboxMail m) => new(
        m.Id, m.IdempotencyKey, m.To.Address, m.To.DisplayName, m.Subject, m.TextBody, m.HtmlBody, m.TemplateName,
        m.Status.ToString(), m.Attempts, m.CreatedAt, m.NextAttemptAt, m.LastError, m.SentAt, m.ProviderMessageId);
}

/// <summary>A page of outbox mail, newest first.</summary>
/// <param name="Items">The mails.</param>
/// <param name="Total">Matching mails across all pages.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Mails per page.</param>
public sealed record OutboxPageDto(IReadOnlyList<OutboxMailDto> Items, int Total, int Page, int PageSize);

/// <summary>
/// <c>GET /api/outbox</c>: the mail the system has queued, sent or given up on — with provider <c>None</c> this is
/// where mail is read. Bureau officers and admins only.
/// </summary>
public static class EmailApi
{
    /// <summary>The default authorization policy: the host's <c>bureau</c> policy (bureau officers and admins).</summary>
    public const string DefaultPolicy = "bureau";

    /// <summary>Largest page size accepted.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Maps <c>GET /api/outbox</c> and <c>GET /api/outbox/{id}</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <param name="authorizationPolicy">The policy that admits bureau officers and admins.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapEmailApi(this IEndpointRouteBuilder app, string authorizationPolicy = DefaultPolicy)
    {
        var group = app.MapGroup("/api/outbox").WithTags("Email").RequireAuthorization(authorizationPolicy);
        group.MapGet("/", List).WithName("ListOutbox")
            .WithSummary("Outbox mail, newest first; filter with status=Pending|Sending|Sent|Failed, page with page and pageSize.");
        group.MapGet("/{id:long}", Get).WithName("GetOutboxMail").WithSummary("One outbox mail with its bodies and delivery state.");
        return group;
    }

    /// <summary>Lists outbox mail.</summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="status">Optional status filter.</param>
    /// <param name="page">1-based page (default 1).</param>
    /// <param name="pageSize">Page size, 1 to 500 (default 50).</param>
    /// <returns>200 with the page; 400 for an unknown status or a bad page.</returns>
    public static Results<Ok<OutboxPageDto>, ProblemHttpResult> List(SqliteOutbox outbox, string? status = null, int? page = null, int? pageSize = null)
    {
        OutboxStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Unknown outbox status.",
                    detail: $"status '{status}' is not one of {string.Join(", ", Enum.GetNames<OutboxStatus>())}.");
            }

            filter = parsed;
        }

        var p = page ?? 1;
        var size = pageSize ?? 50;
        if (p < 1 || size < 1 || size > MaxPageSize)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad page.",
                detail: $"page must be at least 1 and pageSize 1 to {MaxPageSize}.");
        }

        var result = outbox.Query(filter, p, size);
        return TypedResults.Ok(new OutboxPageDto(result.Items.Select(OutboxMailDto.From).ToList(), result.Total, result.Page, result.PageSize));
    }

    /// <summary>Reads one mail.</summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="id">Row id.</param>
    /// <returns>200 with the mail; 404 when there is none.</returns>
    public static Results<Ok<OutboxMailDto>, ProblemHttpResult> Get(SqliteOutbox outbox, long id) =>
        outbox.Get(id) is { } mail
            ? TypedResults.Ok(OutboxMailDto.From(mail))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such mail.", detail: $"The outbox has no mail {id}.");
}
