using Microsoft.AspNetCore.Authorization;
using Workflows.Programmes.Security;

namespace Workflows.Service.Auth;

/// <summary>
/// Authorization policies by role. Endpoints name one with <c>RequireAuthorization(WorkflowPolicies.X)</c>;
/// an endpoint that names none still needs a signed-in user (the fallback policy), and public endpoints
/// say so with <c>AllowAnonymous()</c>.
/// </summary>
public static class WorkflowPolicies
{
    /// <summary>Bureau officers (and admins): calls, reviews, notices, payments.</summary>
    public const string Bureau = "bureau";

    /// <summary>Expert reviewers.</summary>
    public const string Expert = "expert";

    /// <summary>Applicants (enterprises and persons).</summary>
    public const string Applicant = "applicant";

    /// <summary>Finance and audit, and bureau officers and admins: the ledger, budgets, the audit trail.</summary>
    public const string Finance = "finance";

    /// <summary>Administrators only.</summary>
    public const string Admin = "admin";

    /// <summary>The Durable Functions management API: admins and bureau officers.</summary>
    public const string DurableManagement = "durable-management";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [Bureau] = [WorkflowRoles.Bureau, WorkflowRoles.Admin],
        [Expert] = [WorkflowRoles.Expert],
        [Applicant] = [WorkflowRoles.Applicant],
        [Finance] = [WorkflowRoles.Finance, WorkflowRoles.Bureau, WorkflowRoles.Admin],
        [Admin] = [WorkflowRoles.Admin],
        [DurableManagement] = [WorkflowRoles.Admin, WorkflowRoles.Bureau],
    };

    /// <summary>Registers the policies and the fallback (signed-in user) policy.</summary>
    /// <param name="builder">The authorization builder.</param>
    /// <returns>The same builder.</returns>
    public static AuthorizationBuilder AddWorkflowPolicies(this AuthorizationBuilder builder)
    {
        foreach (var (policy, roles) in Roles)
        {
            builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        return builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
