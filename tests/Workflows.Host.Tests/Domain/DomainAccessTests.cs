using System.Net;
using System.Net.Http.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>Runs on both hosts: the embedded one and the Azure-shaped one (the service's pipeline behind a catch-all).</summary>
public sealed class DomainAccessTests
{

    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task AccessRules_OthersApplicationsPublishingAndBadInputs_RefusedWithProblems(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var bureau = Client(host, "bureau", "officer-1");
        var a = Client(host, "applicant", "u-a", "91110000A");
        var b = Client(host, "applicant", "u-b", "91110000B");
        var anonymous = host.CreateClient();
        var expert = Client(host, "expert", "e09");

        // public cannot publish; an applicant is forbidden
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/calls", new { programmeId = Programme })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsJsonAsync("/api/calls", new { programmeId = Programme })).StatusCode);

        await PutProfileAsync(a, "北京甲科技有限公司", "a@example.cn", Facts001());
        await PutProfileAsync(b, "北京乙科技有限公司", "b@example.cn", Facts001());
        var callId = await PublishAsync(host, bureau);
        var appA = await ApplyAsync(a, callId);

        // applicant B sees nothing of A's application: 404 like an unknown id
        var forB = await ProblemAssert.IsProblemAsync(await b.GetAsync($"/api/applications/{appA}"), HttpStatusCode.NotFound);
        var unknown = await ProblemAssert.IsProblemAsync(await b.GetAsync("/api/applications/999"), HttpStatusCode.NotFound);
        Assert.Equal(unknown.GetProperty("title").GetString(), forB.GetProperty("title").GetString());
        Assert.Empty((await ReadAsync(await b.GetAsync("/api/applications"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Single((await ReadAsync(await a.GetAsync("/api/applications"), HttpStatusCode.OK)).EnumerateArray());
        await ProblemAssert.IsProblemAsync(await b.PostAsJsonAsync($"/api/applications/{appA}/withdraw", new { note = "x" }), HttpStatusCode.NotFound);

        // an expert without the assignment: 404 to read and to score, empty assignment list
        await ProblemAssert.IsProblemAsync(await expert.GetAsync($"/api/applications/{appA}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await expert.PostAsJsonAsync($"/api/applications/{appA}/scores", new { score = 90m }), HttpStatusCode.NotFound);
        Assert.Empty((await ReadAsync(await expert.GetAsync("/api/reviews/assignments"), HttpStatusCode.OK)).EnumerateArray());

        // bad inputs
        await ProblemAssert.IsProblemAsync(await a.PostAsync("/api/applications", Json("{ \"callId\": ")), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await bureau.GetAsync("/api/calls/424242"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await a.PostAsync("/api/applications", Json($"{{ \"callId\": {callId}, \"facts\": {Facts001()} }}")), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await b.PostAsync("/api/applications", Json($"{{ \"callId\": {callId}, \"facts\": {{ \"operatesInArea\": \"perhaps\" }} }}")), HttpStatusCode.UnprocessableEntity);
        await ProblemAssert.IsProblemAsync(await bureau.PostAsJsonAsync($"/api/applications/{appA}/preliminary", new { outcome = "Accept" }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/quotes", new { programme = "nope", facts = new { } }), HttpStatusCode.NotFound);

        // idempotent submission: the repeat returns the first result
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = Json($"{{ \"callId\": {callId}, \"facts\": {Facts001()} }}") };
        first.Headers.Add("Idempotency-Key", "submit-b");
        var one = await ReadAsync(await b.SendAsync(first), HttpStatusCode.Created);
        using var again = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = Json($"{{ \"callId\": {callId}, \"facts\": {Facts001()} }}") };
        again.Headers.Add("Idempotency-Key", "submit-b");
        var two = await ReadAsync(await b.SendAsync(again), HttpStatusCode.Created);
        Assert.Equal(one.GetProperty("applicationId").GetInt64(), two.GetProperty("applicationId").GetInt64());

        // public catalogue and quote with trace
        var quote = await ReadAsync(await anonymous.PostAsync("/api/quotes", Json($"{{ \"programme\": \"{Programme}\", \"date\": \"2026-03-02\", \"facts\": {Facts001()} }}")), HttpStatusCode.OK);
        Assert.Equal("Eligible", quote.GetProperty("outcome").GetString());
        Assert.Equal(800_000m, quote.GetProperty("amount").GetDecimal());
        Assert.NotEmpty(quote.GetProperty("steps").EnumerateArray());
        Assert.Contains((await ReadAsync(await anonymous.GetAsync("/api/programmes?on=2026-03-02"), HttpStatusCode.OK)).EnumerateArray(), p => p.GetProperty("id").GetString() == Programme);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/api/ledger?programme=x&year=2026"), HttpStatusCode.Unauthorized);
    }
}

public sealed class DomainBasesTests : IClassFixture<WorkflowsHostFactory>
{
    private readonly WorkflowsHostFactory _host;

    public DomainBasesTests(WorkflowsHostFactory host) => _host = host;

    [Fact]
    public async Task GetBase_UnknownOrNotBureau_404Or403()
    {
        await ProblemAssert.IsProblemAsync(await Client(_host, "bureau", "officer-1").GetAsync("/api/bases/no-such-base"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(_host, "applicant", "u-a", "91110000A").GetAsync("/api/bases/no-such-base")).StatusCode);
    }

    [Fact]
    public async Task GetSupervisedTask_UnknownNumberOrNotBureau_404Or403()
    {
        await ProblemAssert.IsProblemAsync(await Client(_host, "bureau", "officer-1").GetAsync("/api/supervision/tasks/9999"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClient().GetAsync("/api/supervision/tasks/1")).StatusCode);
    }

    [Fact]
    public async Task GetClaim_Unknown_404AndPublicRefused()
    {
        await ProblemAssert.IsProblemAsync(await Client(_host, "applicant", "u-a", "91110000A").GetAsync("/api/claims/no-such-claim"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClient().GetAsync("/api/claims/x")).StatusCode);
    }

    [Fact]
    public async Task UploadBatch_BadHeaderOrApplicant_422Or403()
    {
        var csv = new StringContent("id,who\r\n1,x\r\n", System.Text.Encoding.UTF8, "text/csv");
        await ProblemAssert.IsProblemAsync(await Client(_host, "bureau", "officer-1").PostAsync($"/api/batches?batchId=b1&programme={Programme}&year=2026", csv), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(_host, "applicant", "u-a", "91110000A").PostAsync("/api/batches?batchId=b1", new StringContent("x"))).StatusCode);
        Assert.Equal(["a", "b,\"c\"", "d"], Workflows.Service.Apis.BatchesApi.ParseCsv("a,\"b,\"\"c\"\"\",d\r\n")[0]);
    }
}
