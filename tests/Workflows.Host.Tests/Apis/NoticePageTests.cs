using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Service.Apis;

namespace Workflows.Host.Tests.Apis;

/// <summary>The public 公示 page tells a citizen whom to contact about an objection, not only an API route.</summary>
public sealed class NoticePageTests
{
    private static readonly DateTimeOffset Starts = new(2026, 5, 31, 16, 0, 0, TimeSpan.Zero);

    private static PublicNotice Notice() => new(
        1, 7, "001-zjtx-award", "专精特新奖励", 2026, Starts, Starts.AddDays(5), 5, "Working", "running",
        [new PublicNoticeEntry(3, "北京甲科技有限公司", 800_000m, "listed")], []);

    [Fact]
    public void Html_ConfiguredBureau_ShowsNameAndObjectionContactEncodedBesideTheOnlineRoute()
    {
        var html = NoticesApi.Html(Notice(), Starts.AddDays(1), new BureauOptions { Name = "某区科学技术和信息化局", ObjectionContact = "电话 010-12345678，邮箱 <kxj@example.cn>" });

        Assert.Contains("异议受理：某区科学技术和信息化局，电话 010-12345678，邮箱 &lt;kxj@example.cn&gt;。", html, StringComparison.Ordinal);
        Assert.Contains("POST /api/notices/7/objections", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_Unconfigured_ShowsPlaceholdersNamingTheSettings()
    {
        var html = NoticesApi.Html(Notice(), Starts.AddDays(1));

        Assert.Contains("异议受理：【待配置】", html, StringComparison.Ordinal);
        Assert.Contains("Workflows:Bureau:Name", html, StringComparison.Ordinal);
        Assert.Contains("Workflows:Bureau:ObjectionContact", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_WorkflowsBureau_BoundForThePage()
    {
        using var host = new WorkflowsHostFactory();
        host.Settings["Workflows:Bureau:Name"] = "某区科学技术和信息化局";
        host.Settings["Workflows:Bureau:ObjectionContact"] = "电话 010-12345678";

        var bureau = host.Services.GetRequiredService<IOptions<BureauOptions>>().Value;

        Assert.Equal("某区科学技术和信息化局", bureau.Name);
        Assert.Equal("电话 010-12345678", bureau.ObjectionContact);
    }
}
