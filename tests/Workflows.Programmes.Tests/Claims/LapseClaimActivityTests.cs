using Workflows.Policies;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Claims;

public sealed class LapseClaimActivityTests
{
    [Fact]
    public async Task Lapse_BeforeTheEndOrRunAgain_LapsesOnceAfterTheEnd()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2025, 1, 6, 9));
        var claims = new ClaimOperations(new ProgrammeOperations(f.Services, f.Host.Client));
        ClaimWindowView view = await claims.OpenWindowAsync(
            new OpenClaimWindowRequest("neeq-b", "003-pg-listing-neeq-innovation", "91110117MB02", "北京平谷创新层股份有限公司", "ir@neeq.example.cn", new DateOnly(2025, 1, 6)), FeatureHost.Officer);

        // Spring Festival 2025 (1月28日–2月4日 off, 1月26日 and 2月8日 worked) lies inside the 60 working days.
        Assert.True(view.LastDay > new DateOnly(2025, 1, 6).AddDays(84));
        Assert.Equal(60, WorkingDayCalendar.Default.WorkingDaysBetween(new DateOnly(2025, 1, 6), view.LastDay));

        var activity = new LapseClaimActivity(f.Services);
        var context = new AssessmentActivityIdempotencyTests.FakeActivityContext(ClaimWindowOrchestrator.LapseActivity, ClaimWindowOrchestrator.InstanceId("neeq-b"));
        Assert.Equal("open", (await activity.RunAsync(context, "neeq-b")).Status);
        Assert.DoesNotContain(f.Mails("ir@neeq.example.cn"), m => m.Template == "claim-window-lapsed");

        await f.AdvanceToAsync(view.ClosesAt);
        await f.UntilAsync(() => claims.Get("neeq-b").Status == "lapsed", "lapse at the end of the last day");
        Assert.Equal("lapsed", (await activity.RunAsync(context, "neeq-b")).Status);
        Assert.Equal("lapsed", (await activity.RunAsync(context, "neeq-b")).Status);

        Assert.Single(f.Mails("ir@neeq.example.cn"), m => m.Template == "claim-window-lapsed");
        Assert.Single(f.Audit("claim/neeq-b"), a => a.Action == "claim.lapsed");
        Assert.Equal("lapsed", claims.Get("neeq-b").Status);
    }
}
