using System.Buffers.Text;
using System.Text;
using Workflows.Durable.Testing;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Auth;

public sealed class TokenTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly TokenSigningKey _key = TokenSigningKey.Generate();

    private DevTokenIssuer Issuer() => new(_key, TokenSettings.Default, _clock);

    private TokenValidator Validator(TokenSigningKey? key = null, TokenSettings? settings = null) => new(key ?? _key, settings ?? TokenSettings.Default, _clock);

    [Fact]
    public void Issue_ThenValidate_ReturnsTheClaims()
    {
        var token = Issuer().Issue(new TokenClaims("applicant-7", [WorkflowRoles.Applicant], "org-91110000", "张三"), TimeSpan.FromDays(1));

        var result = Validator().Validate(token);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("applicant-7", result.Claims!.Subject);
        Assert.Equal([WorkflowRoles.Applicant], result.Claims.Roles);
        Assert.Equal("org-91110000", result.Claims.Organisation);
        Assert.Equal("张三", result.Claims.Name);
    }

    [Fact]
    public void Issue_Payload_CarriesStandardClaims()
    {
        var token = Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Bureau, WorkflowRoles.Finance]), TimeSpan.FromHours(2));
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();

        Assert.Contains("\"iss\":\"workflows-local\"", payload);
        Assert.Contains("\"aud\":\"workflows\"", payload);
        Assert.Contains("\"role\":[\"bureau\",\"finance\"]", payload);
        Assert.Contains($"\"exp\":{now + 7200}", payload);
    }

    [Fact]
    public void Validate_AfterExpiryPlusSkew_Fails()
    {
        var token = Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Admin]), TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(1) + TokenValidator.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.True(Validator().Validate(token).Succeeded);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("the token has expired", Validator().Validate(token).Error);
    }

    [Fact]
    public void Validate_OtherKey_Fails()
    {
        var token = Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Admin]), TimeSpan.FromHours(1));
        Assert.Equal("the signature does not match", Validator(TokenSigningKey.Generate()).Validate(token).Error);
    }

    [Fact]
    public void Validate_PayloadChanged_Fails()
    {
        var parts = Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Applicant], "org"), TimeSpan.FromHours(1)).Split('.');
        var forged = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("applicant", "admin", StringComparison.Ordinal);
        var token = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)) + "." + parts[2];

        Assert.Equal("the signature does not match", Validator().Validate(token).Error);
    }

    [Fact]
    public void Validate_AlgNoneWithoutSignature_Fails()
    {
        static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var exp = _clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        var token = Part("""{"alg":"none","typ":"JWT"}""") + "." + Part($$"""{"iss":"workflows-local","aud":"workflows","sub":"x","role":"admin","exp":{{exp}}}""") + ".";

        Assert.False(Validator().Validate(token).Succeeded);
    }

    [Fact]
    public void Validate_WrongAudience_Fails()
    {
        var token = Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Admin]), TimeSpan.FromHours(1));
        Assert.Equal("the audience is wrong", Validator(settings: new TokenSettings("workflows-local", "other")).Validate(token).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("!!.??.**")]
    public void Validate_Garbage_FailsWithoutThrowing(string token)
    {
        Assert.False(Validator().Validate(token).Succeeded);
    }

    [Fact]
    public void Issue_UnknownRole_ListsTheKnownRoles()
    {
        var ex = Assert.Throws<ArgumentException>(() => Issuer().Issue(new TokenClaims("u", ["superuser"]), TimeSpan.FromHours(1)));
        Assert.StartsWith("Unknown role 'superuser'. A token may carry: bureau, expert, applicant, finance, admin (the public needs no token).", ex.Message);
    }

    [Fact]
    public void Issue_PublicRole_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Public]), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Issue_ApplicantWithoutOrganisation_SaysOrgIsNeeded()
    {
        var ex = Assert.Throws<ArgumentException>(() => Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Applicant]), TimeSpan.FromHours(1)));
        Assert.StartsWith("An applicant token needs an organisation (org)", ex.Message);
    }

    [Fact]
    public void Issue_LifetimeOverAYear_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Issuer().Issue(new TokenClaims("u", [WorkflowRoles.Admin]), TimeSpan.FromDays(400)));
        Assert.StartsWith("The lifetime must be between 1 minute and 366 days", ex.Message);
    }
}
