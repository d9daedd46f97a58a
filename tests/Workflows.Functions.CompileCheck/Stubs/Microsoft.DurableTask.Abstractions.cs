// API-shape stub of the NuGet package Microsoft.DurableTask.Abstractions (1.x; the version that
// Microsoft.Azure.Functions.Worker.Extensions.DurableTask 1.14.1, pinned in src/Workflows.Functions, depends on).
// Only the members src/Workflows.Functions uses (or is expected to use), with the real names, signatures, nullability
// and overload sets. Bodies are placeholders. Checked against microsoft/durabletask-dotnet:
//   src/Abstractions/TaskOrchestrationContext.cs (commit 1976de60), TaskName.cs (380c622f), TaskOptions.cs (89a5fef9),
//   TaskRetryOptions.cs (323da6d3), RetryHandler.cs (61d7080d), TaskFailureDetails.cs (6a1f434e),
//   TaskFailedException.cs (ac8e2e31), ParentOrchestrationInstance.cs, TaskVersion.cs, AsyncPageable.cs, Page.cs.
// TaskOrchestrationContext.Version and TaskOptions.Version are the newer-1.x shape (the stored TaskOrchestrationContext.cs
// at 1976de60 still has `abstract string InstanceVersion`); they are confirmed by the overrides in
// microsoft/durabletask-dotnet src/Worker/Core/Shims/TaskOrchestrationContextWrapper.cs (01e9f280: `override string
// Version`, `options?.Version is TaskVersion`) and Azure/azure-functions-durable-extension
// src/Worker.Extensions.DurableTask/FunctionsOrchestrationContext.cs (042be89f: `override string Version`), the context
// Durable Functions hands to [OrchestrationTrigger]. Whether the base declares Version abstract or virtual is not
// visible from those overrides; it is declared virtual here (callers cannot tell the difference).
// Uncertain across 1.x: TaskFailureDetails gained the 5th positional parameter Properties in later 1.x releases
// (only read here, never constructed); TaskOptions/StartOrchestrationOptions.Version (TaskVersion?) exist only in
// newer 1.x (older ones had Version on SubOrchestrationOptions). TaskOrchestrationContext's members not used by the
// Functions code (Entities, Properties, the protected LoggerFactory, ContinueAsNew(ContinueAsNewOptions), the timeout
// overload of WaitForExternalEvent...) are left out on purpose.
#pragma warning disable IDE0060 // placeholders ignore their parameters

using Microsoft.Extensions.Logging;

namespace Microsoft.DurableTask;

public abstract class TaskOrchestrationContext
{
    public abstract TaskName Name { get; }

    public abstract string InstanceId { get; }

    public abstract ParentOrchestrationInstance? Parent { get; }

    public abstract DateTime CurrentUtcDateTime { get; }

    public abstract bool IsReplaying { get; }

    public virtual string Version => string.Empty;

    public abstract T? GetInput<T>();

    public virtual Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task CallActivityAsync(TaskName name, TaskOptions options) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task<TResult> CallActivityAsync<TResult>(TaskName name, TaskOptions options) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null);

    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        throw new NotSupportedException("compile-check stub");

    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    public abstract void SendEvent(string instanceId, string eventName, object payload);

    public abstract void SetCustomStatus(object? customStatus);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null);

    public virtual Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, TaskOptions options) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, TaskOptions options) =>
        throw new NotSupportedException("compile-check stub");

    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("compile-check stub");

    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    public abstract Guid NewGuid();

    // Non-virtual in the real class; the Type and generic overloads are virtual.
    public ILogger CreateReplaySafeLogger(string categoryName) => throw new NotSupportedException("compile-check stub");

    public virtual ILogger CreateReplaySafeLogger(Type type) => throw new NotSupportedException("compile-check stub");

    public virtual ILogger CreateReplaySafeLogger<T>() => throw new NotSupportedException("compile-check stub");
}

