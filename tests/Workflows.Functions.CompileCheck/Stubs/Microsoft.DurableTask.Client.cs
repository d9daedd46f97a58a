// API-shape stub of the NuGet package Microsoft.DurableTask.Client (1.x; the version that
// Microsoft.Azure.Functions.Worker.Extensions.DurableTask 1.14.1 depends on). DurableTaskClient is what [DurableClient]
// binds to in the isolated worker. Only the members src/Workflows.Functions uses or is expected to use (the
// DurableTaskClient bridge: start, raise, wait, query, terminate, suspend/resume, purge), with their complete overload
// sets. Checked against microsoft/durabletask-dotnet:
//   src/Client/Core/DurableTaskClient.cs (commit 208aade2), OrchestrationMetadata.cs (07af9480),
//   OrchestrationRuntimeStatus.cs (22ce6185), OrchestrationQuery.cs, PurgeResult.cs (c014df21),
//   PurgeInstanceOptions.cs (f4c3a440), PurgeInstancesFilter.cs (0412b63b), TerminateInstanceOptions.cs (55bd7ae0).
// All of these live in namespace Microsoft.DurableTask.Client since 1.0 (pre-release builds had some of them in
// Microsoft.DurableTask; OrchestrationQuery is placed with the others by that move - the stored source of it is older).
// Left out on purpose (newer or unused): Entities, RestartAsync, RewindInstanceAsync, ListInstanceIdsAsync, history
// streaming, OrchestrationMetadata.DataConverter / Read*AsAsync, PurgeResult.IsComplete's timeout semantics.
#pragma warning disable IDE0060 // placeholders ignore their parameters

namespace Microsoft.DurableTask.Client;

public abstract class DurableTaskClient : IAsyncDisposable
{
    protected DurableTaskClient(string name) => this.Name = name;

    public string Name { get; }

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, StartOrchestrationOptions options, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default);

    public virtual Task RaiseEventAsync(string instanceId, string eventName, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    public virtual Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    public virtual Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    public virtual Task TerminateInstanceAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task TerminateInstanceAsync(string instanceId, object? output, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task SuspendInstanceAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    public virtual Task ResumeInstanceAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    public abstract AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null);

    public virtual Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("compile-check stub");

    public abstract ValueTask DisposeAsync();
}

public sealed class OrchestrationMetadata
{
    public OrchestrationMetadata(string name, string instanceId)
    {
        this.Name = name;
        this.InstanceId = instanceId;
    }

    public string Name { get; }

    public string InstanceId { get; }

    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public TaskFailureDetails? FailureDetails { get; init; }

    public bool IsRunning => this.RuntimeStatus == OrchestrationRuntimeStatus.Running;

    public bool IsCompleted => this.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public T? ReadInputAs<T>() => throw new NotSupportedException("compile-check stub");

    public T? ReadOutputAs<T>() => throw new NotSupportedException("compile-check stub");

    public T? ReadCustomStatusAs<T>() => throw new NotSupportedException("compile-check stub");
}

public enum OrchestrationRuntimeStatus
{
    Running,
    Completed,
    [Obsolete("The ContinuedAsNew status is obsolete and exists only for compatibility reasons.")]
    ContinuedAsNew,
    Failed,
    [Obsolete("The Canceled status is not currently used and exists only for compatibility reasons.")]
    Canceled,
    Terminated,
    Pending,
    Suspended,
}

public record OrchestrationQuery(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null,
    IEnumerable<string>? TaskHubNames = null,
    string? InstanceIdPrefix = null,
    int PageSize = OrchestrationQuery.DefaultPageSize,
    bool FetchInputsAndOutputs = false,
    string? ContinuationToken = null)
{
    public const int DefaultPageSize = 100;
}

public class PurgeResult
{
    public PurgeResult(int count, bool? isComplete)
    {
        this.PurgedInstanceCount = count;
        this.IsComplete = isComplete;
    }

    public int PurgedInstanceCount { get; }

    public bool? IsComplete { get; }
}

public record PurgeInstanceOptions(bool Recursive = false);

public record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null)
{
    public TimeSpan? Timeout { get; init; }
}

public record TerminateInstanceOptions
{
    public TerminateInstanceOptions(object? output = null, bool recursive = true)
    {
        this.Output = output;
        this.Recursive = recursive;
    }

    public object? Output { get; init; }

    public bool Recursive { get; init; }
}
