using Microsoft.AspNetCore.Http;
using Workflows.Service;

namespace Workflows.Functions;

/// <summary>
/// The shared request pipeline of Workflows.Service (<see cref="WorkflowsPipeline.Build"/>) as one singleton, built at
/// the first request over the worker's services, without the embedded management API (the Functions host serves
/// Durable Functions' own at <c>/runtime/webhooks/durabletask</c>).
/// </summary>
/// <param name="services">The worker's root services (registered with <c>AddWorkflowsService</c>).</param>
public sealed class SharedApiPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> pipeline = new(
        () => WorkflowsPipeline.Build(services, new WorkflowsPipelineOptions { IncludeDurableManagementApi = false }));

    /// <summary>Runs one request through the pipeline.</summary>
    /// <param name="context">The request's context; the pipeline writes the response to it.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public Task Handle(HttpContext context) => this.pipeline.Value(context);
}
