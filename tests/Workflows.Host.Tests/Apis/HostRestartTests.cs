using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflows.Durable.Client;
using Workflows.Service.Documents;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Apis;

/// <summary>The host stopped mid-cycle and started again on the same data folder loses nothing.</summary>
public sealed class HostRestartTests : IDisposable
{
    private const string Base = "/runtime/webhooks/durabletask";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "workflows-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Restart_MidCycle_InstanceDocumentKeyAndIdempotencyKeySurvive()
    {
        string bureauToken;
        StoredDocument document;
        string firstUploadBody;
        var idempotencyKey = Guid.NewGuid().ToString();
        HttpRequestMessage Upload(string token)
        {
            var form = new MultipartFormDataContent("restart-boundary");
            var file = new ByteArrayContent("名单\n1\n"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "名单.csv");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = form };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        await using (var before = DurableHostFactory.OnDataFolder(_data))
        {
            bureauToken = before.Token(WorkflowRoles.Bureau, "officer-1", lifetime: TimeSpan.FromDays(1));
            var client = before.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bureauToken);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"{Base}/orchestrators/{DurableHostFactory.Approval}/cycle-1", null)).StatusCode);
            await before.Client.WaitForInstanceStartAsync("cycle-1", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            var upload = await client.SendAsync(Upload(bureauToken));
            firstUploadBody = await upload.Content.ReadAsStringAsync();
            document = JsonSerializer.Deserialize<StoredDocument>(firstUploadBody, JsonSerializerOptions.Web)!;
        }

        await using var after = DurableHostFactory.OnDataFolder(_data);
        var again = after.CreateClient();
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bureauToken);

        var status = await again.GetAsync($"{Base}/instances/cycle-1");
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await again.PostAsync($"{Base}/instances/cycle-1/raiseEvent/decision", new StringContent("\"重启后 after restart\"", Encoding.UTF8, "application/json"))).StatusCode);
        var done = await after.Client.WaitForInstanceCompletionAsync("cycle-1", true, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("decided: 重启后 after restart", done.ReadOutputAs<string>());

        Assert.Equal(document, await again.GetFromJsonAsync<StoredDocument>($"/api/documents/{document.Id}"));
        var replay = await again.SendAsync(Upload(bureauToken));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstUploadBody, await replay.Content.ReadAsStringAsync());
    }
}
