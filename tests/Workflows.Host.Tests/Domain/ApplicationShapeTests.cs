using System.Net;
using System.Text.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>The bureau and the applicant read the facts and the quote trace as JSON, not as JSON text inside JSON.</summary>
public sealed class ApplicationShapeTests
{
    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task Get_SubmittedApplication_FactsAndQuoteTraceAreJsonObjects(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        await PutProfileAsync(applicant, "北京甲科技有限公司", "a@example.cn", Facts001());
        var callId = await PublishAsync(host, bureau);
        var appId = await ApplyAsync(applicant, callId);

        var own = (await WaitForStatusAsync(applicant, appId, "Submitted")).GetProperty("application");
        var listed = Assert.Single((await ReadAsync(await bureau.GetAsync($"/api/applications?call={callId}"), HttpStatusCode.OK)).EnumerateArray());
        var mine = Assert.Single((await ReadAsync(await applicant.GetAsync("/api/applications"), HttpStatusCode.OK)).EnumerateArray());

        foreach (var application in new[] { own, listed, mine })
        {
            Assert.False(application.TryGetProperty("factsJson", out _));
            var facts = application.GetProperty("facts");
            Assert.Equal(JsonValueKind.Object, facts.ValueKind);
            Assert.Equal("national-little-giant", facts.GetProperty("zjtxLevel").GetString());
            Assert.Equal(JsonValueKind.Object, application.GetProperty("quoteTrace").ValueKind);
            Assert.Equal(JsonValueKind.Null, application.GetProperty("awardTrace").ValueKind);
        }
    }
}
