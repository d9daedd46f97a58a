using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;
using Workflows.Service.Documents;

namespace Workflows.Host.Tests.Service;

/// <summary>
/// The HTTP frame (health, auth, problem details, idempotency, documents, exports) answers the same on the embedded
/// host and on the Azure-shaped host, which runs nothing but <c>WorkflowsPipeline.Build(...)</c> behind a catch-all.
/// </summary>
public sealed class WorkflowsPipelineTests
{
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n"u8, .. RandomNumberGenerator.GetBytes(200)];

    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task Frame_HealthAuthAndProblems_SameOnBothHosts(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var anonymous = host.CreateClient();

        var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("records").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);

        var unauthorized = await anonymous.GetAsync("/api/me");
        await ProblemAssert.IsProblemAsync(unauthorized, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", unauthorized.Headers.WwwAuthenticate.Single().Scheme);

        var applicant = host.ClientFor(WorkflowRoles.Applicant, "u-1", "org-1");
        await ProblemAssert.IsProblemAsync(await applicant.GetAsync("/api/ledger?programme=x&year=2026"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await applicant.GetAsync("/api/no-such-route"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/api/no-such-route"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/notices/abc"), HttpStatusCode.NotFound);
        var wrongMethod = await anonymous.DeleteAsync("/api/notices");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await anonymous.PutAsync("/api/applications", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await applicant.DeleteAsync("/api/notices")).StatusCode);
        var malformed = await applicant.PostAsync("/api/applications", new StringContent("{ \"callId\": ", Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON.", problem.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task Documents_UploadReplayDownloadAndCsvExport_SameOnBothHosts(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var applicant = host.ClientFor(WorkflowRoles.Applicant, "u-1", "org-1");

        var first = await applicant.SendAsync(Upload("doc-1", Pdf));
        var replay = await applicant.SendAsync(Upload("doc-1", Pdf));
        var reused = await applicant.SendAsync(Upload("doc-1", [.. "%PDF-1.7\n"u8, 1, 2, 3]));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.UnprocessableEntity);
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataPath, "documents"), "*.bin", SearchOption.AllDirectories));

        var document = (await first.Content.ReadFromJsonAsync<StoredDocument>())!;
        Assert.Equal($"/api/documents/{document.Id}", first.Headers.Location?.ToString());
        var content = await applicant.GetAsync($"/api/documents/{document.Id}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("application/pdf", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pdf, await content.Content.ReadAsByteArrayAsync());
        var other = host.ClientFor(WorkflowRoles.Applicant, "u-2", "org-2");
        await ProblemAssert.IsProblemAsync(await other.GetAsync($"/api/documents/{document.Id}"), HttpStatusCode.NotFound);

        var csv = await host.ClientFor(WorkflowRoles.Finance, "fin-1").GetAsync("/api/ledger.csv?programme=001-zjtx-award&year=2026");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("申请人 Applicant,", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApiHostKind.Embedded, HttpStatusCode.OK)]
    [InlineData(ApiHostKind.AzureShaped, HttpStatusCode.NotFound)]
    public async Task DurableManagementApi_OnlyOnTheEmbeddedHost(ApiHostKind kind, HttpStatusCode expected)
    {
        using var host = ApiHosts.Create(kind);

        var response = await host.ClientFor(WorkflowRoles.Admin, "admin-1").GetAsync("/runtime/webhooks/durabletask/instances");

        Assert.Equal(expected, response.StatusCode);
    }

    private static HttpRequestMessage Upload(string key, byte[] bytes)
    {
        var form = new MultipartFormDataContent("fixed-boundary-for-repeats");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "营业执照.pdf");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = form };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
