using Workflows.Host.Http;

namespace Workflows.Host;

/// <summary>The request pipeline. <c>Program.cs</c> calls <see cref="UseWorkflowsHost"/> once.</summary>
public static class HostApplicationExtensions
{
    /// <summary>
    /// Adds, in order: problem details for exceptions and for empty error responses, routing,
    /// authentication, authorization, and the idempotency middleware (after authorization, so a refused
    /// request never reserves a key).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseWorkflowsHost(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }
}
