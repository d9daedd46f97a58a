using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Tests.Email;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Tables;
using Workflows.Programmes.Security;
using Workflows.Service.Email;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Service;

/// <summary>
/// Two instances of one Functions app: two Azure-shaped hosts sharing ONE records log (the Azure table) and the signing
/// key, each with its own data folder, local copy of the records, durable runtime (durable.db) and worker. What one
/// instance writes through its HTTP API the other reads through its own; mail is claimed from the shared outbox once.
/// </summary>
public sealed class TwoInstanceRecordsTests
{
    private static Dictionary<string, string?> SharedSettings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Workflows:Auth:SigningKey"] = TokenSigningKey.Generate().ToBase64(),
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Api_WritesThroughInstanceA_ReadThroughInstanceB()
    {
        var log = new InMemoryTableStore();
        var settings = SharedSettings();
        using var a = new AzureShapedHost(settings, log);
        using var b = new AzureShapedHost(settings, log);
        Assert.NotEqual(a.DataPath, b.DataPath);
        var applicantOnA = Client(a, "applicant", "u-a", "91110000A");
        var applicantOnB = Client(b, "applicant", "u-a", "91110000A");
        var bureauOnA = Client(a, "bureau", "officer-1");
        var bureauOnB = Client(b, "bureau", "officer-1");

        // B has served a request before A writes: its next read must still catch up with what A appended since.
        await ReadAsync(await applicantOnB.GetAsync(new Uri("/api/profile", UriKind.Relative)), HttpStatusCode.NotFound);
        await PutProfileAsync(applicantOnA, "北京甲科技有限公司", "a@example.cn", Facts001());
        var profile = await ReadAsync(await applicantOnB.GetAsync(new Uri("/api/profile", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("北京甲科技有限公司", profile.GetProperty("party").GetProperty("name").GetString());
        Assert.Equal("a@example.cn", profile.GetProperty("party").GetProperty("email").GetString());
        Assert.Equal("national-little-giant", profile.GetProperty("facts").GetProperty("zjtxLevel").GetString());

        // The idempotency keys are records too: the same key on the other instance answers with the same call.
        await RegisterExpertsAsync(bureauOnA, 5);
        var callId = await PublishAsync(a, bureauOnA, "publish-1");
        Assert.Equal(callId, await PublishAsync(b, bureauOnB, "publish-1"));
        Assert.Single((await ReadAsync(await bureauOnB.GetAsync(new Uri("/api/calls", UriKind.Relative)), HttpStatusCode.OK)).EnumerateArray());

        // Applied through B (B's worker runs the orchestration over the profile A stored), seen submitted through A.
        var appId = await ApplyAsync(applicantOnB, callId);
        var submitted = await WaitForStatusAsync(applicantOnA, appId, "Submitted");
        Assert.Equal(800_000m, submitted.GetProperty("application").GetProperty("quotedAmount").GetDecimal());

        // Both local copies hold every entry of the one log.
        var replicaA = a.Services.GetRequiredService<ProgrammeRecords>().Replica!;
        var replicaB = b.Services.GetRequiredService<ProgrammeRecords>().Replica!;
        await replicaA.RefreshAsync();
        await replicaB.RefreshAsync();
        Assert.True(replicaA.AppliedSequence > 1, $"instance A applied {replicaA.AppliedSequence} log entries");
        Assert.Equal(replicaA.AppliedSequence, replicaB.AppliedSequence);
        Assert.NotEqual(replicaA.LocalPath, replicaB.LocalPath);
    }

    [Fact]
    public async Task Outbox_MailEnqueuedOnOneInstance_SentExactlyOnceWhenBothDispatch()
    {
        await using var smtp = new LoopbackSmtpServer();
        var log = new InMemoryTableStore();
        var settings = SharedSettings(
            ("Workflows:Email:Provider", "Smtp"),
            ("Workflows:Email:FromAddress", "noreply@etown.example.cn"),
            ("Workflows:Email:Smtp:Host", "127.0.0.1"),
            ("Workflows:Email:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture)),
            ("Workflows:Email:Smtp:Security", "None"));
        using var a = new AzureShapedHost(settings, log);
        using var b = new AzureShapedHost(settings, log);
        var dispatcherA = a.Services.GetRequiredService<OutboxDispatcher>();
        var dispatcherB = b.Services.GetRequiredService<OutboxDispatcher>();
        Assert.True(dispatcherA.IsEnabled && dispatcherB.IsEnabled, "the SMTP provider did not enable the dispatchers");

        // As an activity on instance A: the mails in one records transaction, appended to the shared log.
        string[] keys = ["application/1/submitted", "application/2/submitted", "application/3/submitted"];
        a.Services.GetRequiredService<ProgrammeRecords>().Transaction((connection, tx) =>
        {
            foreach (var key in keys)
            {
                SqliteOutbox.Enqueue(connection, tx, SmtpMailSenderTests.Mail() with { Id = 0, IdempotencyKey = key, CreatedAt = a.Clock.GetUtcNow() });
            }
        });

        // Both timers fire at once: each claims through the log, so a claim that lost the race sees the other's lease.
        var claimed = await Task.WhenAll(dispatcherA.DispatchDueAsync(CancellationToken.None), dispatcherB.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(keys.Length, claimed.Sum());
        var again = await Task.WhenAll(dispatcherA.DispatchDueAsync(CancellationToken.None), dispatcherB.DispatchDueAsync(CancellationToken.None));
        Assert.Equal([0, 0], again);

        Assert.Equal(keys.Length, smtp.Delivered.Count);
        var bureauOnB = Client(b, "bureau", "officer-1");
        var sent = (await ReadAsync(await bureauOnB.GetAsync(new Uri("/api/outbox?status=Sent", UriKind.Relative)), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(m => m.GetProperty("idempotencyKey").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(keys, sent);
        Assert.Equal(0, (await ReadAsync(await bureauOnB.GetAsync(new Uri("/api/outbox?status=Pending", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
