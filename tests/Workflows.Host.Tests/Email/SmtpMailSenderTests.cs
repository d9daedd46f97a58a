using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Workflows.Service.Email;
using Workflows.Host.Tests.Schedules;
using Workflows.Programmes.Outbox;

namespace Workflows.Host.Tests.Email;

public sealed class SmtpMailSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 15, 0, TimeSpan.FromHours(8));

    internal static OutboxMail Mail(long id = 42, string? html = "<p>您的申请已提交。</p>") => new()
    {
        Id = id,
        IdempotencyKey = $"application/{id}/submitted",
        To = new OutboxAddress("applicant@example.cn", "北京亦庄某某科技有限公司"),
        Subject = "【亦城人才】申请已提交 Application submitted",
        TextBody = "尊敬的申请人：您的申请已提交。\r\nYour application was submitted.\r\n.A line that starts with a dot",
        HtmlBody = html,
        TemplateName = "ApplicationSubmitted",
        CreatedAt = Now,
    };

    internal static SmtpMailSender Sender(int port, Action<SmtpOptions>? configure = null)
    {
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, ClientName = "workflows.test", Timeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(smtp);
        var email = new EmailOptions { Provider = EmailProvider.Smtp, FromAddress = "noreply@etown.example.cn", FromName = "亦庄政策服务 E-Town Policy Service" };
        return new SmtpMailSender(Options.Create(smtp), Options.Create(email), new ManualClock(Now));
    }

    [Fact]
    public async Task SendAsync_ChineseSubjectAndHtml_ServerReceivesEnvelopeHeadersAndBothBodies()
    {
        await using var server = new LoopbackSmtpServer();

        var result = await Sender(server.Port).SendAsync(Mail(), CancellationToken.None);

        var sent = Assert.IsType<MailSendResult.Sent>(result);
        Assert.Equal("2.0.0 Ok: queued as Q0", sent.ProviderMessageId);
        var session = Assert.Single(server.Delivered);
        Assert.Equal("workflows.test", session.Ehlo);
        Assert.Equal("FROM:<noreply@etown.example.cn>", session.MailFrom);
        Assert.Equal(["TO:<applicant@example.cn>"], session.RcptTo);
        Assert.Equal("QUIT", session.Commands.Last());
        Assert.All(session.Data!, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} on the wire"));

        var message = ReceivedMessage.Parse(session.Data!);
        Assert.Equal("【亦城人才】申请已提交 Application submitted", message.Header("Subject"));
        Assert.StartsWith("=?utf-8?B?", message.RawHeaders["Subject"], StringComparison.Ordinal);
        Assert.Equal("亦庄政策服务 E-Town Policy Service <noreply@etown.example.cn>", message.Header("From"));
        Assert.Equal("北京亦庄某某科技有限公司 <applicant@example.cn>", message.Header("To"));
        Assert.Equal("Mon, 02 Mar 2026 09:15:00 +0800", message.Header("Date"));
        Assert.Matches(@"^<outbox-42-[0-9a-f]{16}@etown\.example\.cn>$", message.Header("Message-ID"));
        Assert.Equal("42", message.Header("X-Workflows-Outbox-Id"));
        Assert.Equal("1.0", message.Header("MIME-Version"));
        var bodies = message.Bodies();
        Assert.Equal(Mail().TextBody, bodies["text/plain"]);
        Assert.Equal("<p>您的申请已提交。</p>", bodies["text/html"]);
    }

    [Fact]
    public async Task SendAsync_TextOnly_SinglePartUtf8Body()
    {
        await using var server = new LoopbackSmtpServer();

        Assert.IsType<MailSendResult.Sent>(await Sender(server.Port).SendAsync(Mail(html: null), CancellationToken.None));

        var message = ReceivedMessage.Parse(Assert.Single(server.Delivered).Data!);
        Assert.Equal("text/plain; charset=utf-8", message.Header("Content-Type"));
        Assert.Equal(Mail().TextBody, Assert.Single(message.Bodies()).Value);
    }

    [Fact]
    public async Task SendAsync_LongChineseSubject_EncodedWordsWithinRfc2047LimitAndDecodeBack()
    {
        await using var server = new LoopbackSmtpServer();
        var subject = string.Concat(Enumerable.Repeat("关于专精特新中小企业奖励资金拨付的通知；", 4)) + " Notice of award payment";

        await Sender(server.Port).SendAsync(Mail() with { Subject = subject }, CancellationToken.None);

        var message = ReceivedMessage.Parse(Assert.Single(server.Delivered).Data!);
        Assert.Equal(subject, message.Header("Subject"));
        var words = message.RawHeaders["Subject"].Split(' ');
        Assert.True(words.Length > 1, "a long subject is split into several encoded words");
        Assert.All(words, w => Assert.InRange(w.Length, 1, 75));
        Assert.All(session(server).Data!.Split("\r\n"), line => Assert.InRange(line.Length, 0, 998));

        static SmtpSession session(LoopbackSmtpServer s) => s.Delivered[0];
    }

    [Fact]
    public async Task SendAsync_Rcpt4xx_Transient()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.RcptTo ? "451 4.3.0 Mailbox temporarily unavailable" : null };

        var result = await Sender(server.Port).SendAsync(Mail(), CancellationToken.None);

        var transient = Assert.IsType<MailSendResult.Transient>(result);
        Assert.Equal("SMTP RCPT TO:<applicant@example.cn> → 451 4.3.0 Mailbox temporarily unavailable", transient.Error);
        Assert.Empty(server.Delivered);
    }

    [Fact]
    public async Task SendAsync_Rcpt5xx_Permanent()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.RcptTo ? "550 5.1.1 No such user" : null };

        var result = await Sender(server.Port).SendAsync(Mail(), CancellationToken.None);

        Assert.Equal("SMTP RCPT TO:<applicant@example.cn> → 550 5.1.1 No such user", Assert.IsType<MailSendResult.Permanent>(result).Error);
    }

    [Fact]
    public async Task SendAsync_EndOfData4xx_Transient()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.EndOfData ? "452 4.3.1 Insufficient system storage" : null };

        var result = await Sender(server.Port).SendAsync(Mail(), CancellationToken.None);

        Assert.Contains("452 4.3.1", Assert.IsType<MailSendResult.Transient>(result).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Greeting554_Permanent()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.Greeting ? "554 5.7.1 No service for you" : null };

        var result = await Sender(server.Port).SendAsync(Mail(), CancellationToken.None);

        Assert.Equal("SMTP greeting → 554 5.7.1 No service for you", Assert.IsType<MailSendResult.Permanent>(result).Error);
    }

    [Theory]
    [InlineData("PLAIN LOGIN")]
    [InlineData("LOGIN")]
    public async Task SendAsync_Auth_CredentialsAcceptedAndMailDelivered(string mechanisms)
    {
        await using var server = new LoopbackSmtpServer(user: "apikey", password: "s3cret-測試", authMechanisms: mechanisms);

        var result = await Sender(server.Port, o => { o.UserName = "apikey"; o.Password = "s3cret-測試"; }).SendAsync(Mail(), CancellationToken.None);

        Assert.IsType<MailSendResult.Sent>(result);
        Assert.Equal("apikey", Assert.Single(server.Delivered).AuthenticatedUser);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_Permanent()
    {
        await using var server = new LoopbackSmtpServer(user: "apikey", password: "right");

        var result = await Sender(server.Port, o => { o.UserName = "apikey"; o.Password = "wrong"; }).SendAsync(Mail(), CancellationToken.None);

        var error = Assert.IsType<MailSendResult.Permanent>(result).Error;
        Assert.Equal("SMTP AUTH PLAIN **** → 535 5.7.8 Authentication credentials invalid", error);
        Assert.DoesNotContain("wrong", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_StartTlsRequiredButNotOffered_PermanentNamingTheSetting()
    {
        await using var server = new LoopbackSmtpServer();

        var result = await Sender(server.Port, o => o.Security = SmtpSecurity.StartTls).SendAsync(Mail(), CancellationToken.None);

        Assert.Contains("does not offer STARTTLS; set 'Workflows:Email:Smtp:Security'", Assert.IsType<MailSendResult.Permanent>(result).Error, StringComparison.Ordinal);
        Assert.Empty(server.Delivered);
    }

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task SendAsync_StartTls_UpgradesThenAuthenticatesAndDeliversOverTls()
    {
        using var certificate = SelfSignedLoopbackCertificate();
        await using var server = new LoopbackSmtpServer(user: "apikey", password: "SG.secret", tlsCertificate: certificate);
        var sender = Sender(server.Port, o => { o.Security = SmtpSecurity.StartTls; o.UserName = "apikey"; o.Password = "SG.secret"; });
        var trusting = new SmtpMailSender(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.StartTls, UserName = "apikey", Password = "SG.secret", ClientName = "workflows.test" }),
            Options.Create(new EmailOptions { Provider = EmailProvider.Smtp, FromAddress = "noreply@etown.example.cn" }),
            new ManualClock(Now))
        {
            CertificateValidation = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.Thumbprint,
        };

        var untrusted = await sender.SendAsync(Mail(), CancellationToken.None);
        var result = await trusting.SendAsync(Mail(), CancellationToken.None);

        Assert.StartsWith("SMTP connection to 127.0.0.1", Assert.IsType<MailSendResult.Transient>(untrusted).Error, StringComparison.Ordinal);
        Assert.IsType<MailSendResult.Sent>(result);
        var session = Assert.Single(server.Delivered);
        Assert.True(session.Tls);
        Assert.Equal("workflows.test", session.Ehlo);
        Assert.Equal("apikey", session.AuthenticatedUser);
        Assert.Equal(["EHLO workflows.test", "STARTTLS", "EHLO workflows.test"], session.Commands.Take(3));
        var commands = session.Commands.ToList();
        Assert.True(commands.FindIndex(c => c.StartsWith("AUTH", StringComparison.Ordinal)) > commands.IndexOf("STARTTLS"), "credentials are sent only after STARTTLS");
    }

    [Fact]
    public async Task SendAsync_NothingListening_Transient()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var result = await Sender(port).SendAsync(Mail(), CancellationToken.None);

        Assert.StartsWith($"SMTP connection to 127.0.0.1:{port} failed", Assert.IsType<MailSendResult.Transient>(result).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeText_Ascii_Unchanged_NonAscii_EncodedWords()
    {
        Assert.Equal("Application submitted", MimeMessageWriter.EncodeText("Application submitted"));
        Assert.Equal("=?utf-8?B?55Sz6K+3?=", MimeMessageWriter.EncodeText("申请"));
        Assert.Equal("\"Zhang \\\"San\\\"\" <z@example.cn>", MimeMessageWriter.FormatAddress(new OutboxAddress("z@example.cn", "Zhang \"San\"")));
        Assert.Equal("<z@example.cn>", MimeMessageWriter.FormatAddress(new OutboxAddress("z@example.cn")));
    }
}