public readonly struct TaskName : IEquatable<TaskName>
{
    public TaskName(string name)
    {
        this.Name = name;
        this.Version = string.Empty;
    }

    public TaskName(string name, string version)
    {
        this.Name = name;
        this.Version = version;
    }

    public string Name { get; }

    public string Version { get; }

    public static implicit operator string(TaskName value) => value.Name;

    public static implicit operator TaskName(string value) => new(value);

    public static bool operator ==(TaskName a, TaskName b) => a.Equals(b);

    public static bool operator !=(TaskName a, TaskName b) => !a.Equals(b);

    public bool Equals(TaskName other) => string.Equals(this.Name, other.Name, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is TaskName other && this.Equals(other);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(this.Name ?? string.Empty);

    public override string ToString() => this.Name;
}

public readonly struct TaskVersion : IEquatable<TaskVersion>
{
    public TaskVersion(string? version) => this.Version = version ?? string.Empty;

    public string Version { get; }

    public static implicit operator string(TaskVersion value) => value.Version;

    public static implicit operator TaskVersion(string? value) => new(value);

    public static bool operator ==(TaskVersion a, TaskVersion b) => a.Equals(b);

    public static bool operator !=(TaskVersion a, TaskVersion b) => !a.Equals(b);

    public bool Equals(TaskVersion other) => string.Equals(this.Version, other.Version, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is TaskVersion other && this.Equals(other);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(this.Version ?? string.Empty);
}

public record ParentOrchestrationInstance(TaskName Name, string InstanceId);

public record TaskOptions
{
    public TaskOptions(TaskRetryOptions? retry) => this.Retry = retry;

    public TaskOptions(TaskRetryOptions? retry = null, IDictionary<string, string>? tags = null)
    {
        this.Retry = retry;
        this.Tags = tags;
    }

    public TaskRetryOptions? Retry { get; init; }

    public IDictionary<string, string>? Tags { get; init; }

    public TaskVersion? Version { get; init; }

    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => throw new NotSupportedException("compile-check stub");

    public static TaskOptions FromRetryHandler(AsyncRetryHandler handler) => throw new NotSupportedException("compile-check stub");

    public static TaskOptions FromRetryHandler(RetryHandler handler) => throw new NotSupportedException("compile-check stub");

    public SubOrchestrationOptions WithInstanceId(string instanceId) => new(this, instanceId);
}

public record SubOrchestrationOptions : TaskOptions
{
    public SubOrchestrationOptions(TaskRetryOptions? retry = null, string? instanceId = null)
        : base(retry) => this.InstanceId = instanceId;

    public SubOrchestrationOptions(TaskOptions options, string? instanceId = null)
        : base(options) => this.InstanceId = instanceId;

    public string? InstanceId { get; init; }
}

public record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public TaskVersion? Version { get; init; }
}

public sealed class TaskRetryOptions
{
    public TaskRetryOptions(RetryPolicy policy) => this.Policy = policy;

    public TaskRetryOptions(AsyncRetryHandler handler) => this.Handler = handler;

    public RetryPolicy? Policy { get; }

    public AsyncRetryHandler? Handler { get; }

    public static implicit operator TaskRetryOptions(RetryPolicy policy) => new(policy);

    public static implicit operator TaskRetryOptions(AsyncRetryHandler handler) => new(handler);

    public static implicit operator TaskRetryOptions(RetryHandler handler) => throw new NotSupportedException("compile-check stub");

    public static TaskRetryOptions FromRetryPolicy(RetryPolicy policy) => new(policy);

    public static TaskRetryOptions FromRetryHandler(AsyncRetryHandler handler) => new(handler);

    public static TaskRetryOptions FromRetryHandler(RetryHandler handler) => throw new NotSupportedException("compile-check stub");
}

// Declared so that TaskRetryOptions' overload set is complete; the Functions code maps retries through a handler and
// never builds a Microsoft.DurableTask.RetryPolicy, so its members are left out.
public class RetryPolicy
{
    private RetryPolicy()
    {
    }
}

public delegate bool RetryHandler(RetryContext retryContext);

public delegate Task<bool> AsyncRetryHandler(RetryContext retryContext);

public record RetryContext(
    TaskOrchestrationContext OrchestrationContext,
    int LastAttemptNumber,
    TaskFailureDetails LastFailure,
    TimeSpan TotalRetryTime,
    CancellationToken CancellationToken);

public record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace, TaskFailureDetails? InnerFailure, IDictionary<string, object?>? Properties)
{
    public bool IsCausedBy<T>()
        where T : Exception => throw new NotSupportedException("compile-check stub");

    public bool IsCausedBy(Type targetBaseExceptionType) => throw new NotSupportedException("compile-check stub");

    public static TaskFailureDetails FromException(Exception exception) => throw new NotSupportedException("compile-check stub");
}

public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string taskName, int taskId, Exception innerException)
        : base(taskName, innerException)
    {
        this.TaskName = taskName;
        this.TaskId = taskId;
        this.FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base(taskName)
    {
        this.TaskName = taskName;
        this.TaskId = taskId;
        this.FailureDetails = failureDetails;
    }

    public string TaskName { get; }

    public int TaskId { get; }

    public TaskFailureDetails FailureDetails { get; }
}

public abstract class AsyncPageable<T> : IAsyncEnumerable<T>
    where T : notnull
{
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = default, int? pageSizeHint = default);

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("compile-check stub");
}

public sealed class Page<T>(IReadOnlyList<T> values, string? continuationToken = null)
    where T : notnull
{
    public IReadOnlyList<T> Values { get; } = values;

    public string? ContinuationToken { get; } = continuationToken;
}
