using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Service.Auth;

/// <summary>
/// Answers a refused role with a problem document that names the roles the endpoint admits and the roles the
/// token carries, so a caller with the wrong token knows which one to get. Everything else is the framework's.
/// </summary>
/// <param name="problems">Writes problem details.</param>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        await this.fallback.HandleAsync(next, context, policy, authorizeResult);
        if (!authorizeResult.Forbidden || context.Response.HasStarted || context.Response.StatusCode != StatusCodes.Status403Forbidden)
        {
            return;
        }

        var admitted = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var held = context.User.GetRoles();
        var detail = admitted.Count == 0
            ? "Your token does not allow this request."
            : $"This needs the role {string.Join(" or ", admitted)}; your token has {(held.Count == 0 ? "no role" : "the role " + string.Join(", ", held))}.";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                Detail = detail,
            },
        });
    }
}
