using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;

namespace Workflows.Service.Apis;

/// <summary>Who the caller is, as the host sees the token.</summary>
/// <param name="Subject">The user id.</param>
/// <param name="Roles">The roles.</param>
/// <param name="Organisation">The organisation or person profile id, or null.</param>
/// <param name="Name">The display name, or null.</param>
public sealed record AccountResponse(string Subject, IReadOnlyList<string> Roles, string? Organisation, string? Name);

/// <summary><c>GET /api/me</c>: the signed-in user's claims (any role).</summary>
public static class AccountApi
{
    /// <summary>Maps the account API.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me").WithTags("Account").RequireAuthorization();
        group.MapGet("/", GetMe).WithName("GetMe").WithSummary("The signed-in user's id, roles and organisation.");
        return group;
    }

    /// <summary>Returns the caller's claims.</summary>
    /// <param name="user">The signed-in user.</param>
    /// <returns>200 with the claims.</returns>
    public static Ok<AccountResponse> GetMe(ClaimsPrincipal user) =>
        TypedResults.Ok(new AccountResponse(user.GetUserId()!, user.GetRoles(), user.GetOrganisation(), user.Identity?.Name));
}
