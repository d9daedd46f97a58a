namespace Workflows.Programmes.Security;

/// <summary>The claim names Workflows tokens carry (short JWT names, kept as-is by the host).</summary>
public static class WorkflowClaimTypes
{
    /// <summary>The user id (<c>sub</c>).</summary>
    public const string Subject = "sub";

    /// <summary>A role (<c>role</c>); one claim per role.</summary>
    public const string Role = "role";

    /// <summary>The organisation (enterprise or person profile) an applicant acts for, or an expert belongs to (<c>org</c>).</summary>
    public const string Organisation = "org";

    /// <summary>The display name (<c>name</c>).</summary>
    public const string Name = "name";
}
