using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Sanctions;

/// <summary>The sanctions endpoints over the in-process host: bureau records, the applicant sees its own, errors are problems.</summary>
public sealed class SanctionsApiTests(WorkflowsHostFactory factory) : IClassFixture<WorkflowsHostFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private HttpClient Bureau() => factory.ClientFor(WorkflowRoles.Bureau, "officer-1");

    private string Party(string id)
    {
        factory.Services.GetRequiredService<ProgrammeOperations>().RegisterParty(new Party(id, $"北京{id}有限公司", $"{id}@example.cn"), new Actor("officer-1", "bureau"));
        return id;
    }

    [Fact]
    public async Task RecordStanding_ByBureau_ApplicantSeesItsOwn()
    {
        var party = Party("san-api-1");

        var created = await Bureau().PostAsync("/api/sanctions/standing", Json($$"""
            { "applicantId": "{{party}}", "kind": "Disqualification", "basisSeed": "003", "basisClause": "四", "from": "2026-01-01", "to": "2028-12-31",
              "reason": "虚报材料", "evidenceDocumentIds": ["doc-1"] }
            """));
        var mine = await factory.ClientFor(WorkflowRoles.Applicant, "user-9", party).GetFromJsonAsync<JsonElement>("/api/sanctions/mine/standing");
        var someoneElse = await factory.ClientFor(WorkflowRoles.Applicant, "user-8", "other-party").GetFromJsonAsync<JsonElement>("/api/sanctions/mine/standing");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var row = Assert.Single(mine.EnumerateArray());
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.Equal("2028-12-31", row.GetProperty("to").GetString());
        Assert.Empty(someoneElse.EnumerateArray());
    }

    [Fact]
    public async Task RecordStanding_UnknownKind_Is422AndApplicantForbidden()
    {
        var party = Party("san-api-2");

        var bad = await Bureau().PostAsync("/api/sanctions/standing", Json($$"""
            { "applicantId": "{{party}}", "kind": "Nonsense", "basisSeed": "003", "basisClause": "四", "from": "2026-01-01", "reason": "x", "evidenceDocumentIds": ["d"] }
            """));
        var forbidden = await factory.ClientFor(WorkflowRoles.Applicant, "user-9", party).PostAsync("/api/sanctions/standing", Json("{}"));

        await ProblemAssert.IsProblemAsync(bad, (HttpStatusCode)422);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(await Bureau().GetFromJsonAsync<JsonElement[]>($"/api/sanctions/standing?applicant={party}") ?? []);
    }

    [Fact]
    public async Task Quote_DisqualifiedApplicant_NotEligibleNamingTheRecord_OthersUnaffected()
    {
        var party = Party("san-api-3");
        var created = await Bureau().PostAsync("/api/sanctions/standing", Json($$"""
            { "applicantId": "{{party}}", "kind": "Disqualification", "basisSeed": "003", "basisClause": "四", "from": "2026-01-01", "to": "2026-03-01",
              "reason": "虚报材料", "evidenceDocumentIds": ["doc-1"] }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var applicant = factory.ClientFor(WorkflowRoles.Applicant, "user-7", party);

        async Task<JsonElement> QuoteAsync(HttpClient client, string date)
        {
            var response = await client.PostAsync("/api/quotes", Json($$"""{ "programme": "001-zjtx-award", "date": "{{date}}", "facts": {{Workflows.Host.Tests.Domain.DomainClient.Facts001()}} }"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var lastDay = await QuoteAsync(applicant, "2026-03-01");
        var dayAfter = await QuoteAsync(applicant, "2026-03-02");
        var publicQuote = await QuoteAsync(factory.CreateClient(), "2026-03-01");

        Assert.Equal("NotEligible", lastDay.GetProperty("outcome").GetString());
        Assert.Contains(lastDay.GetProperty("failedRules").EnumerateArray(), r => r.ToString().Contains("standing", StringComparison.Ordinal));
        Assert.Equal("Eligible", dayAfter.GetProperty("outcome").GetString());
        Assert.Equal("Eligible", publicQuote.GetProperty("outcome").GetString());
    }

}
