using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workflows.Service.Apis;

/// <summary><c>GET /health</c> and the OpenAPI document, both public.</summary>
public static class HealthApi
{
    /// <summary>
    /// Maps <c>GET /health</c> and the same at <c>GET /api/health</c> (reachable under the Azure Functions route prefix
    /// <c>api</c>): 200 with <c>{"status":"Healthy","checks":{"records":"Healthy",…}}</c>, or 503 with the same shape
    /// when a check fails. Names no paths or internals.
    /// </summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        foreach (var path in (string[])["/health", "/api/health"])
        {
            app.MapHealthChecks(path, new HealthCheckOptions { ResponseWriter = WriteAsync })
                .AllowAnonymous()
                .WithTags("Health");
        }

        return app;
    }

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
