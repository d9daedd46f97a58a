using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Service.Auth;
using Workflows.Service.Http;

namespace Workflows.Service.Apis;

/// <summary>The status of one orchestration instance, shaped like the Durable Functions HTTP API's.</summary>
public sealed record DurableInstanceStatus
{
    /// <summary>The orchestrator name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The instance id.</summary>
    [JsonPropertyName("instanceId")]
    public required string InstanceId { get; init; }

    /// <summary>Running, Pending, Suspended, Completed, Failed, Terminated, ContinuedAsNew or Canceled.</summary>
    [JsonPropertyName("runtimeStatus")]
    public required string RuntimeStatus { get; init; }

    /// <summary>The input; null unless <c>showInput</c> is not false.</summary>
    [JsonPropertyName("input")]
    public JsonNode? Input { get; init; }

    /// <summary>The custom status set by the orchestration, or null.</summary>
    [JsonPropertyName("customStatus")]
    public JsonNode? CustomStatus { get; init; }

    /// <summary>The output when completed; the error when failed; the reason when terminated.</summary>
    [JsonPropertyName("output")]
    public JsonNode? Output { get; init; }

    /// <summary>When the instance was created (UTC, ISO 8601).</summary>
    [JsonPropertyName("createdTime")]
    public required string CreatedTime { get; init; }

    /// <summary>When the instance last changed (UTC, ISO 8601).</summary>
    [JsonPropertyName("lastUpdatedTime")]
    public required string LastUpdatedTime { get; init; }

    /// <summary>The execution history when <c>showHistory=true</c>; otherwise omitted.</summary>
    [JsonPropertyName("historyEvents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? HistoryEvents { get; init; }
}

/// <summary>The check-status payload returned when an orchestration is started over HTTP.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusQueryGetUri">GET: the instance status.</param>
/// <param name="SendEventPostUri">POST: raise an event (replace <c>{eventName}</c>).</param>
/// <param name="TerminatePostUri">POST: terminate (replace <c>{text}</c> with the reason).</param>
/// <param name="PurgeHistoryDeleteUri">DELETE: purge the instance's history.</param>
/// <param name="SuspendPostUri">POST: suspend (replace <c>{text}</c>).</param>
/// <param name="ResumePostUri">POST: resume (replace <c>{text}</c>).</param>
public sealed record CheckStatusPayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("sendEventPostUri")] string SendEventPostUri,
    [property: JsonPropertyName("terminatePostUri")] string TerminatePostUri,
    [property: JsonPropertyName("purgeHistoryDeleteUri")] string PurgeHistoryDeleteUri,
    [property: JsonPropertyName("suspendPostUri")] string SuspendPostUri,
    [property: JsonPropertyName("resumePostUri")] string ResumePostUri);

/// <summary>The result of a purge.</summary>
/// <param name="InstancesDeleted">How many instances were deleted.</param>
public sealed record PurgeHistoryResponse([property: JsonPropertyName("instancesDeleted")] int InstancesDeleted);

/// <summary>The services the management handlers use.</summary>
/// <param name="Client">The durable client.</param>
/// <param name="Logger">The logger.</param>
public sealed record DurableManagementServices(DurableTaskClient Client, ILogger<DurableManagementServices> Logger);

/// <summary>
/// The Durable Functions management API on the embedded runtime: the routes, query parameters, JSON shapes and
/// status codes of the Azure Functions host's built-in <c>/runtime/webhooks/durabletask</c> API, so tools written
/// for it work here. Authorised by bearer token (admin and bureau) instead of the Functions system key; the
/// <c>taskHub</c>, <c>connection</c> and <c>code</c> parameters are accepted and ignored (one hub per host).
/// </summary>
public static class DurableManagementApi
{
    /// <summary>The route prefix.</summary>
    public const string BasePath = "/runtime/webhooks/durabletask";

    /// <summary>The header that carries the continuation token of instance queries, both ways.</summary>
    public const string ContinuationHeader = "x-ms-continuation-token";

