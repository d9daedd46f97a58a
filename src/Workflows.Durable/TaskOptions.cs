namespace Workflows.Durable;

/// <summary>Options for an activity or sub-orchestration call: its retry behaviour.</summary>
public record TaskOptions
{
    /// <summary>Initializes a new <see cref="TaskOptions"/>.</summary>
    /// <param name="retry">The retry options, or <c>null</c> for no retries.</param>
    public TaskOptions(TaskRetryOptions? retry = null)
    {
        this.Retry = retry;
    }

    /// <summary>Gets the retry options.</summary>
    /// <value><c>null</c> (no retries) by default.</value>
    public TaskRetryOptions? Retry { get; init; }

    /// <summary>Creates options with a declarative retry policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The options.</returns>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(new TaskRetryOptions(policy));

    /// <summary>Creates options with an asynchronous retry handler.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>The options.</returns>
    public static TaskOptions FromRetryHandler(AsyncRetryHandler handler) => new(new TaskRetryOptions(handler));

    /// <summary>Creates options with a synchronous retry handler.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>The options.</returns>
    public static TaskOptions FromRetryHandler(RetryHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return FromRetryHandler(ctx => Task.FromResult(handler(ctx)));
    }

    /// <summary>Creates sub-orchestration options with the given instance id.</summary>
    /// <param name="instanceId">The instance id of the sub-orchestration.</param>
    /// <param name="retry">The retry options.</param>
    /// <returns>The options.</returns>
    public static SubOrchestrationOptions WithInstanceId(string instanceId, TaskRetryOptions? retry = null) => new(retry, instanceId);

    /// <summary>Returns sub-orchestration options with these retry settings and the given instance id.</summary>
    /// <param name="instanceId">The instance id, or <c>null</c> for a deterministic generated id.</param>
    /// <returns>The options.</returns>
    public SubOrchestrationOptions WithInstanceId(string? instanceId) => new(this, instanceId);
}

/// <summary>Options for a sub-orchestration call: retry, instance id and version.</summary>
public record SubOrchestrationOptions : TaskOptions
{
    /// <summary>Initializes new options.</summary>
    /// <param name="retry">The retry options.</param>
    /// <param name="instanceId">The instance id, or <c>null</c> for a deterministic generated id.</param>
    public SubOrchestrationOptions(TaskRetryOptions? retry = null, string? instanceId = null)
        : base(retry)
    {
        this.InstanceId = instanceId;
    }

    /// <summary>Initializes new options from existing task options.</summary>
    /// <param name="options">The task options to copy.</param>
    /// <param name="instanceId">The instance id, or <c>null</c>.</param>
    public SubOrchestrationOptions(TaskOptions options, string? instanceId = null)
        : base(options?.Retry)
    {
        this.InstanceId = instanceId ?? (options as SubOrchestrationOptions)?.InstanceId;
        this.Version = (options as SubOrchestrationOptions)?.Version;
    }

    /// <summary>Gets the instance id of the sub-orchestration.</summary>
    /// <value><c>null</c> by default: a deterministic id is derived with <see cref="TaskOrchestrationContext.NewGuid"/>.</value>
    public string? InstanceId { get; init; }

    /// <summary>Gets the orchestration version recorded for the sub-orchestration.</summary>
    public string? Version { get; init; }
}

/// <summary>Retry options: either a declarative <see cref="RetryPolicy"/> or a custom handler.</summary>
public sealed class TaskRetryOptions
{
    /// <summary>Initializes retry options from a policy.</summary>
    /// <param name="policy">The policy.</param>
    public TaskRetryOptions(RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        this.Policy = policy;
    }

    /// <summary>Initializes retry options from a handler.</summary>
    /// <param name="handler">The handler; return <c>true</c> to retry.</param>
    public TaskRetryOptions(AsyncRetryHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        this.Handler = handler;
    }

    /// <summary>Gets the declarative policy, if any.</summary>
    public RetryPolicy? Policy { get; }

    /// <summary>Gets the custom handler, if any.</summary>
    public AsyncRetryHandler? Handler { get; }

    /// <summary>Converts a policy to retry options.</summary>
    /// <param name="policy">The policy.</param>
    public static implicit operator TaskRetryOptions(RetryPolicy policy) => new(policy);

    /// <summary>Converts a handler to retry options.</summary>
    /// <param name="handler">The handler.</param>
    public static implicit operator TaskRetryOptions(AsyncRetryHandler handler) => new(handler);

    /// <summary>Creates retry options from a policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The options.</returns>
    public static TaskRetryOptions FromRetryPolicy(RetryPolicy policy) => new(policy);

