using System.Net;
using System.Net.Http.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>The expert pool as the bureau manages it.</summary>
public sealed class ExpertPoolTests
{
    [Fact]
    public async Task DeclareConflict_ThenPanel_ListedPoolAndTheConflictedExpertLeftOut()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        await RegisterExpertsAsync(bureau, 3);
        await PutProfileAsync(applicant, "北京甲科技有限公司", "a@example.cn", Facts001());

        var pool = await ReadAsync(await bureau.GetAsync("/api/experts"), HttpStatusCode.OK);
        Assert.Equal<string>(["e01", "e02", "e03"], pool.EnumerateArray().Select(e => e.GetProperty("expertId").GetString()!).Order().ToArray());
        await ProblemAssert.IsProblemAsync(await bureau.PostAsJsonAsync("/api/experts/e01/conflicts", new { partyId = "91119999Z", reason = "x" }), HttpStatusCode.NotFound);
        await ReadAsync(await bureau.PostAsJsonAsync("/api/experts/e01/conflicts", new { partyId = "91110000A", reason = "曾任该公司顾问" }), HttpStatusCode.NoContent);

        var callId = await PublishAsync(host, bureau);
        var appId = await ApplyAsync(applicant, callId);
        await ReadAsync(await bureau.PostAsJsonAsync($"/api/calls/{callId}/close", new { reason = "提前截止" }), HttpStatusCode.OK);
        await WaitForStatusAsync(bureau, appId, "Preliminary");
        await ReadAsync(await bureau.PostAsJsonAsync($"/api/applications/{appId}/preliminary", new { outcome = "Accept" }), HttpStatusCode.Accepted);
        // Three experts, panels of three: only the conflict keeps e01 off the panel.
        string[] reviewers = [];
        var assignedBy = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (reviewers.Length == 0 && DateTime.UtcNow < assignedBy)
        {
            var inReview = await WaitForStatusAsync(bureau, appId, "ExpertReview");
            reviewers = inReview.GetProperty("application").GetProperty("reviewers").EnumerateArray().Select(r => r.GetProperty("expertId").GetString()!).Order().ToArray();
        }

        Assert.Equal<string>(["e02", "e03"], reviewers);
        var mails = (await ReadAsync(await bureau.GetAsync("/api/outbox?pageSize=100"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray();
        var assigned = mails.Where(m => m.GetProperty("templateName").GetString() == "expert-assigned").ToList();
        Assert.Equal<string>(["e02@experts.example.cn", "e03@experts.example.cn"], assigned.Select(m => m.GetProperty("toAddress").GetString()!).Order().ToArray());
        Assert.All(assigned, m => Assert.Contains("请勿评分，并告知主管部门登记回避", m.GetProperty("textBody").GetString(), StringComparison.Ordinal));
        var trail = await ReadAsync(await bureau.GetAsync("/api/audit?subject=expert/e01"), HttpStatusCode.OK);
        Assert.Contains(trail.EnumerateArray(), e => e.GetProperty("action").GetString() == "expert.conflict.declared" && e.GetProperty("reason").GetString() == "曾任该公司顾问");
    }
}
