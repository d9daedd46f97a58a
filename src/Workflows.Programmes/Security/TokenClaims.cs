namespace Workflows.Programmes.Security;

/// <summary>Who a token speaks for: the claims a Workflows bearer token carries.</summary>
/// <param name="Subject">The user id (<c>sub</c>); never empty.</param>
/// <param name="Roles">The roles (<c>role</c>), each one of <see cref="WorkflowRoles.TokenRoles"/>.</param>
/// <param name="Organisation">The organisation or person profile id (<c>org</c>) for applicants and experts; otherwise null.</param>
/// <param name="Name">The display name (<c>name</c>), or null.</param>
public sealed record TokenClaims(string Subject, IReadOnlyList<string> Roles, string? Organisation = null, string? Name = null);
