using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Http;
using Workflows.Programmes.Assessments;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>An annual report of a pilot base.</summary>
/// <param name="Summary">The report.</param>
public sealed record BaseReportBody(string Summary);

/// <summary>Pilot bases and their annual assessments (bureau): a thin wrapper over <see cref="BaseOperations"/>.</summary>
public static class BasesApi
{
    /// <summary>Maps <c>/api/bases</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapBasesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/bases").WithTags("Bases").RequireAuthorization(WorkflowPolicies.Bureau);
        group.MapPost("/", RecogniseAsync).WithIdempotency().WithName("RecogniseBase").WithSummary("Recognises a pilot base and starts its assessments.");
        group.MapGet("/{id}", Get).WithName("GetBase").WithSummary("A base with its assessment periods and grades.");
        group.MapPost("/{id}/periods/{period:int}/report", ReportAsync).WithName("SubmitBaseReport").WithSummary("Records a period's report.");
        group.MapPost("/{id}/grades", GradeAsync).WithName("GradeBase").WithSummary("Grades a period.");
        return group;
    }

    /// <summary>Recognises a base.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="request">The base.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201.</returns>
    public static async Task<Created<BaseView>> RecogniseAsync(ProgrammeOperations operations, RecogniseBaseRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var view = await Bases(operations).RecogniseAsync(request, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/bases/{view.BaseId}", view);
    }

    /// <summary>Reads a base.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The base.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<BaseView> Get(ProgrammeOperations operations, string id) => TypedResults.Ok(Bases(operations).Get(id));

    /// <summary>Records a report.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The base.</param>
    /// <param name="period">The period.</param>
    /// <param name="body">The report.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202.</returns>
    public static async Task<Accepted> ReportAsync(ProgrammeOperations operations, string id, int period, BaseReportBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        await Bases(operations).SubmitReportAsync(id, period, body.Summary, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/bases/{id}");
    }

    /// <summary>Grades a period.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The base.</param>
    /// <param name="body">The grade.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202.</returns>
    public static async Task<Accepted> GradeAsync(ProgrammeOperations operations, string id, GradeRequest body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await Bases(operations).GradeAsync(id, body, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/bases/{id}");
    }

    private static BaseOperations Bases(ProgrammeOperations operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new BaseOperations(operations.Services, operations.Client);
    }
}
