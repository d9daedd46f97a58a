using Microsoft.Extensions.Logging;

namespace Workflows.Durable.Core;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Durable worker {OwnerId} started on {DatabasePath}: {Instances} instance(s) with queued work, {Timers} timer(s), {Activities} activity work item(s) recovered")]
    public static partial void WorkerStarted(ILogger logger, string ownerId, string databasePath, int instances, int timers, int activities);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Durable worker {OwnerId} stopped")]
    public static partial void WorkerStopped(ILogger logger, string ownerId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Episode of orchestration {InstanceId} failed to commit; it will be retried")]
    public static partial void EpisodeFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Orchestration {InstanceId} failed: {ErrorType}: {ErrorMessage}")]
    public static partial void OrchestrationFailed(ILogger logger, string instanceId, string errorType, string errorMessage);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Event {EventName} sent to orchestration {InstanceId} was dropped: the instance does not exist or has completed")]
    public static partial void EventDropped(ILogger logger, string eventName, string instanceId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Activity work item {WorkItemId} of orchestration {InstanceId} could not be completed; it runs again after its lease expires")]
    public static partial void ActivityCompletionFailed(ILogger logger, long workItemId, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Polling the durable store failed")]
    public static partial void PollFailed(ILogger logger, Exception exception);
}
