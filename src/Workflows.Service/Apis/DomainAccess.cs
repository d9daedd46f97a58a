using System.Security.Claims;
using Workflows.Service.Auth;
using Workflows.Programmes;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Security;

namespace Workflows.Service.Apis;

/// <summary>Who the caller is for the domain APIs, and the ownership checks that answer 404 for other people's data.</summary>
public static class DomainAccess
{
    /// <summary>The audit actor of the caller: the user id and the first role (anonymous callers are <c>public</c>).</summary>
    /// <param name="user">The caller.</param>
    /// <returns>The actor.</returns>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.GetUserId();
        return id is null ? new Actor("public", "public") : new Actor(id, user.GetRoles().FirstOrDefault() ?? "user");
    }

    /// <summary>The party (一企一档) an applicant acts for: the organisation claim, else the user id.</summary>
    /// <param name="user">The applicant.</param>
    /// <returns>The party id.</returns>
    public static string PartyOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.GetOrganisation() ?? user.GetUserId() ?? throw new ProgrammeValidationException("sub", "The token names no user.");
    }

    /// <summary>
    /// Reads an application the caller may see: applicants only their party's, experts only their assignments,
    /// bureau, finance and admins any. Anything else is reported exactly like a missing application.
    /// </summary>
    /// <param name="operations">The facade.</param>
    /// <param name="applicationId">The application.</param>
    /// <param name="user">The caller.</param>
    /// <returns>The application.</returns>
    /// <exception cref="ProgrammeNotFoundException">Missing or not the caller's.</exception>
    public static ApplicationView VisibleApplication(ProgrammeOperations operations, long applicationId, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(user);
        var view = operations.GetApplication(applicationId);
        var allowed = user.IsInAnyRole(WorkflowRoles.Bureau, WorkflowRoles.Admin, WorkflowRoles.Finance)
            || (user.IsInRole(WorkflowRoles.Applicant) && view.ApplicantId == PartyOf(user))
            || (user.IsInRole(WorkflowRoles.Expert) && view.Reviewers.Any(r => r.ExpertId == user.GetUserId()));
        return allowed ? view : throw new ProgrammeNotFoundException("application", applicationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
