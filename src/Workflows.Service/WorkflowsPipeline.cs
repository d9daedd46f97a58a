using Workflows.Service.Apis;
using Workflows.Service.Http;

namespace Workflows.Service;

/// <summary>Choices a host makes about the request pipeline of <see cref="WorkflowsPipeline"/>.</summary>
public sealed class WorkflowsPipelineOptions
{
    /// <summary>
    /// Whether to serve the embedded runtime's Durable Functions–style management API under
    /// <c>/runtime/webhooks/durabletask</c>. The Azure Functions host turns it off: the Functions host serves its own
    /// at that path.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool IncludeDurableManagementApi { get; set; } = true;
}

/// <summary>
/// The one request pipeline of both hosts: problem details for exceptions and for empty error responses, routing,
/// authentication, authorization, the idempotency middleware (after authorization, so a refused request never
/// reserves a key), and the endpoints of <see cref="WorkflowsApis.MapWorkflowsApis"/>. The Azure Functions host calls
/// the delegate of <see cref="Build"/> from a catch-all HTTP function; the embedded host adds the same middleware to its
/// web application with <see cref="UseWorkflowsPipeline"/> (a web application that only ran the built delegate would
/// put its own automatic authentication and authorization in front of it, before any endpoint is chosen).
/// </summary>
public static class WorkflowsPipeline
{
    /// <summary>Builds the complete pipeline as one request delegate over the host's services.</summary>
    /// <param name="services">The root services, registered with <see cref="WorkflowsServiceCollectionExtensions.AddWorkflowsService"/>.</param>
    /// <param name="options">The host's choices; defaults when null.</param>
    /// <returns>The pipeline; a request no endpoint matches gets a 404 problem.</returns>
    public static RequestDelegate Build(IServiceProvider services, WorkflowsPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var app = new ApplicationBuilder(services);
        app.UseWorkflowsPipeline(options);
        return app.Build();
    }

    /// <summary>Adds the pipeline's middleware and endpoints to <paramref name="app"/>, in the order described above.</summary>
    /// <param name="app">The application; its services are registered with <see cref="WorkflowsServiceCollectionExtensions.AddWorkflowsService"/>.</param>
    /// <param name="options">The host's choices; defaults when null.</param>
    /// <returns>The same application.</returns>
    public static IApplicationBuilder UseWorkflowsPipeline(this IApplicationBuilder app, WorkflowsPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        options ??= new WorkflowsPipelineOptions();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();

        // A path no endpoint serves is 404 for everyone: without this, the fallback policy (signed-in user) would
        // answer an anonymous caller's typo, or /notices/abc, with 401 "needs a bearer token". Likewise a known path
        // with a method it does not serve: routing picks its rejection endpoint (405 with Allow, or 415), which is not
        // a route endpoint of ours and runs here, before authorization, so an anonymous DELETE is 405, not 401.
        app.Use(static (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (endpoint is not RouteEndpoint && endpoint.RequestDelegate is { } rejection)
            {
                return rejection(context);
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseEndpoints(endpoints => endpoints.MapWorkflowsApis(options));
        return app;
    }
}
