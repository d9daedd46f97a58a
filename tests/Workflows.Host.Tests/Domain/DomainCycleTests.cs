using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>Runs on both hosts: the embedded one and the Azure-shaped one (the service's pipeline behind a catch-all).</summary>
public sealed class DomainCycleTests
{

    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task Cycle_PublishApplyReviewNoticeObjection_PaymentInLedgerCsv(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        var anonymous = host.CreateClient();
        await RegisterExpertsAsync(bureau, 5);
        await PutProfileAsync(applicant, "北京<甲>科技有限公司", "a@example.cn", Facts001());

        var callId = await PublishAsync(host, bureau, "publish-1");
        var repeat = await PublishAsync(host, bureau, "publish-1");
        Assert.Equal(callId, repeat);
        Assert.Single((await ReadAsync(await bureau.GetAsync("/api/calls"), HttpStatusCode.OK)).EnumerateArray());

        var appId = await ApplyAsync(applicant, callId);
        var submitted = await WaitForStatusAsync(applicant, appId, "Submitted");
        Assert.Equal(800_000m, submitted.GetProperty("application").GetProperty("quotedAmount").GetDecimal());

        host.Clock.Advance(TimeSpan.FromDays(10));
        await WaitForStatusAsync(bureau, appId, "Preliminary");
        await ReadAsync(await bureau.PostAsJsonAsync($"/api/applications/{appId}/preliminary", new { outcome = "Accept" }), HttpStatusCode.Accepted);
        var reviewers = new List<string>();
        var assignedBy = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (reviewers.Count == 0 && DateTime.UtcNow < assignedBy)
        {
            var inReview = await WaitForStatusAsync(bureau, appId, "ExpertReview");
            reviewers = inReview.GetProperty("application").GetProperty("reviewers").EnumerateArray().Select(r => r.GetProperty("expertId").GetString()!).ToList();
        }

        Assert.InRange(reviewers.Count, 3, 5);

        foreach (var expertId in reviewers)
        {
            var expert = Client(host, "expert", expertId);
            var assignmentsBody = await (await expert.GetAsync("/api/reviews/assignments")).Content.ReadAsStringAsync();
            Assert.Contains($"\"applicationId\":{appId}", assignmentsBody, StringComparison.Ordinal);
            Assert.Contains("\"zjtxLevel\":\"national-little-giant\"", assignmentsBody, StringComparison.Ordinal);
            Assert.DoesNotContain("甲", assignmentsBody, StringComparison.Ordinal);
            Assert.DoesNotContain("91110000A", assignmentsBody, StringComparison.Ordinal);
            await ReadAsync(await expert.PostAsJsonAsync($"/api/applications/{appId}/scores", new { score = 82m, comment = "评审意见" }), HttpStatusCode.Accepted);
        }

        await WaitForStatusAsync(bureau, appId, "Noticed");
        var notice = await ReadAsync(await anonymous.GetAsync($"/api/notices/{callId}"), HttpStatusCode.OK);
        var entry = Assert.Single(notice.GetProperty("entries").EnumerateArray());
        Assert.Equal(800_000m, entry.GetProperty("amount").GetDecimal());
        Assert.Single((await ReadAsync(await anonymous.GetAsync("/api/notices"), HttpStatusCode.OK)).EnumerateArray());

        var page = await anonymous.GetAsync($"/notices/{callId}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("拟支持名单公示", html, StringComparison.Ordinal);
        Assert.Contains("800,000.00", html, StringComparison.Ordinal);
        Assert.Contains("异议受理：【待配置】", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<甲>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);

        // The notice runs from the first instant of its first day to the first instant after its last day (China time):
        // the page and the applicant's mail name the first and the last day, and the submission mail the estimate.
        var china = TimeSpan.FromHours(8);
        var firstDay = notice.GetProperty("startsAt").GetDateTimeOffset().ToOffset(china);
        var lastDay = notice.GetProperty("endsAt").GetDateTimeOffset().ToOffset(china).AddTicks(-1);
        Assert.Equal(7, (lastDay.Date - firstDay.Date).Days + 1);
        Assert.Contains($"公示期：{firstDay.Year}年{firstDay.Month}月{firstDay.Day}日 至 {lastDay.Year}年{lastDay.Month}月{lastDay.Day}日（7日）", html, StringComparison.Ordinal);
        Assert.Contains($"状态：即将公示（{firstDay.Year}年{firstDay.Month}月{firstDay.Day}日起", html, StringComparison.Ordinal);
        var mails = (await ReadAsync(await bureau.GetAsync("/api/outbox?pageSize=100"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        string MailText(string template) => mails.Single(m => m.GetProperty("templateName").GetString() == template).GetProperty("textBody").GetString()!;
        Assert.Contains("测算金额 ¥800,000.00", MailText("application-submitted"), StringComparison.Ordinal);
        Assert.Contains($"公示期 {firstDay.Year}年{firstDay.Month}月{firstDay.Day}日 至 {lastDay.Year}年{lastDay.Month}月{lastDay.Day}日。", MailText("award-proposed"), StringComparison.Ordinal);
        Assert.Contains($"from {firstDay:yyyy-MM-dd} to {lastDay:yyyy-MM-dd}.", MailText("award-proposed"), StringComparison.Ordinal);

        host.Clock.SetUtcNow(notice.GetProperty("startsAt").GetDateTimeOffset().AddMinutes(1));
        Assert.Contains("状态：公示中", await anonymous.GetStringAsync($"/notices/{callId}"), StringComparison.Ordinal);
        var objection = await ReadAsync(
            await anonymous.PostAsJsonAsync($"/api/notices/{callId}/objections", new { applicationId = appId, reason = "资质存疑", contactEmail = "citizen@example.cn" }),
            HttpStatusCode.Created);
        var objectionId = objection.GetProperty("objectionId").GetInt64();
        await ReadAsync(await bureau.PostAsJsonAsync($"/api/objections/{objectionId}/decision", new { upheld = false, reason = "经核查，资质属实" }), HttpStatusCode.Accepted);

        var endsAt = notice.GetProperty("endsAt").GetDateTimeOffset();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && (await ReadAsync(await anonymous.GetAsync($"/api/notices/{callId}"), HttpStatusCode.OK))
                   .GetProperty("objections").EnumerateArray().Any(o => o.GetProperty("status").GetString() == "open"))
        {
            await Task.Yield();
        }

        host.Clock.SetUtcNow(endsAt.AddMinutes(1));
        var paid = await WaitForStatusAsync(applicant, appId, "Paid", TimeSpan.FromSeconds(30));
        Assert.Single(paid.GetProperty("application").GetProperty("payments").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, paid.GetProperty("application").GetProperty("awardTrace").ValueKind);

        var finance = host.ClientFor("finance", "fin-1");
        var csv = await finance.GetAsync($"/api/ledger.csv?programme={Programme}&year=2026");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("申请人 Applicant,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"91110000A,{Programme},2026,1,800000", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",单位名称 Name,依据 Clause", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($",application/{appId},national-little-giant,,北京<甲>科技有限公司,001 三(六)", lines[1], StringComparison.Ordinal);

        var xlsx = await finance.GetAsync($"/api/ledger.xlsx?programme={Programme}&year=2026");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await xlsx.Content.ReadAsStreamAsync());
        using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheetXml = await sheet.ReadToEndAsync();
        Assert.Contains("<v>800000</v>", sheetXml, StringComparison.Ordinal);
        Assert.Contains("91110000A", sheetXml, StringComparison.Ordinal);
        Assert.Contains("001 三(六)", sheetXml, StringComparison.Ordinal);

        var trail = await ReadAsync(await bureau.GetAsync($"/api/audit?subject=application/{appId}"), HttpStatusCode.OK);
        Assert.Contains(trail.EnumerateArray(), e => e.GetProperty("action").GetString() == "application.payment.made");
    }
}
