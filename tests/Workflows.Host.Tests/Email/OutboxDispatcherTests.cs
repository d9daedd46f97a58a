using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workflows.Host.Background;
using Workflows.Service.Email;
using Workflows.Host.Tests.Schedules;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Host.Tests.Email;

public sealed class OutboxDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"dispatch-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly string _cs;
    private readonly ProgrammeRecords _records;
    private readonly SqliteOutbox _outbox;
    private readonly ManualClock _clock = new(T0);

    public OutboxDispatcherTests()
    {
        _cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();
        _records = new ProgrammeRecords(_cs);
        _records.EnsureSchema();
        _outbox = new SqliteOutbox(_records);
    }

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private long Enqueue(string key)
    {
        using var connection = new SqliteConnection(_cs);
        connection.Open();
        using var tx = connection.BeginTransaction();
        var id = SqliteOutbox.Enqueue(connection, tx, SmtpMailSenderTests.Mail() with { Id = 0, IdempotencyKey = key, CreatedAt = _clock.GetUtcNow() });
        tx.Commit();
        return id;
    }

    private OutboxDispatcher Dispatcher(IMailSender sender, int maxAttempts = 8) => new(
        _outbox,
        sender,
        Options.Create(new EmailOptions { MaxAttempts = maxAttempts, FirstRetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(10) }),
        _clock,
        NullLogger<OutboxDispatcher>.Instance);

    [Fact]
    public async Task DispatchDue_Smtp4xxThenAccepted_RetriedAfterFirstDelayThenSent()
    {
        await using var server = new LoopbackSmtpServer { Override = (session, step) => session == 0 && step == SmtpStep.RcptTo ? "451 4.7.1 Greylisted, try again" : null };
        var dispatcher = Dispatcher(SmtpMailSenderTests.Sender(server.Port));
        var id = Enqueue("application/42/submitted");

        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var afterFirst = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Pending, afterFirst.Status);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(T0.AddSeconds(30), afterFirst.NextAttemptAt);
        Assert.Contains("451 4.7.1 Greylisted", afterFirst.LastError, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var sent = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal(T0.AddSeconds(30), sent.SentAt);
        Assert.Equal("2.0.0 Ok: queued as Q1", sent.ProviderMessageId);
        Assert.Single(server.Delivered);
    }

    [Fact]
    public async Task DispatchDue_Smtp5xx_FailedAtOnceAndNeverRetried()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.RcptTo ? "550 5.1.1 User unknown" : null };
        var dispatcher = Dispatcher(SmtpMailSenderTests.Sender(server.Port));
        var id = Enqueue("application/43/rejected");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        var failed = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("SMTP RCPT TO:<applicant@example.cn> → 550 5.1.1 User unknown", failed.LastError);
        Assert.Equal(id, Assert.Single(_outbox.Query(OutboxStatus.Failed).Items).Id);
    }

    [Fact]
    public async Task DispatchDue_TransientEveryTime_BackoffDoublesThenFailedAfterMaxAttempts()
    {
        await using var server = new LoopbackSmtpServer { Override = (_, step) => step == SmtpStep.MailFrom ? "421 4.3.2 Service shutting down" : null };
        var dispatcher = Dispatcher(SmtpMailSenderTests.Sender(server.Port), maxAttempts: 3);
        var id = Enqueue("award/7/paid");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(T0.AddSeconds(30), _outbox.Get(id)!.NextAttemptAt);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(T0.AddSeconds(30 + 60), _outbox.Get(id)!.NextAttemptAt);
        _clock.Advance(TimeSpan.FromSeconds(60));
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var failed = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("Gave up after 3 attempts; last: SMTP MAIL FROM:", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(3, server.Sessions.Count);
    }

    [Fact]
    public async Task DispatchDue_SendGrid429ThenAccepted_WaitsForRetryAfterNotTheBackoff()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        server.Respond = i => i == 0
            ? LoopbackSendGridServer.Status(429, null, ("Retry-After", "120"))
            : LoopbackSendGridServer.Accepted("sg-accepted-1");
        var dispatcher = Dispatcher(SendGridMailSenderTests.Sender(server, _clock));
        var id = Enqueue("call/2026/opened/subscriber/9");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(T0.AddSeconds(120), _outbox.Get(id)!.NextAttemptAt);

        _clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var sent = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal("sg-accepted-1", sent.ProviderMessageId);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task DispatchDue_SendGrid503ThenBadRequest_RetriedWithBackoffThenFailed()
    {
        await using var server = await LoopbackSendGridServer.StartAsync();
        server.Respond = i => i == 0 ? LoopbackSendGridServer.Status(503) : LoopbackSendGridServer.Status(400, """{"errors":[{"message":"bad"}]}""");
        var dispatcher = Dispatcher(SendGridMailSenderTests.Sender(server, _clock));
        var id = Enqueue("k/1");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Pending, _outbox.Get(id)!.Status);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var failed = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        Assert.StartsWith("SendGrid answered 400", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_DoublesFromFirstDelayAndStopsAtMax()
    {
        var dispatcher = Dispatcher(new ThrowingSender());

        Assert.Equal(TimeSpan.FromSeconds(30), dispatcher.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(60), dispatcher.Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(240), dispatcher.Backoff(4));
        Assert.Equal(TimeSpan.FromMinutes(10), dispatcher.Backoff(6));
        Assert.Equal(TimeSpan.FromMinutes(10), dispatcher.Backoff(500));
    }

    [Fact]
    public async Task DispatchDue_SenderThrows_TreatedAsTransientAndMailKept()
    {
        var dispatcher = Dispatcher(new ThrowingSender());
        var id = Enqueue("k/2");

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var mail = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Pending, mail.Status);
        Assert.Equal("InvalidOperationException: sender bug", mail.LastError);
    }

    private sealed class CountingSender : IMailSender
    {
        public ConcurrentDictionary<string, int> Sends { get; } = new(StringComparer.Ordinal);

        public async Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken)
        {
            Sends.AddOrUpdate(mail.IdempotencyKey, 1, (_, n) => n + 1);
            await Task.Yield();
            return new MailSendResult.Sent("sg-" + mail.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task DispatchDue_TwoTimerInstancesOnOneDatabaseFile_EachMailSentOnce()
    {
        var ids = Enumerable.Range(1, 45).Select(i => Enqueue($"notice/{i}")).ToList();
        var sender = new CountingSender();
        OutboxDispatcher Instance() => new(
            new SqliteOutbox(_records), sender, Options.Create(new EmailOptions { Provider = EmailProvider.SendGrid, BatchSize = 10 }), _clock, NullLogger<OutboxDispatcher>.Instance);
        var (first, second) = (Instance(), Instance());

        // Timer ticks on both instances at once until everything is sent (a pass that finds records.db busy claims
        // nothing and leaves the mail to the next tick).
        for (var passes = 0; ids.Any(id => _outbox.Get(id)!.Status != OutboxStatus.Sent); passes++)
        {
            Assert.True(passes < 100, "Timed out waiting for the two instances to send every mail.");
            await Task.WhenAll(Task.Run(() => first.DispatchDueAsync(CancellationToken.None)), Task.Run(() => second.DispatchDueAsync(CancellationToken.None)));
        }

        Assert.True(first.IsEnabled);
        Assert.Equal(45, sender.Sends.Count);
        Assert.All(sender.Sends, s => Assert.Equal(1, s.Value));
        Assert.All(ids, id => Assert.Equal(OutboxStatus.Sent, _outbox.Get(id)!.Status));
    }

    [Fact]
    public async Task DispatchDue_RecordsDbWriteLockedByAnother_ClaimsNothingAndTheNextPassSends()
    {
        var id = Enqueue("notice/busy");
        var sender = new CountingSender();
        var impatient = new ProgrammeRecords(new SqliteConnectionStringBuilder(_cs) { DefaultTimeout = 1 }.ToString());
        impatient.EnsureSchema();
        var outbox = new SqliteOutbox(impatient);
        var dispatcher = new OutboxDispatcher(outbox, sender, Options.Create(new EmailOptions { Provider = EmailProvider.SendGrid }), _clock, NullLogger<OutboxDispatcher>.Instance);

        int busyPass;
        await using (var writer = new SqliteConnection(_cs))
        {
            writer.Open();
            using var hold = writer.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE; UPDATE outbox_mail SET attempts = attempts WHERE id = 0;";
            hold.ExecuteNonQuery();
            busyPass = await dispatcher.DispatchDueAsync(CancellationToken.None);
            using var release = writer.CreateCommand();
            release.CommandText = "ROLLBACK;";
            release.ExecuteNonQuery();
        }

        Assert.Equal(0, busyPass);
        Assert.Equal(OutboxStatus.Pending, _outbox.Get(id)!.Status);
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(OutboxStatus.Sent, _outbox.Get(id)!.Status);
        Assert.Equal(1, sender.Sends["notice/busy"]);
    }

    [Fact]
    public void IsEnabled_ProviderNone_FalseSoTimerHostsSkipThePass()
    {
        var none = new OutboxDispatcher(_outbox, new CountingSender(), Options.Create(new EmailOptions()), _clock, NullLogger<OutboxDispatcher>.Instance);

        Assert.False(none.IsEnabled);
    }

    private sealed class ThrowingSender : IMailSender
    {
        public Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken) => throw new InvalidOperationException("sender bug");
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_records);
        services.AddWorkflowsEmail(configuration);
        services.AddHostedService<OutboxDispatcherService>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddWorkflowsEmail_SmtpProvider_HostLoopDeliversOnTheFakeClock()
    {
        await using var server = new LoopbackSmtpServer();
        await using var provider = Services(new()
        {
            ["Workflows:Email:Provider"] = "Smtp",
            ["Workflows:Email:FromAddress"] = "noreply@etown.example.cn",
            ["Workflows:Email:PollInterval"] = "00:00:10",
            ["Workflows:Email:Smtp:Host"] = "127.0.0.1",
            ["Workflows:Email:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Workflows:Email:Smtp:Security"] = "None",
        });
        var first = Enqueue("m/1");
        var dispatcher = provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();

        await dispatcher.StartAsync(CancellationToken.None);
        Assert.True(await server.Accepted.WaitAsync(TimeSpan.FromSeconds(10)), "Timed out waiting for the first mail to be delivered on start.");
        var second = Enqueue("m/2");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_clock.WaitingTimers == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the dispatcher to wait for its poll interval.");
            await Task.Yield();
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await server.Accepted.WaitAsync(TimeSpan.FromSeconds(10)), "Timed out waiting for the second mail after one poll interval.");
        var outbox = provider.GetRequiredService<SqliteOutbox>();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (outbox.Get(second)!.Status != OutboxStatus.Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the second mail to be marked sent.");
            await Task.Yield();
        }

        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Sent, outbox.Get(first)!.Status);
        Assert.Equal(OutboxStatus.Sent, outbox.Get(second)!.Status);
        Assert.Equal(T0.AddSeconds(10), outbox.Get(second)!.SentAt);
    }

    [Fact]
    public async Task AddWorkflowsEmail_NoProvider_HostLoopIdleAndMailStaysPending()
    {
        await using var provider = Services([]);
        var id = Enqueue("m/1");
        var dispatcher = provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();

        await dispatcher.StartAsync(CancellationToken.None);
        await dispatcher.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, _clock.WaitingTimers);
        Assert.Equal(OutboxStatus.Pending, provider.GetRequiredService<SqliteOutbox>().Get(id)!.Status);
        Assert.Equal(EmailProvider.None, provider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AddWorkflowsEmail_ProviderSettingAddedAfterRegistration_Honoured()
    {
        var late = new Dictionary<string, string?>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(late).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_records);
        services.AddWorkflowsEmail(configuration);
        configuration["Workflows:Email:Provider"] = "Smtp";
        configuration["Workflows:Email:FromAddress"] = "noreply@etown.example.cn";
        configuration["Workflows:Email:Smtp:Host"] = "127.0.0.1";
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<SmtpMailSender>(provider.GetRequiredService<IMailSender>());
    }

    [Fact]
    public async Task AddWorkflowsEmail_SendGridWithoutKey_StartFailsNamingTheKey()
    {
        await using var provider = Services(new() { ["Workflows:Email:Provider"] = "SendGrid", ["Workflows:Email:FromAddress"] = "noreply@etown.example.cn" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.Contains("set 'Workflows:Email:SendGrid:ApiKey' or the environment variable SENDGRID_API_KEY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowsEmail_SendGridKeyFromEnvironmentStyleSetting_Valid()
    {
        await using var provider = Services(new() { ["Workflows:Email:Provider"] = "sendgrid", ["Workflows:Email:FromAddress"] = "noreply@etown.example.cn", ["SENDGRID_API_KEY"] = "SG.from-env" });

        Assert.Equal(EmailProvider.SendGrid, provider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider);
        Assert.Equal("SG.from-env", provider.GetRequiredService<IOptions<SendGridOptions>>().Value.ApiKey);
        Assert.IsType<SendGridMailSender>(provider.GetRequiredService<IMailSender>());
    }

    [Fact]
    public async Task AddWorkflowsEmail_SmtpWithoutHostOrFrom_StartFailsNamingEachSetting()
    {
        await using var provider = Services(new() { ["Workflows:Email:Provider"] = "Smtp" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.Contains("'Workflows:Email:FromAddress' must be a mail address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Workflows:Email:Smtp:Host' is not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowsEmail_UnknownProvider_StartFailsNamingTheSetting()
    {
        await using var provider = Services(new() { ["Workflows:Email:Provider"] = "Postfix" });

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.Contains("'Workflows:Email:Provider'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailOptions_Defaults()
    {
        var o = new EmailOptions();

        Assert.Equal(EmailProvider.None, o.Provider);
        Assert.Equal(8, o.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), o.FirstRetryDelay);
        Assert.Equal(TimeSpan.FromHours(1), o.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), o.PollInterval);
        Assert.Equal(20, o.BatchSize);
        Assert.Equal(new Uri("https://api.sendgrid.com/"), new SendGridOptions().BaseUrl);
        Assert.Equal(587, new SmtpOptions().Port);
        Assert.Equal(SmtpSecurity.StartTls, new SmtpOptions().Security);
    }
}
