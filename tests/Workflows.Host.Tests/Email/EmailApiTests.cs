using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Service.Email;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Host.Tests.Email;

public sealed class EmailApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"email-api-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    /// <summary>Signs the caller in with the roles named in the X-Test-Roles header (none: anonymous).</summary>
    private sealed class HeaderAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-Roles", out var roles))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = roles.ToString().Split(',').Select(r => new Claim(ClaimTypes.Role, r)).Append(new Claim(ClaimTypes.Name, "tester"));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, "Test")));
        }
    }

    public async Task InitializeAsync()
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new ProgrammeRecords(cs));
        builder.Services.AddWorkflowsEmail(new ConfigurationBuilder().Build());
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthHandler>("Test", null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(EmailApi.DefaultPolicy, p => p.RequireAuthenticatedUser().RequireRole("bureau", "admin"));
        builder.Services.AddProblemDetails();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapEmailApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };

        using var connection = new SqliteConnection(cs);
        connection.Open();
        using var tx = connection.BeginTransaction();
        for (var i = 1; i <= 3; i++)
        {
            SqliteOutbox.Enqueue(connection, tx, SmtpMailSenderTests.Mail() with { Id = 0, IdempotencyKey = $"application/{i}/submitted", CreatedAt = T0.AddMinutes(i) });
        }

        tx.Commit();
        var outbox = _app.Services.GetRequiredService<SqliteOutbox>();
        var claim = outbox.ClaimDue(T0.AddHours(1), 1).Single();
        outbox.MarkFailed(claim.Mail.Id, claim.LeaseToken, "550 5.1.1 User unknown");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_path);
    }

    private Task<HttpResponseMessage> Get(string url, string? roles)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (roles is not null)
        {
            request.Headers.Add("X-Test-Roles", roles);
        }

        return _http.SendAsync(request);
    }

    [Theory]
    [InlineData("bureau")]
    [InlineData("admin")]
    public async Task ListOutbox_BureauOrAdmin_AllMailNewestFirstWithBodies(string role)
    {
        using var response = await Get("/api/outbox", role);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(3, page["total"]!.GetValue<int>());
        var items = page["items"]!.AsArray();
        Assert.Equal(["application/3/submitted", "application/2/submitted", "application/1/submitted"], items.Select(i => i!["idempotencyKey"]!.GetValue<string>()));
        Assert.Equal("【亦城人才】申请已提交 Application submitted", items[0]!["subject"]!.GetValue<string>());
        Assert.Equal(SmtpMailSenderTests.Mail().TextBody, items[0]!["textBody"]!.GetValue<string>());
        Assert.Equal("Pending", items[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListOutbox_StatusFailed_OnlyTheFailedMailWithItsError()
    {
        using var response = await Get("/api/outbox?status=failed", "bureau");

        var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal("application/1/submitted", item["idempotencyKey"]!.GetValue<string>());
        Assert.Equal("Failed", item["status"]!.GetValue<string>());
        Assert.Equal("550 5.1.1 User unknown", item["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListOutbox_Paged_SecondPageOfTwo()
    {
        using var response = await Get("/api/outbox?page=2&pageSize=2", "bureau");

        var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal("application/1/submitted", Assert.Single(page["items"]!.AsArray())!["idempotencyKey"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/outbox?status=Lost", "status 'Lost' is not one of Pending, Sending, Sent, Failed.")]
    [InlineData("/api/outbox?status=2", "status '2' is not one of")]
    [InlineData("/api/outbox?pageSize=0", "pageSize 1 to 500")]
    [InlineData("/api/outbox?page=0", "page must be at least 1")]
    public async Task ListOutbox_BadQuery_ProblemDetails400(string url, string detail)
    {
        using var response = await Get(url, "bureau");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListOutbox_Anonymous_401()
    {
        using var response = await Get("/api/outbox", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("expert")]
    [InlineData("finance")]
    public async Task ListOutbox_OtherRoles_403(string role)
    {
        using var response = await Get("/api/outbox", role);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetOutboxMail_KnownAndUnknownId_200And404()
    {
        using var found = await Get("/api/outbox/2", "bureau");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("application/2/submitted", (await found.Content.ReadFromJsonAsync<JsonObject>())!["idempotencyKey"]!.GetValue<string>());

        using var missing = await Get("/api/outbox/999", "bureau");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("The outbox has no mail 999.", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }
}
