using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Security;

namespace Workflows.Service.Configuration;

/// <summary>Checks <see cref="TokenOptions"/>.</summary>
internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("Workflows:Auth:Issuer must not be empty (default workflows-local).");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Workflows:Auth:Audience must not be empty (default workflows).");
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            try
            {
                _ = TokenSigningKey.FromBase64(options.SigningKey);
            }
            catch (FormatException ex)
            {
                failures.Add($"Workflows:Auth:SigningKey: {ex.Message} Leave it empty to use a key generated in the data folder.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks <see cref="DocumentOptions"/>.</summary>
internal sealed class DocumentOptionsValidator : IValidateOptions<DocumentOptions>
{
    /// <summary>The largest <see cref="DocumentOptions.MaxBytes"/> allowed: 1 GiB.</summary>
    public const long MaxBytesCeiling = 1024L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, DocumentOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBytes is < 1 or > MaxBytesCeiling)
        {
            failures.Add($"Workflows:Documents:MaxBytes must be between 1 and {MaxBytesCeiling} bytes; got {options.MaxBytes}.");
        }

        var types = options.AllowedContentTypeSet();
        if (types.Count == 0)
        {
            failures.Add("Workflows:Documents:AllowedContentTypes must list at least one content type, e.g. application/pdf.");
        }

        foreach (var type in types)
        {
            if (!MediaTypeHeaderValue.TryParse(type, out var parsed) || parsed.MediaType != type || !type.Contains('/', StringComparison.Ordinal) || type.Contains('*', StringComparison.Ordinal))
            {
                failures.Add($"Workflows:Documents:AllowedContentTypes: '{type}' is not an exact content type like application/pdf (no parameters, no wildcards).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks <see cref="IdempotencyOptions"/>.</summary>
internal sealed class IdempotencyOptionsValidator : IValidateOptions<IdempotencyOptions>
{
    public ValidateOptionsResult Validate(string? name, IdempotencyOptions options) =>
        options.Retention < TimeSpan.FromMinutes(1) || options.Retention > TimeSpan.FromDays(365)
            ? ValidateOptionsResult.Fail($"Workflows:Idempotency:Retention must be between 00:01:00 and 365.00:00:00; got {options.Retention}.")
            : ValidateOptionsResult.Success;
}