    /// <summary>Creates retry options from a handler.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>The options.</returns>
    public static TaskRetryOptions FromRetryHandler(AsyncRetryHandler handler) => new(handler);
}

/// <summary>
/// A declarative retry policy for activity and sub-orchestration calls. Delays are durable timers, so they
/// survive restarts and follow the injected <see cref="TimeProvider"/>. The delay before attempt n+1 is
/// <c>min(FirstRetryInterval * BackoffCoefficient^(n-1), MaxRetryInterval)</c>.
/// </summary>
public class RetryPolicy
{
    /// <summary>Initializes a new <see cref="RetryPolicy"/>.</summary>
    /// <param name="maxNumberOfAttempts">The maximum number of attempts, including the first; 1 or more.</param>
    /// <param name="firstRetryInterval">The delay between the first and the second attempt; greater than zero.</param>
    /// <param name="backoffCoefficient">The exponential backoff coefficient; 1.0 or more.</param>
    /// <param name="maxRetryInterval">The longest delay between attempts; defaults to one hour.</param>
    /// <param name="retryTimeout">The overall time after which no further attempts start; defaults to infinite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        if (firstRetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRetryInterval), firstRetryInterval, "The first retry interval must be greater than zero.");
        }

        if (double.IsNaN(backoffCoefficient) || backoffCoefficient < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(backoffCoefficient), backoffCoefficient, "The backoff coefficient must be 1.0 or greater.");
        }

        if (maxRetryInterval is { } max && max < firstRetryInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRetryInterval), max, "The maximum retry interval must not be shorter than the first retry interval.");
        }

        if (retryTimeout is { } timeout && timeout != Timeout.InfiniteTimeSpan && timeout < firstRetryInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(retryTimeout), timeout, "The retry timeout must be infinite or not shorter than the first retry interval.");
        }

        this.MaxNumberOfAttempts = maxNumberOfAttempts;
        this.FirstRetryInterval = firstRetryInterval;
        this.BackoffCoefficient = backoffCoefficient;
        this.MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        this.RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Gets the maximum number of attempts, including the first.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Gets the delay between the first and the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Gets the exponential backoff coefficient.</summary>
    /// <value>1.0 (constant delay) by default.</value>
    public double BackoffCoefficient { get; }

    /// <summary>Gets the longest delay between attempts.</summary>
    /// <value>One hour by default.</value>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Gets the overall time, measured from the first attempt, after which no new attempt starts.</summary>
    /// <value><see cref="Timeout.InfiniteTimeSpan"/> by default.</value>
    public TimeSpan RetryTimeout { get; }

    /// <summary>
    /// Gets or sets a predicate deciding whether a failure is retried; <c>false</c> stops retrying and rethrows.
    /// </summary>
    /// <value>Retries every failure by default.</value>
    public Func<TaskFailureDetails, bool> HandleFailure { get; init; } = static _ => true;

    /// <summary>Computes the delay before the next attempt.</summary>
    /// <param name="attemptNumber">The number of the attempt that just failed, starting at 1.</param>
    /// <returns>The delay.</returns>
    public TimeSpan GetNextDelay(int attemptNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptNumber, 1);
        double ticks = this.FirstRetryInterval.Ticks * Math.Pow(this.BackoffCoefficient, attemptNumber - 1);
        return ticks >= this.MaxRetryInterval.Ticks ? this.MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>The state passed to a retry handler after a failed attempt.</summary>
/// <param name="OrchestrationContext">The orchestration context; use it for durable delays (<see cref="TaskOrchestrationContext.CreateTimer(TimeSpan, CancellationToken)"/>).</param>
/// <param name="LastAttemptNumber">The number of the attempt that failed, starting at 1.</param>
/// <param name="LastFailure">The failure of the last attempt.</param>
/// <param name="TotalRetryTime">The orchestration time elapsed since the first attempt.</param>
/// <param name="CancellationToken">A token cancelled when retrying should stop.</param>
public sealed record RetryContext(
    TaskOrchestrationContext OrchestrationContext,
    int LastAttemptNumber,
    TaskFailureDetails LastFailure,
    TimeSpan TotalRetryTime,
    CancellationToken CancellationToken);

/// <summary>An asynchronous retry handler: return <c>true</c> to retry.</summary>
/// <param name="retryContext">The retry context.</param>
/// <returns>Whether to retry.</returns>
public delegate Task<bool> AsyncRetryHandler(RetryContext retryContext);

/// <summary>A synchronous retry handler: return <c>true</c> to retry.</summary>
/// <param name="retryContext">The retry context.</param>
/// <returns>Whether to retry.</returns>
public delegate bool RetryHandler(RetryContext retryContext);
