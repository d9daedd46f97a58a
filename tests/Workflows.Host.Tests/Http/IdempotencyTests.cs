using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Workflows.Service.Http;
using Workflows.Service.Documents;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;
using Workflows.Programmes.Records;

namespace Workflows.Host.Tests.Http;

/// <summary>The Idempotency-Key contract, exercised through the document upload (a POST that starts work).</summary>
public sealed class IdempotencyTests(WorkflowsHostFactory factory) : IClassFixture<WorkflowsHostFactory>
{
    private static HttpRequestMessage Upload(string? key, byte[] bytes)
    {
        var form = new MultipartFormDataContent("fixed-boundary-for-repeats");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "list.csv");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private int StoredDocumentCount() => Directory.GetFiles(Path.Combine(factory.DataPath, "documents"), "*.bin", SearchOption.AllDirectories).Length;

    [Fact]
    public async Task Post_SameKeyAndBody_ReturnsTheFirstResponseAndRunsOnce()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-1", "org-1");
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Upload(key, "a,b\n1,2\n"u8.ToArray()));
        var count = StoredDocumentCount();

        var second = await client.SendAsync(Upload(key, "a,b\n1,2\n"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(count, StoredDocumentCount());
    }

    [Fact]
    public async Task Post_SameKeyDifferentBody_Is422AndRunsNothing()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-2", "org-1");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Upload(key, "x\n1\n"u8.ToArray()))).StatusCode);
        var count = StoredDocumentCount();

        var response = await client.SendAsync(Upload(key, "x\n2\n"u8.ToArray()));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("The Idempotency-Key was used for a different request.", problem.GetProperty("title").GetString());
        Assert.Equal(count, StoredDocumentCount());
    }

    [Fact]
    public async Task Post_NoKey_RunsEveryTime()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-3", "org-1");

        var first = await (await client.SendAsync(Upload(null, "n\n1\n"u8.ToArray()))).Content.ReadFromJsonAsync<StoredDocument>();
        var second = await (await client.SendAsync(Upload(null, "n\n1\n"u8.ToArray()))).Content.ReadFromJsonAsync<StoredDocument>();

        Assert.NotEqual(first!.Id, second!.Id);
    }

    [Fact]
    public async Task Post_SameKeyOtherUser_IsIndependent()
    {
        var key = Guid.NewGuid().ToString();
        var first = await factory.ClientFor(WorkflowRoles.Applicant, "idem-4a", "org-1").SendAsync(Upload(key, "u\n1\n"u8.ToArray()));

        var second = await factory.ClientFor(WorkflowRoles.Applicant, "idem-4b", "org-2").SendAsync(Upload(key, "u\n1\n"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
    }

    [Fact]
    public async Task Post_RefusedFirstAttempt_IsReplayedToo()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-5", "org-1");
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Upload(key, []));
        var second = await client.SendAsync(Upload(key, []));

        await ProblemAssert.IsProblemAsync(first, HttpStatusCode.UnprocessableEntity);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("非ASCII")]
    public async Task Post_MalformedKey_Is400(string key)
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-6", "org-1");
        var request = Upload(null, "k\n1\n"u8.ToArray());
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_FirstRequestStillRunning_Is409AndRunsNothing()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-8", "org-1");
        var key = Guid.NewGuid().ToString();
        var request = Upload(key, "p\n1\n"u8.ToArray());
        var body = await request.Content!.ReadAsByteArrayAsync();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/documents";
        context.Request.ContentType = request.Content.Headers.ContentType!.ToString();
        context.Request.Body = new MemoryStream(body);
        var hash = await IdempotencyMiddleware.HashRequestAsync(context.Request, CancellationToken.None);
        factory.Services.GetRequiredService<ProgrammeRecords>().Transaction((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, created_at) VALUES ('idem-8', $key, $hash, $now)";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$now", factory.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        });

        var count = StoredDocumentCount();
        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(count, StoredDocumentCount());
    }

    [Fact]
    public async Task Post_AfterRetention_TheKeyMayBeUsedAfresh()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "idem-7", "org-1");
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Upload(key, "r\n1\n"u8.ToArray()));

        var updated = factory.Services.GetRequiredService<ProgrammeRecords>().Transaction((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE idempotency_keys SET created_at = created_at - $day WHERE idempotency_key = $key";
            command.Parameters.AddWithValue("$day", (long)TimeSpan.FromDays(1).TotalMilliseconds + 1);
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteNonQuery();
        });
        Assert.Equal(1, updated);

        var second = await client.SendAsync(Upload(key, "r\n1\n"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
    }
}
