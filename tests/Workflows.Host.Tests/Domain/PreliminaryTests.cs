using System.Net;
using System.Net.Http.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>初审 as the bureau meets it.</summary>
public sealed class PreliminaryTests
{
    [Fact]
    public async Task Preliminary_WhileTheCallIsOpen_ConflictSayingWhen初审Starts()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        await PutProfileAsync(applicant, "北京甲科技有限公司", "a@example.cn", Facts001());
        var callId = await PublishAsync(host, bureau);
        var appId = await ApplyAsync(applicant, callId);
        var closesAt = (await ReadAsync(await bureau.GetAsync($"/api/calls/{callId}"), HttpStatusCode.OK)).GetProperty("call").GetProperty("closesAt").GetDateTimeOffset();

        var response = await bureau.PostAsJsonAsync($"/api/applications/{appId}/preliminary", new { outcome = "Accept" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(
            $"Application {appId} is Submitted, not in 初审: 初审 starts when call {callId} closes ({closesAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} (UTC+8)), or earlier when an officer closes the call early.",
            problem.GetProperty("detail").GetString());
        await WaitForStatusAsync(bureau, appId, "Submitted");
    }
}
