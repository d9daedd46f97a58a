namespace Workflows.Service.Configuration;

/// <summary>Bearer token settings. Section <c>Workflows:Auth</c>.</summary>
public sealed class TokenOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Auth";

    /// <summary>The issuer (<c>iss</c>) tokens must carry.</summary>
    /// <value>Default <c>workflows-local</c>.</value>
    public string Issuer { get; set; } = Programmes.Security.TokenSettings.DefaultIssuer;

    /// <summary>The audience (<c>aud</c>) tokens must carry.</summary>
    /// <value>Default <c>workflows</c>.</value>
    public string Audience { get; set; } = Programmes.Security.TokenSettings.DefaultAudience;

    /// <summary>
    /// The HMAC-SHA256 signing key in base64 (at least 32 bytes). When empty, the key is read from
    /// <c>token-signing.key</c> in the data folder, generated there on first run. Never commit a key.
    /// </summary>
    /// <value>Default empty (use the key file).</value>
    public string? SigningKey { get; set; }
}

/// <summary>Document upload rules. Section <c>Workflows:Documents</c>.</summary>
public sealed class DocumentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Documents";

    /// <summary>The largest document accepted, in bytes; a larger upload gets 413.</summary>
    /// <value>Default 20 MiB (20971520).</value>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// The content types accepted, comma-separated (a flat string so it fits <c>local.settings.json</c>);
    /// any other type gets 415.
    /// </summary>
    /// <value>Default PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) and CSV.</value>
    public string AllowedContentTypes { get; set; } =
        "application/pdf,image/png,image/jpeg,"
        + "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv";

    /// <summary>The allowed content types as a set (lower-case, trimmed, without parameters).</summary>
    /// <returns>The set.</returns>
    public IReadOnlySet<string> AllowedContentTypeSet() =>
        AllowedContentTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>Idempotency-Key handling. Section <c>Workflows:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Idempotency";

    /// <summary>How long a stored response is replayed for a repeated key; older keys may be used afresh.</summary>
    /// <value>Default one day (<c>1.00:00:00</c>).</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);
}
