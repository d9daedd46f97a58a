using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

internal abstract record OutboundAction(int TaskId);

internal sealed record ScheduleActivityAction(int TaskId, string Name, string? Input) : OutboundAction(TaskId);

internal sealed record CreateTimerAction(int TaskId, DateTime FireAt) : OutboundAction(TaskId);

internal sealed record CancelTimerAction(int TaskId) : OutboundAction(TaskId);

internal sealed record StartSubOrchestrationAction(int TaskId, string Name, string InstanceId, string? Input, string Version) : OutboundAction(TaskId);

internal sealed record SendEventAction(int TaskId, string InstanceId, string Name, string? Input) : OutboundAction(TaskId);

/// <summary>What one episode produced: history to append, work to send, and the status change.</summary>
internal sealed class EpisodeOutcome
{
    public required List<HistoryEvent> NewHistory { get; init; }

    public required List<OutboundAction> Actions { get; init; }

    public OrchestrationRuntimeStatus? FinalStatus { get; init; }

    public string? Output { get; init; }

    public TaskFailureDetails? Failure { get; init; }

    public string? NewInput { get; init; }

    public List<EventRaisedEvent> CarriedEvents { get; init; } = [];

    public bool CustomStatusChanged { get; init; }

    public string? CustomStatus { get; init; }
}
