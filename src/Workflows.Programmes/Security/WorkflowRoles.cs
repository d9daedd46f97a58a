namespace Workflows.Programmes.Security;

/// <summary>
/// The roles a Workflows user can hold, as they appear in the <c>role</c> claim of a bearer token.
/// The public (anonymous callers) hold no token, so <see cref="Public"/> never appears in one.
/// </summary>
public static class WorkflowRoles
{
    /// <summary>A bureau officer: opens calls, decides preliminary reviews, runs notices and payments.</summary>
    public const string Bureau = "bureau";

    /// <summary>An expert reviewer: sees and scores only the applications assigned to them.</summary>
    public const string Expert = "expert";

    /// <summary>An applicant (enterprise or person): sees only their own applications and documents.</summary>
    public const string Applicant = "applicant";

    /// <summary>Finance and audit: reads the disbursement ledger and the audit trail.</summary>
    public const string Finance = "finance";

    /// <summary>Anyone without a token: reads the catalogue and notices, files objections.</summary>
    public const string Public = "public";

    /// <summary>An administrator: operates the host and the durable runtime.</summary>
    public const string Admin = "admin";

    /// <summary>The roles a token may carry (every role except <see cref="Public"/>).</summary>
    public static IReadOnlyList<string> TokenRoles { get; } = [Bureau, Expert, Applicant, Finance, Admin];

    /// <summary>Whether <paramref name="role"/> is one of <see cref="TokenRoles"/> (exact, lower-case).</summary>
    /// <param name="role">The role name to check.</param>
    /// <returns><see langword="true"/> for a role a token may carry.</returns>
    public static bool IsTokenRole(string role) => TokenRoles.Contains(role, StringComparer.Ordinal);
}