    /// <summary>Maps the management API.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapDurableManagementApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("Durable management").RequireAuthorization(WorkflowPolicies.DurableManagement);
        group.MapGet("/instances/{instanceId}", GetStatusAsync).WithName("GetInstanceStatus")
            .WithSummary("Instance status: 200 when finished, 202 while running, 404 when unknown.");
        group.MapGet("/instances", ListAsync).WithName("ListInstances")
            .WithSummary("Instances by runtimeStatus, createdTimeFrom/To, instanceIdPrefix, top; paged with x-ms-continuation-token.");
        group.MapDelete("/instances/{instanceId}", PurgeAsync).WithName("PurgeInstance")
            .WithSummary("Deletes a finished instance's history.");
        group.MapDelete("/instances", PurgeByFilterAsync).WithName("PurgeInstances")
            .WithSummary("Deletes the history of finished instances created from createdTimeFrom (required) to createdTimeTo.");
        group.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).WithName("RaiseEvent")
            .WithSummary("Sends an event (JSON body) to a running instance: 202; 404 unknown; 410 finished.");
        group.MapPost("/instances/{instanceId}/terminate", TerminateAsync).WithName("TerminateInstance")
            .WithSummary("Terminates a running instance with ?reason=: 202; 404 unknown; 410 finished.");
        group.MapPost("/instances/{instanceId}/suspend", SuspendAsync).WithName("SuspendInstance")
            .WithSummary("Suspends a running instance: 202; 404 unknown; 410 finished.");
        group.MapPost("/instances/{instanceId}/resume", ResumeAsync).WithName("ResumeInstance")
            .WithSummary("Resumes a suspended instance: 202; 404 unknown; 410 finished.");
        group.MapPost("/orchestrators/{functionName}/{instanceId?}", StartAsync).WithName("StartOrchestration")
            .WithIdempotency()
            .WithSummary("Starts an orchestration with the JSON body as input: 202 with the check-status payload and Location.");
        return group;
    }

    /// <summary>Returns an instance's status.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="request">The request (for the Location URL).</param>
    /// <param name="services">The client.</param>
    /// <param name="showHistory">Include <c>historyEvents</c>.</param>
    /// <param name="showHistoryOutput">Include activity results in the history.</param>
    /// <param name="showInput">Include the input (default true).</param>
    /// <param name="returnInternalServerErrorOnFailure">Answer 500 instead of 200 for a failed instance.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200 finished; 202 pending, running or suspended; 404 unknown; 500 failed when asked.</returns>
    public static async Task<Results<Ok<DurableInstanceStatus>, Accepted<DurableInstanceStatus>, JsonHttpResult<DurableInstanceStatus>, ProblemHttpResult>> GetStatusAsync(
        string instanceId,
        HttpRequest request,
        [AsParameters] DurableManagementServices services,
        bool? showHistory,
        bool? showHistoryOutput,
        bool? showInput,
        bool? returnInternalServerErrorOnFailure,
        CancellationToken cancellationToken)
    {
        var metadata = await services.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return InstanceNotFound(instanceId);
        }

        var status = ToStatus(metadata, showInput ?? true);
        if (showHistory == true)
        {
            status = status with { HistoryEvents = await ReadHistoryAsync(services.Client, metadata, showHistoryOutput == true, cancellationToken) };
        }

        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && returnInternalServerErrorOnFailure == true)
        {
            return TypedResults.Json(status, statusCode: StatusCodes.Status500InternalServerError);
        }

        return metadata.IsCompleted
            ? TypedResults.Ok(status)
            : TypedResults.Accepted(InstanceUri(request, instanceId), status);
    }

    /// <summary>Lists instances, one page at a time.</summary>
    /// <param name="context">The HTTP context (continuation header in and out).</param>
    /// <param name="services">The client.</param>
    /// <param name="runtimeStatus">Comma-separated statuses, e.g. <c>Running,Pending</c>.</param>
    /// <param name="createdTimeFrom">Only instances created at or after this ISO 8601 time.</param>
    /// <param name="createdTimeTo">Only instances created at or before this ISO 8601 time.</param>
    /// <param name="instanceIdPrefix">Only ids starting with this.</param>
    /// <param name="top">Page size, 1 to 1000 (default 100).</param>
    /// <param name="showInput">Include inputs (default false).</param>
    /// <returns>200 with the page and, when more follow, the continuation header; 400 for a bad filter.</returns>
    public static async Task<Results<Ok<List<DurableInstanceStatus>>, ProblemHttpResult>> ListAsync(
        HttpContext context,
        [AsParameters] DurableManagementServices services,
        string? runtimeStatus,
        string? createdTimeFrom,
        string? createdTimeTo,
        string? instanceIdPrefix,
        string? top,
        bool? showInput)
    {
        if (ParseStatuses(runtimeStatus, out var statuses) is { } statusError)
        {
            return statusError;
        }

        if (ParseTime(createdTimeFrom, "createdTimeFrom", out var from) is { } fromError)
        {
            return fromError;
        }

        if (ParseTime(createdTimeTo, "createdTimeTo", out var to) is { } toError)
        {
            return toError;
        }

        var pageSize = OrchestrationQuery.DefaultPageSize;
        if (top is not null && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return BadRequest($"top must be a whole number from 1 to 1000; got '{top}'.");
        }

        string? token = context.Request.Headers[ContinuationHeader];
        try
        {
            var query = new OrchestrationQuery(from, to, statuses)
            {
                InstanceIdPrefix = string.IsNullOrEmpty(instanceIdPrefix) ? null : instanceIdPrefix,
                PageSize = pageSize,
                FetchInputsAndOutputs = true,
                ContinuationToken = string.IsNullOrEmpty(token) ? null : token,
            };
            await foreach (var page in services.Client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, pageSize, context.RequestAborted))
            {
                if (page.ContinuationToken is not null)
                {
                    context.Response.Headers[ContinuationHeader] = page.ContinuationToken;
                }

                return TypedResults.Ok(page.Values.Select(m => ToStatus(m, showInput == true)).ToList());
            }

            return TypedResults.Ok(new List<DurableInstanceStatus>());
        }
        catch (ArgumentException ex)
        {
            return BadRequest(Describe(ex));
        }
    }

    /// <summary>Purges one finished instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200 with <c>instancesDeleted</c>; 404 unknown; 409 still running.</returns>
    public static async Task<Results<Ok<PurgeHistoryResponse>, ProblemHttpResult>> PurgeAsync(
        string instanceId, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken)
    {
        try
        {
            var result = await services.Client.PurgeInstanceAsync(instanceId, cancellationToken);
            if (result.PurgedInstanceCount == 0)
            {
                return InstanceNotFound(instanceId);
            }

            services.Logger.InstanceOperation("purge", instanceId);
            return TypedResults.Ok(new PurgeHistoryResponse(result.PurgedInstanceCount));
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The instance is still running.", detail: ex.Message);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(Describe(ex));
        }
    }

    /// <summary>Purges finished instances by filter.</summary>
    /// <param name="services">The client.</param>
    /// <param name="createdTimeFrom">Required: created at or after this ISO 8601 time.</param>
    /// <param name="createdTimeTo">Created at or before this time.</param>
    /// <param name="runtimeStatus">Comma-separated finished statuses (Completed, Failed, Terminated).</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>200 with <c>instancesDeleted</c>; 404 when none matched; 400 for a bad filter.</returns>
    public static async Task<Results<Ok<PurgeHistoryResponse>, ProblemHttpResult>> PurgeByFilterAsync(
        [AsParameters] DurableManagementServices services,
        string? createdTimeFrom,
        string? createdTimeTo,
        string? runtimeStatus,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(createdTimeFrom))
        {
            return BadRequest("createdTimeFrom is required to purge by filter, e.g. createdTimeFrom=2026-01-01T00:00:00Z.");
        }

        if (ParseTime(createdTimeFrom, "createdTimeFrom", out var from) is { } fromError)
        {
            return fromError;
        }

        if (ParseTime(createdTimeTo, "createdTimeTo", out var to) is { } toError)
        {
            return toError;
        }

        if (ParseStatuses(runtimeStatus, out var statuses) is { } statusError)
        {
            return statusError;
        }

        try
        {
            var result = await services.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, to, statuses), cancellationToken);
            services.Logger.InstancesPurged(result.PurgedInstanceCount);
            return result.PurgedInstanceCount == 0
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No instances matched.", detail: "No finished instance matches the filter; nothing was deleted.")
                : TypedResults.Ok(new PurgeHistoryResponse(result.PurgedInstanceCount));
        }
        catch (ArgumentException ex)
        {
            return BadRequest(Describe(ex));
        }
    }

    /// <summary>Raises an event with the JSON body as payload.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="request">The request (body).</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 400 bad JSON; 404 unknown; 410 finished.</returns>
    public static async Task<Results<Accepted, ProblemHttpResult>> RaiseEventAsync(
        string instanceId, string eventName, HttpRequest request, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken)
    {
        var (payload, error) = await ReadJsonBodyAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return await ControlAsync(services, instanceId, $"raiseEvent {eventName}", () => services.Client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken), cancellationToken);
    }

    /// <summary>Terminates an instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">The reason, recorded as the instance's output.</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404 unknown; 410 finished.</returns>
    public static Task<Results<Accepted, ProblemHttpResult>> TerminateAsync(
        string instanceId, string? reason, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken) =>
        ControlAsync(services, instanceId, "terminate", () => services.Client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(reason), cancellationToken), cancellationToken);

    /// <summary>Suspends an instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404 unknown; 410 finished.</returns>
    public static Task<Results<Accepted, ProblemHttpResult>> SuspendAsync(
        string instanceId, string? reason, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken) =>
        ControlAsync(services, instanceId, "suspend", () => services.Client.SuspendInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    /// <summary>Resumes an instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202; 404 unknown; 410 finished.</returns>
    public static Task<Results<Accepted, ProblemHttpResult>> ResumeAsync(
        string instanceId, string? reason, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken) =>
        ControlAsync(services, instanceId, "resume", () => services.Client.ResumeInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    /// <summary>Starts an orchestration with the JSON body as input.</summary>
    /// <param name="functionName">The orchestrator name.</param>
    /// <param name="instanceId">The instance id, or a new random one.</param>
    /// <param name="request">The request (body, base URL).</param>
    /// <param name="services">The client.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>202 with the check-status payload and Location; 400 unknown orchestrator or bad input; 409 the id is in use; 413 input too large.</returns>
    public static async Task<Results<Accepted<CheckStatusPayload>, ProblemHttpResult>> StartAsync(
        string functionName, string? instanceId, HttpRequest request, [AsParameters] DurableManagementServices services, CancellationToken cancellationToken)
    {
        var (input, error) = await ReadJsonBodyAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        try
        {
            var id = await services.Client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(functionName), input, new StartOrchestrationOptions(string.IsNullOrEmpty(instanceId) ? null : instanceId), cancellationToken);
            services.Logger.OrchestrationStarted(id, functionName);
            var payload = CheckStatus(request, id);
            return TypedResults.Accepted(payload.StatusQueryGetUri, payload);
        }
        catch (OrchestrationAlreadyExistsException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The instance id is in use.", detail: ex.Message);
        }
        catch (PayloadTooLargeException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The input is too large.", detail: ex.Message);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(Describe(ex));
        }
    }

    /// <summary>Builds the check-status payload for an instance.</summary>
    /// <param name="request">Gives the scheme, host and path base.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <returns>The payload.</returns>
    public static CheckStatusPayload CheckStatus(HttpRequest request, string instanceId)
    {
        var instance = InstanceUri(request, instanceId);
        return new CheckStatusPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance,
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}");
    }

    private static string InstanceUri(HttpRequest request, string instanceId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath}/instances/{Uri.EscapeDataString(instanceId)}";

    private static async Task<Results<Accepted, ProblemHttpResult>> ControlAsync(
        DurableManagementServices services, string instanceId, string operation, Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await services.Client.GetInstanceAsync(instanceId, cancellation: cancellationToken);
            if (metadata is null)
            {
                return InstanceNotFound(instanceId);
            }

            if (metadata.IsCompleted)
            {
                return Gone(instanceId, metadata.RuntimeStatus);
            }

            await action();
            services.Logger.InstanceOperation(operation, instanceId);
            return TypedResults.Accepted((string?)null);
        }
        catch (InvalidOperationException)
        {
            // The instance finished or was purged between the check and the action.
            var metadata = await services.Client.GetInstanceAsync(instanceId, cancellation: cancellationToken);
            return metadata is null ? InstanceNotFound(instanceId) : Gone(instanceId, metadata.RuntimeStatus);
        }
        catch (PayloadTooLargeException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The payload is too large.", detail: ex.Message);
        }
        catch (ArgumentException ex)
        {
            return BadRequest(Describe(ex));
        }
    }

    private static DurableInstanceStatus ToStatus(OrchestrationMetadata metadata, bool showInput) => new()
    {
        Name = metadata.Name,
        InstanceId = metadata.InstanceId,
        RuntimeStatus = metadata.RuntimeStatus.ToString(),
        Input = showInput ? ParseStored(metadata.SerializedInput) : null,
        CustomStatus = ParseStored(metadata.SerializedCustomStatus),
        Output = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && metadata.FailureDetails is { } failure && metadata.SerializedOutput is null
            ? JsonValue.Create($"Orchestrator function '{metadata.Name}' failed: {failure.ErrorMessage}")
            : ParseStored(metadata.SerializedOutput),
        CreatedTime = FormatTime(metadata.CreatedAt),
        LastUpdatedTime = FormatTime(metadata.LastUpdatedAt),
    };

    // The Durable Functions shape: PascalCase fields; scheduling events folded into their completions
    // (FunctionName, ScheduledTime); episode markers left out; payloads only with showHistoryOutput.
    private static async Task<JsonArray?> ReadHistoryAsync(DurableTaskClient client, OrchestrationMetadata metadata, bool showHistoryOutput, CancellationToken cancellationToken)
    {
        var history = await client.GetInstanceHistoryAsync(metadata.InstanceId, cancellationToken);
        if (history is null)
        {
            return null;
        }

        var scheduled = history
            .Where(e => e.EventType is "TaskScheduled" or "SubOrchestrationInstanceCreated" && e.TaskId is not null)
            .GroupBy(e => (Sub: e.EventType == "SubOrchestrationInstanceCreated", Id: e.TaskId!.Value))
            .ToDictionary(g => g.Key, g => g.Last());
        var events = new JsonArray();
        foreach (var e in history)
        {
            if (e.EventType is "OrchestratorStarted" or "TaskScheduled" or "SubOrchestrationInstanceCreated")
            {
                continue;
            }

            var item = new JsonObject { ["EventType"] = e.EventType, ["Timestamp"] = FormatPreciseTime(e.Timestamp) };
            var isSub = e.EventType.StartsWith("SubOrchestration", StringComparison.Ordinal);
            if (e.TaskScheduledId is { } taskId && scheduled.TryGetValue((isSub, taskId), out var origin))
            {
                item["FunctionName"] = origin.Name;
                item["ScheduledTime"] = FormatPreciseTime(origin.Timestamp);
                if (isSub && origin.InstanceId is not null)
                {
                    item["InstanceId"] = origin.InstanceId;
                }
            }
            else if (e.EventType is "ExecutionStarted" or "EventRaised" or "EventSent")
            {
                item[e.EventType == "ExecutionStarted" ? "FunctionName" : "Name"] = e.Name;
            }

            if (e.EventType == "EventSent" && e.InstanceId is not null)
            {
                item["InstanceId"] = e.InstanceId;
            }

            if (e.FireAt is { } fireAt)
            {
                item["FireAt"] = FormatPreciseTime(fireAt);
            }

            if (e.Status is { } finalStatus)
            {
                item["OrchestrationStatus"] = finalStatus.ToString();
            }

            if (e.Failure is { } failure)
            {
                item["Reason"] = failure.ErrorMessage;
                item["Details"] = failure.ErrorType;
            }

            if (showHistoryOutput)
            {
                if (e.Input is not null)
                {
                    item["Input"] = ParseStored(e.Input);
                }

                if (e.Result is not null)
                {
                    item["Result"] = ParseStored(e.Result);
                }
            }

            events.Add(item);
        }

        return events;
    }

    private static string FormatPreciseTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonNode? ParseStored(string? serialized)
    {
        if (serialized is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(serialized);
        }
        catch (JsonException)
        {
            return JsonValue.Create(serialized);
        }
    }

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<(JsonElement? Value, ProblemHttpResult? Error)> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is not valid JSON.", detail: ex.Message));
        }
    }

    private static ProblemHttpResult? ParseStatuses(string? text, out OrchestrationRuntimeStatus[]? statuses)
    {
        statuses = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var list = new List<OrchestrationRuntimeStatus>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(part, ignoreCase: true, out var status) || int.TryParse(part, out _))
            {
                return BadRequest($"runtimeStatus '{part}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            }

            list.Add(status);
        }

        statuses = [.. list];
        return null;
    }

    private static ProblemHttpResult? ParseTime(string? text, string name, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return BadRequest($"{name} '{text}' is not an ISO 8601 time such as 2026-03-01T00:00:00Z.");
        }

        time = parsed;
        return null;
    }

    private static ProblemHttpResult InstanceNotFound(string instanceId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such instance.", detail: $"No orchestration instance with id '{instanceId}' exists.");

    private static ProblemHttpResult Gone(string instanceId, OrchestrationRuntimeStatus status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "The instance has finished.", detail: $"Orchestration instance '{instanceId}' is already {status}.");

    // The runtime's messages are written for callers; the parameter suffix is for programmers.
    private static string Describe(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.", detail: detail);
}
