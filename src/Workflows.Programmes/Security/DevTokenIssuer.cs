using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Workflows.Programmes.Security;

/// <summary>
/// Issues signed HS256 JSON Web Tokens for local development and tests (<c>workflows token</c>).
/// A production deployment would take tokens from an identity provider; the host accepts both as
/// long as they are signed with its key and name its issuer and audience.
/// </summary>
/// <param name="key">The signing key (see <see cref="SigningKeyStore"/>).</param>
/// <param name="settings">Issuer and audience written into the token.</param>
/// <param name="timeProvider">The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>.</param>
public sealed class DevTokenIssuer(TokenSigningKey key, TokenSettings settings, TimeProvider timeProvider)
{
    /// <summary>The longest lifetime a development token may have.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(366);

    /// <summary>Creates a signed token for <paramref name="claims"/>.</summary>
    /// <param name="claims">Subject, roles, organisation and name.</param>
    /// <param name="lifetime">How long the token is valid from now; between one minute and <see cref="MaximumLifetime"/>.</param>
    /// <returns>The compact token (<c>header.payload.signature</c>).</returns>
    /// <exception cref="ArgumentException">A claim breaks a rule; the message names which and why.</exception>
    public string Issue(TokenClaims claims, TimeSpan lifetime)
    {
        Validate(claims, lifetime);
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();

        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" });
        using var payloadStream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payloadStream))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", settings.Issuer);
            writer.WriteString("aud", settings.Audience);
            writer.WriteString(WorkflowClaimTypes.Subject, claims.Subject);
            writer.WriteStartArray(WorkflowClaimTypes.Role);
            foreach (var role in claims.Roles.Distinct(StringComparer.Ordinal))
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
            if (!string.IsNullOrWhiteSpace(claims.Organisation))
            {
                writer.WriteString(WorkflowClaimTypes.Organisation, claims.Organisation);
            }

            if (!string.IsNullOrWhiteSpace(claims.Name))
            {
                writer.WriteString(WorkflowClaimTypes.Name, claims.Name);
            }

            writer.WriteNumber("iat", now);
            writer.WriteNumber("nbf", now);
            writer.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
            writer.WriteEndObject();
        }

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payloadStream.ToArray());
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static void Validate(TokenClaims claims, TimeSpan lifetime)
    {
        if (string.IsNullOrWhiteSpace(claims.Subject))
        {
            throw new ArgumentException("The subject (user id) must not be empty.", nameof(claims));
        }

        if (claims.Roles.Count == 0)
        {
            throw new ArgumentException($"A token needs at least one role: {string.Join(", ", WorkflowRoles.TokenRoles)}.", nameof(claims));
        }

        foreach (var role in claims.Roles)
        {
            if (!WorkflowRoles.IsTokenRole(role))
            {
                throw new ArgumentException(
                    $"Unknown role '{role}'. A token may carry: {string.Join(", ", WorkflowRoles.TokenRoles)} (the public needs no token).",
                    nameof(claims));
            }
        }

        if (claims.Roles.Contains(WorkflowRoles.Applicant, StringComparer.Ordinal) && string.IsNullOrWhiteSpace(claims.Organisation))
        {
            throw new ArgumentException("An applicant token needs an organisation (org): the enterprise or person profile the applicant acts for.", nameof(claims));
        }

        if (lifetime < TimeSpan.FromMinutes(1) || lifetime > MaximumLifetime)
        {
            throw new ArgumentException($"The lifetime must be between 1 minute and {MaximumLifetime.TotalDays} days; got {lifetime}.", nameof(lifetime));
        }
    }
}
