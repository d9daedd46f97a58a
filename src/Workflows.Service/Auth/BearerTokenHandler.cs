using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Security;

namespace Workflows.Service.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer …</c> requests with Workflows HS256 tokens
/// (<see cref="TokenValidator"/>). A request without the header stays anonymous (the public role);
/// a bad token fails, and the reason goes to the log only (an expired token is named as such in the 401's detail).
/// </summary>
/// <param name="options">Scheme options.</param>
/// <param name="logger">Logger factory.</param>
/// <param name="encoder">URL encoder.</param>
/// <param name="validator">Checks the token.</param>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Bearer";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var result = validator.Validate(header["Bearer ".Length..].Trim());
        if (result.Claims is not { } claims)
        {
            Logger.TokenRejected(result.Error ?? "unknown");

            // Only an expired token says why: it is the one failure a legitimate user fixes alone, and it reveals nothing.
            return Task.FromResult(AuthenticateResult.Fail(result.Error == TokenValidator.ExpiredError
                ? "The bearer token has expired; get a new one."
                : "The bearer token is not valid."));
        }

        var identity = new ClaimsIdentity(SchemeName, WorkflowClaimTypes.Name, WorkflowClaimTypes.Role);
        identity.AddClaim(new Claim(WorkflowClaimTypes.Subject, claims.Subject));
        foreach (var role in claims.Roles)
        {
            identity.AddClaim(new Claim(WorkflowClaimTypes.Role, role));
        }

        if (claims.Organisation is { Length: > 0 } organisation)
        {
            identity.AddClaim(new Claim(WorkflowClaimTypes.Organisation, organisation));
        }

        if (claims.Name is { Length: > 0 } name)
        {
            identity.AddClaim(new Claim(WorkflowClaimTypes.Name, name));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        if (Context.RequestServices.GetService<IProblemDetailsService>() is { } problems)
        {
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "Unauthorized",
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                    Detail = result.Failure?.Message ?? "This request needs a bearer token: Authorization: Bearer <token>.",
                },
            });
        }
    }
}
