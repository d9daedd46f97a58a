using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>How an applicant finds a call to apply to.</summary>
public sealed class OpenCallsTests
{
    [Fact]
    public async Task ListOpen_Anonymous_ListsTheOpenCallWithItsTitleUntilItCloses()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);
        var bureau = Client(host, "bureau", "officer-1");
        var anonymous = host.CreateClient();
        var callId = await PublishAsync(host, bureau);

        var open = Assert.Single((await ReadAsync(await anonymous.GetAsync($"/api/calls/open?programme={Programme}"), HttpStatusCode.OK)).EnumerateArray());

        Assert.Equal(callId, open.GetProperty("callId").GetInt64());
        Assert.Equal("实施创新企业梯度培育计划（专精特新、隐形冠军、单项冠军）", open.GetProperty("programmeTitle").GetString());
        Assert.Equal("Open", open.GetProperty("status").GetString());
        Assert.False(open.TryGetProperty("budget", out _));
        Assert.Empty((await ReadAsync(await anonymous.GetAsync("/api/calls/open?programme=001-rd-growth"), HttpStatusCode.OK)).EnumerateArray());

        await ReadAsync(await bureau.PostAsJsonAsync($"/api/calls/{callId}/close", new { reason = "提前截止" }), HttpStatusCode.OK);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement listed;
        do
        {
            listed = await ReadAsync(await anonymous.GetAsync("/api/calls/open"), HttpStatusCode.OK);
            using var pause = new CancellationTokenSource(TimeSpan.FromMilliseconds(listed.GetArrayLength() > 0 ? 50 : 0));
            pause.Token.WaitHandle.WaitOne();
        }
        while (listed.GetArrayLength() > 0 && DateTime.UtcNow < deadline);

        Assert.True(listed.GetArrayLength() == 0, $"Call {callId} was still listed as open 20 s after it was closed early: {listed}");
    }
}
