using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Service.Configuration;

namespace Workflows.Host.Tests.Configuration;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedValues()
    {
        Assert.Equal("./app_data", new WorkflowsOptions().DataPath);
        Assert.Equal("workflows-local", new TokenOptions().Issuer);
        Assert.Equal("workflows", new TokenOptions().Audience);
        Assert.Null(new TokenOptions().SigningKey);
        Assert.Equal(20 * 1024 * 1024, new DocumentOptions().MaxBytes);
        Assert.Equal(
            new[] { "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/jpeg", "image/png", "text/csv" },
            new DocumentOptions().AllowedContentTypeSet().Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromDays(1), new IdempotencyOptions().Retention);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new WorkflowsOptionsValidator().Validate(null, new WorkflowsOptions()).Succeeded);
        Assert.True(new TokenOptionsValidator().Validate(null, new TokenOptions()).Succeeded);
        Assert.True(new DocumentOptionsValidator().Validate(null, new DocumentOptions()).Succeeded);
        Assert.True(new IdempotencyOptionsValidator().Validate(null, new IdempotencyOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EmptyDataPath_NamesTheSetting()
    {
        var result = new WorkflowsOptionsValidator().Validate(null, new WorkflowsOptions { DataPath = " " });
        Assert.Equal("Workflows:DataPath must name a folder (default ./app_data); it is empty.", result.FailureMessage);
    }

    [Fact]
    public void Validate_ZeroMaxBytes_NamesTheSettingAndTheValue()
    {
        var result = new DocumentOptionsValidator().Validate(null, new DocumentOptions { MaxBytes = 0 });
        Assert.Equal("Workflows:Documents:MaxBytes must be between 1 and 1073741824 bytes; got 0.", result.FailureMessage);
    }

    [Fact]
    public void Validate_WildcardContentType_NamesTheEntry()
    {
        var result = new DocumentOptionsValidator().Validate(null, new DocumentOptions { AllowedContentTypes = "application/pdf, image/*" });
        Assert.Equal(
            "Workflows:Documents:AllowedContentTypes: 'image/*' is not an exact content type like application/pdf (no parameters, no wildcards).",
            result.FailureMessage);
    }

    [Fact]
    public void Validate_NoContentTypes_SaysOneIsNeeded()
    {
        var result = new DocumentOptionsValidator().Validate(null, new DocumentOptions { AllowedContentTypes = " , " });
        Assert.Equal("Workflows:Documents:AllowedContentTypes must list at least one content type, e.g. application/pdf.", result.FailureMessage);
    }

    [Fact]
    public void Validate_ShortSigningKey_SaysHowLongItMustBe()
    {
        var result = new TokenOptionsValidator().Validate(null, new TokenOptions { SigningKey = Convert.ToBase64String(new byte[16]) });
        Assert.False(result.Succeeded);
        Assert.Equal(
            "Workflows:Auth:SigningKey: The token signing key is 16 bytes; it must be at least 32 bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`). Leave it empty to use a key generated in the data folder.",
            result.FailureMessage);
    }

    [Fact]
    public void Validate_EmptyIssuerAndAudience_ListsBoth()
    {
        var result = new TokenOptionsValidator().Validate(null, new TokenOptions { Issuer = "", Audience = "" });
        Assert.Equal(
            ["Workflows:Auth:Issuer must not be empty (default workflows-local).", "Workflows:Auth:Audience must not be empty (default workflows)."],
            result.Failures);
    }

    [Fact]
    public void Validate_RetentionTooShort_NamesTheRange()
    {
        var result = new IdempotencyOptionsValidator().Validate(null, new IdempotencyOptions { Retention = TimeSpan.FromSeconds(5) });
        Assert.Equal("Workflows:Idempotency:Retention must be between 00:01:00 and 365.00:00:00; got 00:00:05.", result.FailureMessage);
    }
}
