using System.Net;
using System.Net.Http.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>A second call (第二批) for the same programme and cycle year.</summary>
public sealed class SecondCallTests
{
    [Fact]
    public async Task Apply_SecondCallSameProgrammeAndYear_ConflictNamingTheLiveApplicationUntilItIsWithdrawn()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        await PutProfileAsync(applicant, "北京甲科技有限公司", "a@example.cn", Facts001());
        var first = await PublishAsync(host, bureau);
        var appId = await ApplyAsync(applicant, first);
        await ReadAsync(await bureau.PostAsJsonAsync($"/api/calls/{first}/close", new { reason = "第一批截止" }), HttpStatusCode.OK);
        await WaitForStatusAsync(applicant, appId, "Preliminary");
        var second = await PublishAsync(host, bureau);

        var refused = await applicant.PostAsync("/api/applications", Json($"{{ \"callId\": {second}, \"facts\": {Facts001()} }}"));

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains($"already has application {appId} (call {first}, Preliminary) for {Programme} cycle 2026", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single((await ReadAsync(await applicant.GetAsync("/api/applications"), HttpStatusCode.OK)).EnumerateArray());

        await ReadAsync(await applicant.PostAsJsonAsync($"/api/applications/{appId}/withdraw", new { note = "改报第二批" }), HttpStatusCode.Accepted);
        await WaitForStatusAsync(applicant, appId, "Withdrawn");
        Assert.NotEqual(appId, await ApplyAsync(applicant, second));
    }

    [Fact]
    public async Task Publish_SameProgrammeAndYearWhileAnotherCallIsOpen_ConflictNamingItAndNoSecondCall()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);
        var bureau = Client(host, "bureau", "officer-1");
        var first = await PublishAsync(host, bureau);
        var now = host.Clock.GetUtcNow();

        var again = await bureau.PostAsJsonAsync("/api/calls", new { programmeId = Programme, cycleYear = 2026, opensAt = now.AddDays(5), closesAt = now.AddDays(20), budget = 1_000_000m });

        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.StartsWith($"Call {first} (Open) of {Programme} cycle 2026 is still accepting applications", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single((await ReadAsync(await bureau.GetAsync("/api/calls"), HttpStatusCode.OK)).EnumerateArray());
    }
}
