using System.Net;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>What an applicant reads before filling in a profile.</summary>
public sealed class ProgrammeDetailsTests
{
    [Fact]
    public async Task GetProgramme_Anonymous_ClauseFactsToSupplyAndConditionsWithClauses()
    {
        using var host = ApiHosts.Create(ApiHostKind.Embedded);

        var programme = await ReadAsync(await host.CreateClient().GetAsync($"/api/programmes/{Programme}"), HttpStatusCode.OK);

        Assert.Equal("001 三(六)", programme.GetProperty("citation").GetString());
        var level = Assert.Single(programme.GetProperty("facts").EnumerateArray(), f => f.GetProperty("name").GetString() == "zjtxLevel");
        Assert.StartsWith("one of: ", level.GetProperty("expected").GetString(), StringComparison.Ordinal);
        Assert.Contains("national-little-giant", level.GetProperty("expected").GetString(), StringComparison.Ordinal);
        var area = Assert.Single(programme.GetProperty("rules").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "operates-in-area");
        Assert.Equal("001 八(一)", area.GetProperty("citation").GetString());
        Assert.Equal("在亦庄新城范围内依法经营", area.GetProperty("messageZh").GetString());
        Assert.Contains(programme.GetProperty("facts").EnumerateArray(), f => f.GetProperty("name").GetString() == "operatesInArea" && f.GetProperty("expected").GetString() == "true or false");
    }
}
