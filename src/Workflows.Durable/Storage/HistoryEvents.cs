using System.Text.Json.Serialization;
using Workflows.Durable.Client;

namespace Workflows.Durable.Storage;

// Stored formats. Each record is one history event (or queued message) with an explicit, versioned
// discriminator ("TaskScheduled.v1"). A change to a stored shape gets a new discriminator and the old
// record stays readable; golden files under tests/.../Histories pin these shapes.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ExecutionStartedEvent), "ExecutionStarted.v1")]
[JsonDerivedType(typeof(OrchestratorStartedEvent), "OrchestratorStarted.v1")]
[JsonDerivedType(typeof(TaskScheduledEvent), "TaskScheduled.v1")]
[JsonDerivedType(typeof(TaskCompletedEvent), "TaskCompleted.v1")]
[JsonDerivedType(typeof(TaskFailedEvent), "TaskFailed.v1")]
[JsonDerivedType(typeof(SubOrchestrationCreatedEvent), "SubOrchestrationCreated.v1")]
[JsonDerivedType(typeof(SubOrchestrationCompletedEvent), "SubOrchestrationCompleted.v1")]
[JsonDerivedType(typeof(SubOrchestrationFailedEvent), "SubOrchestrationFailed.v1")]
[JsonDerivedType(typeof(TimerCreatedEvent), "TimerCreated.v1")]
[JsonDerivedType(typeof(TimerFiredEvent), "TimerFired.v1")]
[JsonDerivedType(typeof(EventRaisedEvent), "EventRaised.v1")]
[JsonDerivedType(typeof(EventSentEvent), "EventSent.v1")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "ExecutionSuspended.v1")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "ExecutionResumed.v1")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "ExecutionTerminated.v1")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "ExecutionCompleted.v1")]
internal abstract record HistoryEvent(DateTime Timestamp);

internal sealed record ExecutionStartedEvent(
    DateTime Timestamp,
    string Name,
    string Version,
    string? Input,
    string? ParentInstanceId,
    string? ParentName,
    int? ParentTaskId,
    long? ParentGeneration) : HistoryEvent(Timestamp);

internal sealed record OrchestratorStartedEvent(DateTime Timestamp) : HistoryEvent(Timestamp);

internal sealed record TaskScheduledEvent(DateTime Timestamp, int TaskId, string Name, string? Input) : HistoryEvent(Timestamp);

internal sealed record TaskCompletedEvent(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp);

internal sealed record TaskFailedEvent(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent(Timestamp);

internal sealed record SubOrchestrationCreatedEvent(DateTime Timestamp, int TaskId, string Name, string InstanceId, string? Input, string Version) : HistoryEvent(Timestamp);

internal sealed record SubOrchestrationCompletedEvent(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp);

internal sealed record SubOrchestrationFailedEvent(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent(Timestamp);

internal sealed record TimerCreatedEvent(DateTime Timestamp, int TaskId, DateTime FireAt) : HistoryEvent(Timestamp);

internal sealed record TimerFiredEvent(DateTime Timestamp, int TimerId, DateTime FireAt) : HistoryEvent(Timestamp);

internal sealed record EventRaisedEvent(DateTime Timestamp, string Name, string? Input) : HistoryEvent(Timestamp);

internal sealed record EventSentEvent(DateTime Timestamp, int TaskId, string InstanceId, string Name, string? Input) : HistoryEvent(Timestamp);

internal sealed record ExecutionSuspendedEvent(DateTime Timestamp, string? Reason) : HistoryEvent(Timestamp);

internal sealed record ExecutionResumedEvent(DateTime Timestamp, string? Reason) : HistoryEvent(Timestamp);

internal sealed record ExecutionTerminatedEvent(DateTime Timestamp, string? Output, bool Recursive) : HistoryEvent(Timestamp);

internal sealed record ExecutionCompletedEvent(DateTime Timestamp, OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? Failure) : HistoryEvent(Timestamp);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HistoryEvent))]
[JsonSerializable(typeof(List<HistoryEvent>))]
[JsonSerializable(typeof(TaskFailureDetails))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext
{
}

internal static class HistorySerializer
{
    public static string Serialize(HistoryEvent e) => System.Text.Json.JsonSerializer.Serialize(e, HistoryJsonContext.Default.HistoryEvent);

    public static HistoryEvent Deserialize(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, HistoryJsonContext.Default.HistoryEvent)
        ?? throw new InvalidDataException("A stored history event is null.");

    public static string SerializeFailure(TaskFailureDetails f) => System.Text.Json.JsonSerializer.Serialize(f, HistoryJsonContext.Default.TaskFailureDetails);

    public static TaskFailureDetails? DeserializeFailure(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Deserialize(json, HistoryJsonContext.Default.TaskFailureDetails);
}
