namespace Workflows.Programmes.Security;

/// <summary>What a token is checked against besides its signature.</summary>
/// <param name="Issuer">The <c>iss</c> the host expects, e.g. <c>workflows-local</c>.</param>
/// <param name="Audience">The <c>aud</c> the host expects, e.g. <c>workflows</c>.</param>
public sealed record TokenSettings(string Issuer, string Audience)
{
    /// <summary>The issuer used when settings name none.</summary>
    public const string DefaultIssuer = "workflows-local";

    /// <summary>The audience used when settings name none.</summary>
    public const string DefaultAudience = "workflows";

    /// <summary>The settings used when none are configured.</summary>
    public static TokenSettings Default { get; } = new(DefaultIssuer, DefaultAudience);
}
