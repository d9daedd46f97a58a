namespace Workflows.Durable.Client;

/// <summary>One event of an instance's history (current execution), as shown by management APIs.</summary>
/// <param name="EventType">The Durable Task event type: ExecutionStarted, OrchestratorStarted, TaskScheduled, TaskCompleted, TaskFailed,
/// SubOrchestrationInstanceCreated, SubOrchestrationInstanceCompleted, SubOrchestrationInstanceFailed, TimerCreated, TimerFired,
/// EventRaised, EventSent, ExecutionSuspended, ExecutionResumed, ExecutionTerminated, ExecutionCompleted.</param>
/// <param name="Timestamp">When the event was recorded (orchestration time).</param>
/// <param name="Name">The orchestrator, activity, sub-orchestrator or event name, where there is one.</param>
/// <param name="TaskId">The task sequence id of a scheduled task, timer or sent event.</param>
/// <param name="TaskScheduledId">The task a completion or failure belongs to.</param>
/// <param name="Input">The serialized input or event payload.</param>
/// <param name="Result">The serialized result or output.</param>
/// <param name="FireAt">When a timer fires.</param>
/// <param name="InstanceId">The other instance (sub-orchestration, event target, parent).</param>
/// <param name="Failure">The failure details of a failed task or execution.</param>
public sealed record OrchestrationHistoryEvent(
    string EventType,
    DateTimeOffset Timestamp,
    string? Name,
    int? TaskId,
    int? TaskScheduledId,
    string? Input,
    string? Result,
    DateTimeOffset? FireAt,
    string? InstanceId,
    TaskFailureDetails? Failure)
{
    /// <summary>Gets the final status of an ExecutionCompleted event.</summary>
    public OrchestrationRuntimeStatus? Status { get; init; }
}
