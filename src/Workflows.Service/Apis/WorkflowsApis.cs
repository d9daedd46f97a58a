using Workflows.Service.Email;

namespace Workflows.Service.Apis;

/// <summary>Maps every API of the service. Each <c>Apis/*.cs</c> file adds one line here.</summary>
public static class WorkflowsApis
{
    /// <summary>
    /// Maps the APIs. Conventions for API files: a static class with a <c>Map…Api</c> extension that makes a
    /// <c>MapGroup</c>, names a policy from <see cref="Auth.WorkflowPolicies"/> (or <c>AllowAnonymous()</c> for
    /// the public; without either an endpoint needs a signed-in user), static handlers returning
    /// <c>Results&lt;…&gt;</c> through <c>TypedResults</c>, problem details for every error, and
    /// <c>.WithIdempotency()</c> on POSTs that start work.
    /// </summary>
    /// <param name="app">The route builder.</param>
    /// <param name="options">Which optional APIs to map; all when null.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapWorkflowsApis(this IEndpointRouteBuilder app, WorkflowsPipelineOptions? options = null)
    {
        app.MapHealthApi();
        app.MapOpenApiDocument();
        app.MapAccountApi();
        app.MapDocumentsApi();
        if (options?.IncludeDurableManagementApi ?? true)
        {
            app.MapDurableManagementApi();
        }

        app.MapEmailApi();
        app.MapProgrammesApi();
        app.MapCallsApi();
        app.MapProfilesApi();
        app.MapApplicationsApi();
        app.MapReviewsApi();
        app.MapNoticesApi();
        app.MapLedgerApi();
        app.MapAuditApi();
        app.MapBasesApi();
        app.MapSupervisionApi();
        app.MapClaimsApi();
        app.MapBatchesApi();
        app.MapSanctionsApi();
        return app;
    }
}
