using System.Security.Claims;
using Workflows.Programmes.Security;

namespace Workflows.Service.Auth;

/// <summary>Reads Workflows claims from the signed-in user.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The user id (<c>sub</c>), or null for the public.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The id or null.</returns>
    public static string? GetUserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(WorkflowClaimTypes.Subject)?.Value : null;

    /// <summary>The organisation or person profile id (<c>org</c>), or null.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The id or null.</returns>
    public static string? GetOrganisation(this ClaimsPrincipal user) => user.FindFirst(WorkflowClaimTypes.Organisation)?.Value;

    /// <summary>The user's roles; empty for the public.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The roles.</returns>
    public static IReadOnlyList<string> GetRoles(this ClaimsPrincipal user) =>
        user.FindAll(WorkflowClaimTypes.Role).Select(c => c.Value).ToList();

    /// <summary>Whether the user holds any of <paramref name="roles"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="roles">The roles to look for.</param>
    /// <returns><see langword="true"/> if one matches.</returns>
    public static bool IsInAnyRole(this ClaimsPrincipal user, params ReadOnlySpan<string> roles)
    {
        foreach (var role in roles)
        {
            if (user.IsInRole(role))
            {
                return true;
            }
        }

        return false;
    }
}
