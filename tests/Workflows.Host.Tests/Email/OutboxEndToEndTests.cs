using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Outbox;

namespace Workflows.Host.Tests.Email;

/// <summary>The whole host: mail written into its records.db is delivered by its dispatcher and shown by its API.</summary>
public sealed class OutboxEndToEndTests
{
    private static void EnqueueLikeAnActivity(WorkflowsHostFactory factory, string key)
    {
        // An activity writes its state change and its mail in one transaction on records.db.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(factory.DataPath, "records.db"), Pooling = false }.ToString());
        connection.Open();
        using var tx = connection.BeginTransaction();
        SqliteOutbox.Enqueue(connection, tx, SmtpMailSenderTests.Mail() with { Id = 0, IdempotencyKey = key, CreatedAt = factory.Clock.GetUtcNow() });
        tx.Commit();
    }

    private static async Task<JsonObject> OutboxAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri("/api/outbox" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task Host_SmtpProvider_MailDeliveredThroughLoopbackServerAndShownAsSent()
    {
        await using var server = new LoopbackSmtpServer();
        using var factory = new WorkflowsHostFactory();
        factory.Settings["Workflows:Email:Provider"] = "Smtp";
        factory.Settings["Workflows:Email:FromAddress"] = "noreply@etown.example.cn";
        factory.Settings["Workflows:Email:PollInterval"] = "00:00:05";
        factory.Settings["Workflows:Email:Smtp:Host"] = "127.0.0.1";
        factory.Settings["Workflows:Email:Smtp:Port"] = server.Port.ToString(CultureInfo.InvariantCulture);
        factory.Settings["Workflows:Email:Smtp:Security"] = "None";
        using var bureau = factory.ClientFor("bureau", "officer-1");
        Assert.Equal(0, (await OutboxAsync(bureau, string.Empty))["total"]!.GetValue<int>());

        EnqueueLikeAnActivity(factory, "application/42/submitted");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await server.Accepted.WaitAsync(TimeSpan.FromMilliseconds(50)))
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the host's dispatcher to deliver the mail.");
            factory.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        JsonNode? sent = null;
        while (sent is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the mail to be marked sent.");
            sent = (await OutboxAsync(bureau, "?status=Sent"))["items"]!.AsArray().SingleOrDefault();
        }

        Assert.Equal("application/42/submitted", sent["idempotencyKey"]!.GetValue<string>());
        Assert.Equal("2.0.0 Ok: queued as Q0", sent["providerMessageId"]!.GetValue<string>());
        var message = ReceivedMessage.Parse(Assert.Single(server.Delivered).Data!);
        Assert.Equal("【亦城人才】申请已提交 Application submitted", message.Header("Subject"));
    }

    [Fact]
    public async Task Host_DefaultProvider_MailKeptPendingAndReadableThroughTheApi()
    {
        using var factory = new WorkflowsHostFactory();
        using var bureau = factory.ClientFor("bureau", "officer-1");
        using var applicant = factory.ClientFor("applicant", "applicant-1", "org-91110108");

        EnqueueLikeAnActivity(factory, "application/7/supplement-requested");
        factory.Clock.Advance(TimeSpan.FromMinutes(10));

        var item = Assert.Single((await OutboxAsync(bureau, "?status=Pending"))["items"]!.AsArray())!;
        Assert.Equal("application/7/supplement-requested", item["idempotencyKey"]!.GetValue<string>());
        Assert.Equal(0, item["attempts"]!.GetValue<int>());
        Assert.Equal(SmtpMailSenderTests.Mail().TextBody, item["textBody"]!.GetValue<string>());
        using var denied = await applicant.GetAsync(new Uri("/api/outbox", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }
}
