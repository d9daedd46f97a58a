using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workflows.Service.Apis;

/// <summary><c>GET /health</c> and the OpenAPI document, both public.</summary>
public static class HealthApi
{
    /// <summary>
    /// Maps <c>GET /health</c>: 200 with <c>{"status":"Healthy","checks":{"records":"Healthy",…}}</c>, or 503
    /// with the same shape when a check fails. Names no paths or internals.
    /// </summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The endpoint.</returns>
    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .WithTags("Health");

    /// <summary>Maps the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The endpoint.</returns>
    public static IEndpointConventionBuilder MapOpenApiDocument(this IEndpointRouteBuilder app) =>
        app.MapOpenApi().AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
