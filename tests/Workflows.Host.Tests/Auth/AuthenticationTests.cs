using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Service.Apis;
using Workflows.Service.Auth;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Auth;

public sealed class AuthenticationTests(WorkflowsHostFactory factory) : IClassFixture<WorkflowsHostFactory>
{
    [Fact]
    public async Task GetMe_NoToken_Is401ProblemWithBearerChallenge()
    {
        var response = await factory.CreateClient().GetAsync("/api/me");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("This request needs a bearer token: Authorization: Bearer <token>.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListCalls_ApplicantToken_Is403NamingTheAdmittedAndHeldRoles()
    {
        var response = await factory.ClientFor(WorkflowRoles.Applicant, "applicant-1", "org-1").GetAsync("/api/calls");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("This needs the role bureau or admin; your token has the role applicant.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetMe_ValidToken_ReturnsTheClaims()
    {
        var response = await factory.ClientFor(WorkflowRoles.Applicant, "applicant-1", "org-1").GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<AccountResponse>();
        Assert.Equal("applicant-1", me!.Subject);
        Assert.Equal([WorkflowRoles.Applicant], me.Roles);
        Assert.Equal("org-1", me.Organisation);
        Assert.Null(me.Name);
    }

    [Fact]
    public async Task GetMe_TokenSignedWithAnotherKey_Is401InvalidToken()
    {
        var foreign = new DevTokenIssuer(TokenSigningKey.Generate(), TokenSettings.Default, factory.Clock)
            .Issue(new TokenClaims("intruder", [WorkflowRoles.Admin]), TimeSpan.FromHours(1));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", foreign);

        var response = await client.GetAsync("/api/me");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("signature", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("The bearer token is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetMe_ExpiredOnTheHostClock_Is401()
    {
        var token = factory.Token(WorkflowRoles.Bureau, "officer-1", lifetime: TimeSpan.FromMinutes(5));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        // The fixture's clock is shared by the class, so the expired token is issued two hours in the past.
        var old = new DevTokenIssuer(
                factory.Services.GetRequiredService<TokenSigningKey>(),
                TokenSettings.Default,
                new Durable.Testing.ManualTimeProvider(factory.Clock.GetUtcNow().AddHours(-2)))
            .Issue(new TokenClaims("officer-1", [WorkflowRoles.Bureau]), TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", old);

        var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        Assert.Equal("The bearer token has expired; get a new one.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_Anonymous_IsHealthy()
    {
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{"records":"Healthy"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_Anonymous_DescribesTheBearerSchemeAndTheApis()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"bearerFormat\": \"JWT\"", text);
        Assert.Contains("\"/api/documents\"", text);
        Assert.Contains("\"/api/me\"", text);
        Assert.Contains("\"/runtime/webhooks/durabletask/instances/{instanceId}\"", text);
    }

    public static TheoryData<string, string, bool> PolicyMatrix()
    {
        var data = new TheoryData<string, string, bool>();
        string[] roles = [WorkflowRoles.Bureau, WorkflowRoles.Expert, WorkflowRoles.Applicant, WorkflowRoles.Finance, WorkflowRoles.Admin, WorkflowRoles.Public];
        var allowed = new Dictionary<string, string[]>
        {
            [WorkflowPolicies.Bureau] = [WorkflowRoles.Bureau, WorkflowRoles.Admin],
            [WorkflowPolicies.Expert] = [WorkflowRoles.Expert],
            [WorkflowPolicies.Applicant] = [WorkflowRoles.Applicant],
            [WorkflowPolicies.Finance] = [WorkflowRoles.Finance, WorkflowRoles.Bureau, WorkflowRoles.Admin],
            [WorkflowPolicies.Admin] = [WorkflowRoles.Admin],
            [WorkflowPolicies.DurableManagement] = [WorkflowRoles.Admin, WorkflowRoles.Bureau],
        };
        foreach (var (policy, admitted) in allowed)
        {
            foreach (var role in roles)
            {
                data.Add(policy, role, admitted.Contains(role));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyMatrix))]
    public async Task Policy_Role_AdmitsExactlyTheListedRoles(string policy, string role, bool admitted)
    {
        var authorization = factory.Services.GetRequiredService<IAuthorizationService>();
        var user = role == WorkflowRoles.Public
            ? new ClaimsPrincipal(new ClaimsIdentity())
            : new ClaimsPrincipal(new ClaimsIdentity([new Claim(WorkflowClaimTypes.Subject, "u"), new Claim(WorkflowClaimTypes.Role, role)], "Bearer", WorkflowClaimTypes.Name, WorkflowClaimTypes.Role));

        var result = await authorization.AuthorizeAsync(user, policy);

        Assert.Equal(admitted, result.Succeeded);
    }
}
