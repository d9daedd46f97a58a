using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflows.Durable.Client;
using Workflows.Service.Apis;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Apis;

public sealed class DurableManagementApiTests(DurableHostFactory factory) : IClassFixture<DurableHostFactory>
{
    private const string Base = "/runtime/webhooks/durabletask";

    private HttpClient Bureau() => factory.ClientFor(WorkflowRoles.Bureau, "officer-1");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    private async Task<string> StartApprovalAsync(string id)
    {
        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Approval}/{id}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await factory.Client.WaitForInstanceStartAsync(id, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        return id;
    }

    private async Task<OrchestrationMetadata> CompletionAsync(string id) =>
        await factory.Client.WaitForInstanceCompletionAsync(id, true, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

    [Fact]
    public async Task Start_WithBody_Is202WithCheckStatusPayloadAndLocation()
    {
        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}", Json("""{"name":"张三"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = (await response.Content.ReadFromJsonAsync<CheckStatusPayload>())!;
        var instance = $"http://localhost{Base}/instances/{payload.Id}";
        Assert.Equal(instance, payload.StatusQueryGetUri);
        Assert.Equal(instance + "/raiseEvent/{eventName}", payload.SendEventPostUri);
        Assert.Equal(instance + "/terminate?reason={text}", payload.TerminatePostUri);
        Assert.Equal(instance, payload.PurgeHistoryDeleteUri);
        Assert.Equal(instance + "/suspend?reason={text}", payload.SuspendPostUri);
        Assert.Equal(instance + "/resume?reason={text}", payload.ResumePostUri);
        Assert.Equal(instance, response.Headers.Location?.ToString());
        Assert.Equal("你好, 张三", (await CompletionAsync(payload.Id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Start_PayloadJson_UsesTheDocumentedPropertyNames()
    {
        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}", Json("""{"name":"李四"}"""));

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            ["id", "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Start_GivenInstanceIdInUse_Is409()
    {
        var id = await StartApprovalAsync(NewId("dup"));

        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Approval}/{id}", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Start_UnknownOrchestrator_Is400NamingIt()
    {
        var response = await Bureau().PostAsync($"{Base}/orchestrators/NoSuchWorkflow", Json("{}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("NoSuchWorkflow", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Start_MalformedJson_Is400AndCreatesNothing()
    {
        var id = NewId("badjson");

        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name": """));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON.", problem.GetProperty("title").GetString());
        Assert.Null(await factory.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Start_InputOfTheWrongShape_Is400()
    {
        var response = await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}", Json("[1,2,3]"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Start_SameIdempotencyKey_ReturnsTheFirstInstance()
    {
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/orchestrators/{DurableHostFactory.Greet}") { Content = Json("""{"name":"王五"}""") };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var client = Bureau();
        var first = await (await client.SendAsync(Request())).Content.ReadFromJsonAsync<CheckStatusPayload>();
        var repeat = await client.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(first!.Id, (await repeat.Content.ReadFromJsonAsync<CheckStatusPayload>())!.Id);
        Assert.Equal(first.StatusQueryGetUri, repeat.Headers.Location?.ToString());
    }

    [Fact]
    public async Task GetStatus_Completed_Is200WithInputOutputAndTimes()
    {
        var id = NewId("done");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name":"赵六"}"""));
        await CompletionAsync(id);

        var response = await Bureau().GetAsync($"{Base}/instances/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(DurableHostFactory.Greet, root.GetProperty("name").GetString());
        Assert.Equal(id, root.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", root.GetProperty("runtimeStatus").GetString());
        Assert.Equal("赵六", root.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal("你好, 赵六", root.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("customStatus").ValueKind);
        Assert.Equal(factory.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), root.GetProperty("createdTime").GetString());
        Assert.Equal(factory.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), root.GetProperty("lastUpdatedTime").GetString());
        Assert.False(root.TryGetProperty("historyEvents", out _));
    }

    [Fact]
    public async Task GetStatus_ShowInputFalse_HidesTheInput()
    {
        var id = NewId("noinput");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name":"x"}"""));
        await CompletionAsync(id);

        var status = await Bureau().GetFromJsonAsync<JsonElement>($"{Base}/instances/{id}?showInput=false");

        Assert.Equal(JsonValueKind.Null, status.GetProperty("input").ValueKind);
    }

    [Fact]
    public async Task GetStatus_Running_Is202WithCustomStatusAndLocation()
    {
        var id = await StartApprovalAsync(NewId("running"));

        var response = await Bureau().GetAsync($"{Base}/instances/{id}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"http://localhost{Base}/instances/{id}", response.Headers.Location?.ToString());
        var status = (await response.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal("等待审批 waiting for a decision", status.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task GetStatus_ShowHistoryWithOutput_ListsTheEventsInTheDurableFunctionsShape()
    {
        var id = NewId("history");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Sequence}/{id}", Json("\"hi\""));
        await CompletionAsync(id);

        var status = await Bureau().GetFromJsonAsync<JsonElement>($"{Base}/instances/{id}?showHistory=true&showHistoryOutput=true");

        var events = status.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Equal(["ExecutionStarted", "TaskCompleted", "TaskCompleted", "ExecutionCompleted"], events.Select(e => e.GetProperty("EventType").GetString()));
        Assert.Equal(DurableHostFactory.Sequence, events[0].GetProperty("FunctionName").GetString());
        Assert.Equal("hi", events[0].GetProperty("Input").GetString());
        Assert.Equal("Shout", events[1].GetProperty("FunctionName").GetString());
        Assert.Equal("HI!", events[1].GetProperty("Result").GetString());
        Assert.True(events[1].TryGetProperty("ScheduledTime", out _));
        Assert.Equal("HI!!", events[2].GetProperty("Result").GetString());
        Assert.Equal("Completed", events[3].GetProperty("OrchestrationStatus").GetString());
        Assert.Equal("HI!!", events[3].GetProperty("Result").GetString());
    }

    [Fact]
    public async Task GetStatus_ShowHistoryWithoutOutput_OmitsPayloads()
    {
        var id = await StartApprovalAsync(NewId("history-event"));
        await Bureau().PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("\"机密 secret\""));
        await CompletionAsync(id);

        var text = await Bureau().GetStringAsync($"{Base}/instances/{id}?showHistory=true");

        using var document = JsonDocument.Parse(text);
        var events = document.RootElement.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("EventType").GetString() == "EventRaised" && e.GetProperty("Name").GetString() == "decision");
        Assert.DoesNotContain(events, e => e.TryGetProperty("Input", out _) || e.TryGetProperty("Result", out _));
    }

