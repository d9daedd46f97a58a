using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Workflows.Functions;

/// <summary>
/// The whole HTTP API in one function: every method on every path (host.json sets <c>extensions.http.routePrefix</c>
/// to empty, so paths equal the embedded host's: <c>/api/...</c>, <c>/health</c>, <c>/openapi/v1.json</c>,
/// <c>/notices/{callId}</c>) goes to the shared pipeline of Workflows.Service, the same routes, JSON, bearer-token
/// authorization, idempotency and problem details as the embedded host. The function itself is anonymous: the pipeline
/// authorizes every request itself.
/// </summary>
/// <remarks>
/// The Durable Functions management API (<c>/runtime/webhooks/durabletask/...</c>) is served by the Functions host,
/// not by a function, and the catch-all's route constraint keeps every <c>runtime/...</c> path out of this function so
/// it is never shadowed (the host already keeps <c>/admin/...</c> for itself). The shared pipeline is built without
/// its own copy of that API (<c>IncludeDurableManagementApi = false</c>).
/// </remarks>
/// <param name="api">The shared request pipeline.</param>
/// <param name="bridge">The durable client the programme facades use.</param>
public sealed class HttpFunctions(SharedApiPipeline api, DurableClientBridge bridge)
{
    /// <summary>
    /// The catch-all route: any path (the parameter takes the rest of the path) except <c>runtime</c> and
    /// <c>runtime/...</c>, the Functions host's own webhooks (Durable Functions' management API among them).
    /// </summary>
    public const string CatchAllRoute = "{*path:regex(^(?!runtime(/|$)).*$)}";

    /// <summary>Serves one request of the API through the shared pipeline.</summary>
    /// <param name="request">The request (ASP.NET Core integration: the real <see cref="HttpContext"/>).</param>
    /// <param name="client">Durable Functions' client, attached to the bridge before anything else runs.</param>
    /// <returns>
    /// An <see cref="EmptyResult"/>: the pipeline has already written the response to <see cref="HttpRequest.HttpContext"/>,
    /// and the worker executes the returned action result, which here adds nothing.
    /// </returns>
    [Function("WorkflowsApi")]
    public async Task<IActionResult> WorkflowsApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = CatchAllRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        bridge.Attach(client);

        // The worker routed this request to the function's endpoint already; the shared pipeline routes it again
        // among the API's endpoints, which endpoint routing skips while an endpoint is set.
        var context = request.HttpContext;
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        await api.Handle(context);
        return new EmptyResult();
    }
}
