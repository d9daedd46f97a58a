using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Workflows.Programmes.Security;

/// <summary>The outcome of checking a bearer token.</summary>
/// <param name="Claims">The token's claims when valid; otherwise null.</param>
/// <param name="Error">Why the token was refused (for logs, never shown to the caller); null when valid.</param>
public sealed record TokenValidationResult(TokenClaims? Claims, string? Error)
{
    /// <summary>Whether the token was accepted.</summary>
    public bool Succeeded => Claims is not null;
}

/// <summary>
/// Checks HS256 JSON Web Tokens: the signature (constant-time), the algorithm (only HS256; <c>none</c> and
/// others are refused), issuer, audience, expiry and not-before with a small clock skew.
/// </summary>
/// <param name="key">The signing key.</param>
/// <param name="settings">The expected issuer and audience.</param>
/// <param name="timeProvider">The clock for expiry checks.</param>
public sealed class TokenValidator(TokenSigningKey key, TokenSettings settings, TimeProvider timeProvider)
{
    /// <summary>How far clocks may disagree when checking <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>The <see cref="TokenValidationResult.Error"/> of a token whose <c>exp</c> has passed.</summary>
    public const string ExpiredError = "the token has expired";

    /// <summary>Checks <paramref name="token"/>.</summary>
    /// <param name="token">The compact token, without the <c>Bearer </c> prefix.</param>
    /// <returns>The claims, or the reason for refusal.</returns>
    public TokenValidationResult Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return Fail("the token does not have three parts");
        }

        byte[] headerBytes, payloadBytes, signature;
        try
        {
            headerBytes = Base64Url.DecodeFromChars(parts[0]);
            payloadBytes = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return Fail("a token part is not base64url");
        }

        var expected = key.Sign(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return Fail("the signature does not match");
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var alg)
                || alg.ValueKind != JsonValueKind.String
                || alg.GetString() != "HS256")
            {
                return Fail("the algorithm is not HS256");
            }

            using var payload = JsonDocument.Parse(payloadBytes);
            return ReadPayload(payload.RootElement);
        }
        catch (JsonException)
        {
            return Fail("the header or payload is not JSON");
        }
    }

    private TokenValidationResult ReadPayload(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return Fail("the payload is not an object");
        }

        if (GetString(payload, "iss") != settings.Issuer)
        {
            return Fail("the issuer is wrong");
        }

        if (!GetStrings(payload, "aud").Contains(settings.Audience, StringComparer.Ordinal))
        {
            return Fail("the audience is wrong");
        }

        var now = timeProvider.GetUtcNow();
        if (!payload.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
        {
            return Fail("the token has no expiry");
        }

        if (DateTimeOffset.FromUnixTimeSeconds(expSeconds) + ClockSkew <= now)
        {
            return Fail(ExpiredError);
        }

        if (payload.TryGetProperty("nbf", out var nbf) && nbf.TryGetInt64(out var nbfSeconds)
            && DateTimeOffset.FromUnixTimeSeconds(nbfSeconds) - ClockSkew > now)
        {
            return Fail("the token is not valid yet");
        }

        var subject = GetString(payload, WorkflowClaimTypes.Subject);
        if (string.IsNullOrWhiteSpace(subject))
        {
            return Fail("the token has no subject");
        }

        var roles = GetStrings(payload, WorkflowClaimTypes.Role).Where(WorkflowRoles.IsTokenRole).Distinct(StringComparer.Ordinal).ToArray();
        return new TokenValidationResult(
            new TokenClaims(subject, roles, GetString(payload, WorkflowClaimTypes.Organisation), GetString(payload, WorkflowClaimTypes.Name)),
            null);
    }

    private static string? GetString(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> GetStrings(JsonElement payload, string name)
    {
        var result = new List<string>();
        if (!payload.TryGetProperty(name, out var value))
        {
            return result;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            result.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            result.AddRange(value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }

        return result;
    }

    private static TokenValidationResult Fail(string reason) => new(null, reason);
}