    [Fact]
    public async Task GetStatus_UnreadableQueryParameter_Is400Problem()
    {
        var response = await Bureau().GetAsync($"{Base}/instances/any?showHistory=perhaps");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("showHistory", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetStatus_Unknown_Is404()
    {
        await ProblemAssert.IsProblemAsync(await Bureau().GetAsync($"{Base}/instances/{NewId("missing")}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetStatus_Failed_Is200WithTheErrorOr500WhenAsked()
    {
        var id = NewId("failed");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Failing}/{id}", null);
        await CompletionAsync(id);

        var ok = await Bureau().GetAsync($"{Base}/instances/{id}");
        var error = await Bureau().GetAsync($"{Base}/instances/{id}?returnInternalServerErrorOnFailure=true");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var status = (await ok.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal("Failed", status.GetProperty("runtimeStatus").GetString());
        Assert.Contains("补正 deadline missed", status.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("Failed", (await error.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task RaiseEvent_Running_Is202AndTheInstanceUsesThePayload()
    {
        var id = await StartApprovalAsync(NewId("event"));

        var response = await Bureau().PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("\"同意 approved\""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("decided: 同意 approved", (await CompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEvent_Unknown_Is404()
    {
        var response = await Bureau().PostAsync($"{Base}/instances/{NewId("nobody")}/raiseEvent/decision", Json("1"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RaiseEvent_Completed_Is410()
    {
        var id = NewId("finished");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name":"x"}"""));
        await CompletionAsync(id);

        var response = await Bureau().PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("1"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Gone);
    }

    [Fact]
    public async Task RaiseEvent_MalformedJson_Is400AndTheInstanceKeepsWaiting()
    {
        var id = await StartApprovalAsync(NewId("badevent"));

        var response = await Bureau().PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("{oops"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await factory.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task Terminate_Running_Is202AndRecordsTheReason()
    {
        var id = await StartApprovalAsync(NewId("term"));

        var response = await Bureau().PostAsync($"{Base}/instances/{id}/terminate?reason={Uri.EscapeDataString("申请撤回 withdrawn")}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var metadata = await CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, metadata.RuntimeStatus);
        var status = await Bureau().GetFromJsonAsync<JsonElement>($"{Base}/instances/{id}");
        Assert.Equal("申请撤回 withdrawn", status.GetProperty("output").GetString());
        await ProblemAssert.IsProblemAsync(await Bureau().PostAsync($"{Base}/instances/{id}/terminate", null), HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Terminate_Unknown_Is404()
    {
        await ProblemAssert.IsProblemAsync(await Bureau().PostAsync($"{Base}/instances/{NewId("none")}/terminate?reason=x", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SuspendResume_Running_SuspendsThenRunsOn()
    {
        var id = await StartApprovalAsync(NewId("pause"));

        Assert.Equal(HttpStatusCode.Accepted, (await Bureau().PostAsync($"{Base}/instances/{id}/suspend?reason=audit", null)).StatusCode);
        await factory.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        Assert.Equal("Suspended", (await Bureau().GetFromJsonAsync<JsonElement>($"{Base}/instances/{id}")).GetProperty("runtimeStatus").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await Bureau().PostAsync($"{Base}/instances/{id}/resume?reason=done", null)).StatusCode);
        await factory.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await Bureau().PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("\"ok\""));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await CompletionAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task SuspendResume_UnknownOrFinished_Are404And410()
    {
        var id = NewId("fin");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name":"x"}"""));
        await CompletionAsync(id);

        await ProblemAssert.IsProblemAsync(await Bureau().PostAsync($"{Base}/instances/{NewId("ghost")}/suspend", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await Bureau().PostAsync($"{Base}/instances/{id}/suspend", null), HttpStatusCode.Gone);
        await ProblemAssert.IsProblemAsync(await Bureau().PostAsync($"{Base}/instances/{id}/resume", null), HttpStatusCode.Gone);
    }

    [Fact]
    public async Task List_ByPrefixAndStatus_PagesWithTheContinuationHeader()
    {
        var prefix = NewId("page");
        foreach (var n in new[] { "a", "b", "c" })
        {
            await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{prefix}-{n}", Json("""{"name":"x"}"""));
            await CompletionAsync($"{prefix}-{n}");
        }

        await StartApprovalAsync($"{prefix}-running");

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/instances?instanceIdPrefix={prefix}&runtimeStatus=Completed,Failed&top=2");
            if (token is not null)
            {
                request.Headers.Add(DurableManagementApi.ContinuationHeader, token);
            }

            var response = await Bureau().SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!;
            Assert.All(page, s => Assert.Equal("Completed", s.GetProperty("runtimeStatus").GetString()));
            Assert.All(page, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("input").ValueKind));
            ids.AddRange(page.Select(s => s.GetProperty("instanceId").GetString()!));
            token = response.Headers.TryGetValues(DurableManagementApi.ContinuationHeader, out var values) ? values.Single() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], ids);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task List_CreatedTimeWindow_FiltersByCreation()
    {
        var prefix = NewId("window");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{prefix}", Json("""{"name":"x"}"""));
        await CompletionAsync(prefix);
        var now = factory.Clock.GetUtcNow();

        var inside = await Bureau().GetFromJsonAsync<List<JsonElement>>(
            $"{Base}/instances?instanceIdPrefix={prefix}&createdTimeFrom={now.AddMinutes(-1):yyyy-MM-ddTHH:mm:ssZ}&createdTimeTo={now.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");
        var after = await Bureau().GetFromJsonAsync<List<JsonElement>>(
            $"{Base}/instances?instanceIdPrefix={prefix}&createdTimeFrom={now.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");

        Assert.Single(inside!);
        Assert.Empty(after!);
    }

    [Theory]
    [InlineData("runtimeStatus=Sleeping")]
    [InlineData("runtimeStatus=1")]
    [InlineData("top=0")]
    [InlineData("top=many")]
    [InlineData("createdTimeFrom=yesterday")]
    public async Task List_BadFilter_Is400(string query)
    {
        await ProblemAssert.IsProblemAsync(await Bureau().GetAsync($"{Base}/instances?{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_ForeignContinuationToken_Is400()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/instances");
        request.Headers.Add(DurableManagementApi.ContinuationHeader, "not-a-token");

        await ProblemAssert.IsProblemAsync(await Bureau().SendAsync(request), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Purge_Completed_Is200ThenTheInstanceIsGone()
    {
        var id = NewId("purge");
        await Bureau().PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}/{id}", Json("""{"name":"x"}"""));
        await CompletionAsync(id);

        var response = await Bureau().DeleteAsync($"{Base}/instances/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"instancesDeleted":1}""", await response.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(await Bureau().GetAsync($"{Base}/instances/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await Bureau().DeleteAsync($"{Base}/instances/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Purge_Running_Is409AndKeepsIt()
    {
        var id = await StartApprovalAsync(NewId("busy"));

        await ProblemAssert.IsProblemAsync(await Bureau().DeleteAsync($"{Base}/instances/{id}"), HttpStatusCode.Conflict);
        Assert.NotNull(await factory.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task PurgeByFilter_WithoutCreatedTimeFrom_Is400()
    {
        var problem = await ProblemAssert.IsProblemAsync(await Bureau().DeleteAsync($"{Base}/instances?runtimeStatus=Completed"), HttpStatusCode.BadRequest);
        Assert.StartsWith("createdTimeFrom is required", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PurgeByFilter_RunningStatus_Is400()
    {
        await ProblemAssert.IsProblemAsync(await Bureau().DeleteAsync($"{Base}/instances?createdTimeFrom=2020-01-01T00:00:00Z&runtimeStatus=Running"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PurgeByFilter_NothingMatches_Is404()
    {
        await ProblemAssert.IsProblemAsync(await Bureau().DeleteAsync($"{Base}/instances?createdTimeFrom=2099-01-01T00:00:00Z"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(WorkflowRoles.Applicant)]
    [InlineData(WorkflowRoles.Expert)]
    [InlineData(WorkflowRoles.Finance)]
    public async Task AnyRoute_OtherRoles_Are403AndLeakNothing(string role)
    {
        var id = await StartApprovalAsync(NewId("secret"));
        var client = factory.ClientFor(role, role + "-1", "org-1");

        var get = await client.GetAsync($"{Base}/instances/{id}");
        var list = await client.GetAsync($"{Base}/instances");
        var start = await client.PostAsync($"{Base}/orchestrators/{DurableHostFactory.Greet}", Json("""{"name":"x"}"""));
        var raise = await client.PostAsync($"{Base}/instances/{id}/raiseEvent/decision", Json("\"forged\""));

        foreach (var response in new[] { get, list, start, raise })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.DoesNotContain(id, problem.GetRawText());
        }

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await factory.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task AnyRoute_Anonymous_Is401()
    {
        await ProblemAssert.IsProblemAsync(await factory.CreateClient().GetAsync($"{Base}/instances"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnyRoute_Admin_IsAllowed()
    {
        var response = await factory.ClientFor(WorkflowRoles.Admin, "admin-1").GetAsync($"{Base}/instances?top=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
