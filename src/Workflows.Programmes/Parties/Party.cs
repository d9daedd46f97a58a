namespace Workflows.Programmes.Parties;

/// <summary>Kinds of party that apply for programmes or receive mail.</summary>
public enum PartyKind
{
    /// <summary>An enterprise (企业).</summary>
    Enterprise,

    /// <summary>A natural person (个人).</summary>
    Individual,

    /// <summary>An organisation: platform, incubator, park operator, institute, lead unit.</summary>
    Organisation,
}

/// <summary>An applicant or other party the workflows write to.</summary>
/// <param name="PartyId">Stable id, e.g. the unified social credit code or a person's id in the host.</param>
/// <param name="Name">Display name, e.g. <c>北京某某科技有限公司</c>.</param>
/// <param name="Email">Mail address for notifications.</param>
/// <param name="Organisation">The organisation the party belongs to (for a firm, usually its own name or group); used for conflict-of-interest checks.</param>
/// <param name="Kind">Enterprise, individual or organisation.</param>
public sealed record Party(string PartyId, string Name, string Email, string? Organisation = null, PartyKind Kind = PartyKind.Enterprise);

/// <summary>An expert reviewer in the pool.</summary>
/// <param name="ExpertId">Stable id.</param>
/// <param name="Name">Name.</param>
/// <param name="Email">Mail address.</param>
/// <param name="Organisation">The expert's organisation; an applicant of the same organisation is a conflict of interest.</param>
/// <param name="Active">Whether the expert can be assigned.</param>
public sealed record Expert(string ExpertId, string Name, string Email, string? Organisation = null, bool Active = true);
