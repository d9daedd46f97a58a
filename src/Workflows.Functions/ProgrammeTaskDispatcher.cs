using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Workflows.Programmes;
using Workflows.Programmes.Azure;
using Mdt = Microsoft.DurableTask;

namespace Workflows.Functions;

/// <summary>
/// Runs a Workflows.Programmes orchestrator or activity, found by its registered name in
/// <see cref="ProgrammeTaskCatalogue"/>, inside a Durable Functions invocation. Inputs arrive as JSON and are read into
/// the task's own input type with the same options the embedded runtime uses (System.Text.Json web defaults, enums by name: ProgrammePayloads).
/// </summary>
/// <param name="services">The worker's services (ProgrammeServices and the stores).</param>
public sealed class ProgrammeTaskDispatcher(IServiceProvider services)
{
    /// <summary>JSON options shared with the embedded runtime's data converter and the worker serializer (<see cref="ProgrammePayloads"/>).</summary>
    public static JsonSerializerOptions JsonOptions => ProgrammePayloads.JsonOptions;

    /// <summary>Runs the orchestrator registered as <paramref name="name"/>.</summary>
    /// <param name="name">Registered orchestrator name.</param>
    /// <param name="context">The Durable Functions orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    public Task<object?> RunOrchestratorAsync(string name, Mdt.TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var orchestrator = ProgrammeTaskCatalogue.Default.CreateOrchestrator(name, services);
        object? input = Convert(context.GetInput<JsonElement?>(), orchestrator.InputType);
        return orchestrator.RunAsync(new OrchestrationContextAdapter(context), input);
    }

    /// <summary>Runs the activity registered as <paramref name="name"/>.</summary>
    /// <param name="name">Registered activity name.</param>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="functionContext">The invocation (for the orchestration instance id and cancellation).</param>
    /// <returns>The activity's output.</returns>
    public Task<object?> RunActivityAsync(string name, JsonElement? input, FunctionContext functionContext)
    {
        ArgumentNullException.ThrowIfNull(functionContext);
        var activity = ProgrammeTaskCatalogue.Default.CreateActivity(name, services);
        string instanceId = functionContext.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null
            ? id.ToString() ?? string.Empty
            : string.Empty;
        var context = new ActivityContextAdapter(name, instanceId, functionContext.CancellationToken);
        return activity.RunAsync(context, Convert(input, activity.InputType));
    }

    private static object? Convert(JsonElement? input, Type type) =>
        input is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            ? null
            : element.Deserialize(type, JsonOptions);
}
