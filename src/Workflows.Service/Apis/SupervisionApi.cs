using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Http;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Supervision;

namespace Workflows.Service.Apis;

/// <summary>A progress report of a supervised task.</summary>
/// <param name="Report">The report.</param>
/// <param name="Completed">Whether the task is done.</param>
public sealed record ProgressBody(string Report, bool Completed);

/// <summary>002 task supervision (bureau): a thin wrapper over <see cref="SupervisionOperations"/>.</summary>
public static class SupervisionApi
{
    /// <summary>Maps <c>/api/supervision</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/supervision").WithTags("Supervision").RequireAuthorization(WorkflowPolicies.Bureau);
        group.MapPost("/", StartAsync).WithIdempotency().WithName("StartSupervision").WithSummary("Starts supervising the 002 tasks.");
        group.MapGet("/tasks/{number:int}", Get).WithName("GetSupervisedTask").WithSummary("A task with its plan and progress checks.");
        group.MapPost("/tasks/{number:int}/plan", PlanAsync).WithName("SubmitTaskPlan").WithSummary("Records a task's plan.");
        group.MapPost("/tasks/{number:int}/checks/{check:int}", ProgressAsync).WithName("ReportTaskProgress").WithSummary("Records a progress report.");
        return group;
    }

    /// <summary>Starts supervision.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="setup">Units, supervisor, schedule.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201 with the tasks.</returns>
    public static async Task<Created<IReadOnlyList<SupervisedTaskView>>> StartAsync(ProgrammeOperations operations, SupervisionSetup setup, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Created("/api/supervision", await Supervision(operations).StartAsync(setup, DomainAccess.ActorOf(user), cancellationToken));

    /// <summary>Reads a task.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="number">The task number.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<SupervisedTaskView> Get(ProgrammeOperations operations, int number) => TypedResults.Ok(Supervision(operations).Get(number));

    /// <summary>Records a plan.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="number">The task number.</param>
    /// <param name="plan">The plan fields.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202.</returns>
    public static async Task<Accepted> PlanAsync(ProgrammeOperations operations, int number, Dictionary<string, string?> plan, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await Supervision(operations).SubmitPlanAsync(number, plan, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/supervision/tasks/{number}");
    }

    /// <summary>Records progress.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="number">The task number.</param>
    /// <param name="check">The check.</param>
    /// <param name="body">The report.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202.</returns>
    public static async Task<Accepted> ProgressAsync(ProgrammeOperations operations, int number, int check, ProgressBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        await Supervision(operations).ReportProgressAsync(number, check, body.Report, body.Completed, DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Accepted($"/api/supervision/tasks/{number}");
    }

    private static SupervisionOperations Supervision(ProgrammeOperations operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new SupervisionOperations(operations.Services, operations.Client);
    }
}
