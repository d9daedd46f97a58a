using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Programmes;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>The audit trail by subject (bureau, finance, admin).</summary>
public static class AuditApi
{
    /// <summary>Maps <c>/api/audit</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(WorkflowPolicies.Finance);
        group.MapGet("/", Get).WithName("GetAuditTrail").WithSummary("Audit entries of ?subject=kind/id (e.g. application/12, call/3).");
        return group;
    }

    /// <summary>Reads the trail of a subject.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="subject">The subject reference.</param>
    /// <returns>200; 422 without a subject.</returns>
    public static Ok<IReadOnlyList<AuditEntry>> Get(ProgrammeOperations operations, string? subject)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (string.IsNullOrWhiteSpace(subject) || !subject.Contains('/', StringComparison.Ordinal))
        {
            throw new ProgrammeValidationException("subject", "Name the subject as kind/id, e.g. application/12.");
        }

        return TypedResults.Ok(operations.Services.Records.Read(c => AuditTrail.ForSubject(c, subject)));
    }
}
