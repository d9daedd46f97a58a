using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflows.Service.Email;
using Workflows.Host.Tests.Schedules;

namespace Workflows.Host.Tests.Email;

public sealed class SendGridMailSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 15, 0, TimeSpan.Zero);

    internal sealed class NewClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }

    internal static SendGridMailSender Sender(LoopbackSendGridServer server, TimeProvider clock, string? apiKey = null) =>
        new(
            new NewClientFactory(),
            Options.Create(new SendGridOptions { ApiKey = apiKey ?? server.ApiKey, BaseUrl = server.BaseUrl, Timeout = TimeSpan.FromSeconds(10) }),
            Options.Create(new EmailOptions { Provider = EmailProvider.SendGrid, FromAddress = "noreply@etown.example.cn", FromName = "亦庄政策服务 E-Town Policy Service" }),
            clock);

    [Fact]
    public async Task SendAsync_Accepted202_SentWithMessageIdAndDocumentedRequestShape()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();

        var result = await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        Assert.Equal(new MailSendResult.Sent("msg-0"), result);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test-key", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = request.Body!;
        var to = body["personalizations"]![0]!["to"]![0]!;
        Assert.Equal("applicant@example.cn", to["email"]!.GetValue<string>());
        Assert.Equal("北京亦庄某某科技有限公司", to["name"]!.GetValue<string>());
        Assert.Equal("noreply@etown.example.cn", body["from"]!["email"]!.GetValue<string>());
        Assert.Equal("亦庄政策服务 E-Town Policy Service", body["from"]!["name"]!.GetValue<string>());
        Assert.Equal("【亦城人才】申请已提交 Application submitted", body["subject"]!.GetValue<string>());
        var content = body["content"]!.AsArray();
        Assert.Equal(["text/plain", "text/html"], content.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal(SmtpMailSenderTests.Mail().TextBody, content[0]!["value"]!.GetValue<string>());
        Assert.Equal("<p>您的申请已提交。</p>", content[1]!["value"]!.GetValue<string>());
        Assert.Equal("42", body["custom_args"]!["outbox_id"]!.GetValue<string>());
        Assert.Equal("application/42/submitted", body["custom_args"]!["idempotency_key"]!.GetValue<string>());
        Assert.Equal("42", body["headers"]!["X-Workflows-Outbox-Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_TextOnly_SingleContentEntry()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();

        await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(html: null), CancellationToken.None);

        var content = Assert.Single(server.Requests).Body!["content"]!.AsArray();
        Assert.Equal("text/plain", Assert.Single(content)!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_BadRequest400_PermanentWithSendGridsMessage()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        server.Respond = _ => LoopbackSendGridServer.Status(400, """{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email"}]}""");

        var result = await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        var error = Assert.IsType<MailSendResult.Permanent>(result).Error;
        Assert.StartsWith("SendGrid answered 400: ", error, StringComparison.Ordinal);
        Assert.Contains("Does not contain a valid address.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WrongKey401_Permanent()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();

        var result = await Sender(server, new ManualClock(Now), apiKey: "SG.wrong").SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        Assert.StartsWith("SendGrid answered 401", Assert.IsType<MailSendResult.Permanent>(result).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TooManyRequests429WithRetryAfterSeconds_TransientWithThatDelay()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        server.Respond = _ => LoopbackSendGridServer.Status(429, """{"errors":[{"message":"too many requests"}]}""", ("Retry-After", "120"));

        var result = await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        var transient = Assert.IsType<MailSendResult.Transient>(result);
        Assert.Equal(TimeSpan.FromSeconds(120), transient.RetryAfter);
        Assert.StartsWith("SendGrid answered 429: ", transient.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Unavailable503WithRetryAfterDate_TransientDelayMeasuredOnTheInjectedClock()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        var retryAt = Now.AddMinutes(7).ToString("R", CultureInfo.InvariantCulture);
        server.Respond = _ => LoopbackSendGridServer.Status(503, null, ("Retry-After", retryAt));

        var result = await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(7), Assert.IsType<MailSendResult.Transient>(result).RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ServerError500WithoutRetryAfter_TransientWithoutDelay()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        server.Respond = _ => LoopbackSendGridServer.Status(500);

        var result = await Sender(server, new ManualClock(Now)).SendAsync(SmtpMailSenderTests.Mail(), CancellationToken.None);

        var transient = Assert.IsType<MailSendResult.Transient>(result);
        Assert.Null(transient.RetryAfter);
        Assert.Equal("SendGrid answered 500", transient.Error);
    }

    [Fact]
    public void BuildBody_NoDisplayName_OmitsName()
    {
        var sender = new SendGridMailSender(new NewClientFactory(), Options.Create(new SendGridOptions()), Options.Create(new EmailOptions { FromAddress = "a@b.cn" }), TimeProvider.System);

        JsonNode body = sender.BuildBody(SmtpMailSenderTests.Mail() with { To = new("x@example.cn") });

        Assert.Null(body["personalizations"]![0]!["to"]![0]!["name"]);
    }
}
