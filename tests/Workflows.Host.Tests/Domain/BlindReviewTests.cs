using System.Security.Claims;
using Workflows.Programmes.Applications;
using Workflows.Service.Apis;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Domain;

public sealed class BlindReviewTests
{
    [Fact]
    public void Blind_FactsWithNames_ShowsTheFactsWithoutNameFields()
    {
        var view = View("""{ "companyName": "北京甲科技有限公司", "Contact": "张三", "email": "a@example.cn", "zjtxLevel": "national-little-giant", "revenue": 12000000 }""");

        var blind = ReviewsApi.Blind(view, Expert("e-1"));

        var facts = Assert.IsType<System.Text.Json.JsonElement>(blind.Facts);
        Assert.Equal("national-little-giant", facts.GetProperty("zjtxLevel").GetString());
        Assert.Equal(12_000_000, facts.GetProperty("revenue").GetInt64());
        Assert.Equal(["revenue", "zjtxLevel"], facts.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("e-1", blind.Assignment?.ExpertId);
    }

    [Fact]
    public void Blind_OtherExpertsAssignment_IsNotShown()
    {
        var blind = ReviewsApi.Blind(View("{}"), Expert("e-2"));

        Assert.Null(blind.Assignment);
    }

    private static ApplicationView View(string factsJson)
    {
        var at = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
        return new ApplicationView(7, 3, "party-secret", "001-zjtx-award", 2025, ApplicationStatus.ExpertReview, at, 800_000m, null, null, null, null, null,
            [], [new ReviewerAssignment(7, "e-1", "assigned", at, at.AddDays(10), at.AddDays(7), null, null)], [], factsJson);
    }

    private static ClaimsPrincipal Expert(string id) =>
        new(new ClaimsIdentity([new Claim(WorkflowClaimTypes.Subject, id), new Claim(ClaimTypes.Role, "expert")], "Bearer"));
}
