using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workflows.Durable;

/// <summary>
/// The context an orchestrator runs in. Orchestrator code is replayed from its history after a restart or a
/// cache eviction, so it must be deterministic: take time from <see cref="CurrentUtcDateTime"/>, ids from
/// <see cref="NewGuid"/>, do all I/O in activities, and never use <c>ConfigureAwait(false)</c>.
/// </summary>
/// <remarks>
/// The abstract members are the ones an implementation must provide; the overloads are virtual one-liners,
/// mirroring Microsoft.DurableTask's <c>TaskOrchestrationContext</c>.
/// </remarks>
public abstract class TaskOrchestrationContext
{
    /// <summary>Gets the name of the running orchestrator.</summary>
    public abstract TaskName Name { get; }

    /// <summary>Gets the instance id of the running orchestration.</summary>
    public abstract string InstanceId { get; }

    /// <summary>Gets the parent orchestration when this one runs as a sub-orchestration; otherwise <c>null</c>.</summary>
    public virtual ParentOrchestrationInstance? Parent => null;

    /// <summary>
    /// Gets the current time in UTC, deterministic across replays: the time at which the current episode
    /// started processing, as recorded in the history.
    /// </summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>Gets a value indicating whether the orchestrator is replaying recorded history.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Gets the orchestration version recorded when the instance was scheduled.</summary>
    /// <value>Empty when none was given.</value>
    public virtual string Version => string.Empty;

    /// <summary>Gets the logger factory used by <see cref="CreateReplaySafeLogger(string)"/>.</summary>
    protected virtual ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    /// <summary>Deserializes the orchestration input.</summary>
    /// <typeparam name="T">The input type.</typeparam>
    /// <returns>The input, or <c>default</c> when there was none.</returns>
    public abstract T? GetInput<T>();

    /// <summary>
    /// Schedules an activity and returns its result. Activities run at least once: after a crash or an expired
    /// lease an activity may run again, so it must be idempotent.
    /// </summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="name">The activity name.</param>
    /// <param name="input">The serializable input.</param>
    /// <param name="options">Retry options.</param>
    /// <returns>The activity result.</returns>
    /// <exception cref="TaskFailedException">The activity failed (after all retries).</exception>
    public abstract Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null);

    /// <inheritdoc cref="CallActivityAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null)
        => this.CallActivityAsync<object>(name, input, options);

    /// <inheritdoc cref="CallActivityAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task CallActivityAsync(TaskName name, TaskOptions options)
        => this.CallActivityAsync(name, null, options);

    /// <inheritdoc cref="CallActivityAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task<TResult> CallActivityAsync<TResult>(TaskName name, TaskOptions options)
        => this.CallActivityAsync<TResult>(name, null, options);

    /// <summary>
    /// Creates a durable timer that fires at <paramref name="fireAt"/> (UTC). Any length is allowed (days, months,
    /// years); a time not after <see cref="CurrentUtcDateTime"/> fires at once. Cancelling the token completes the
    /// returned task as cancelled; the stored timer is then ignored when it fires.
    /// </summary>
    /// <param name="fireAt">The UTC time at which the timer fires (a <see cref="DateTimeKind.Unspecified"/> value is taken as UTC; a local one is converted).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the timer fires.</returns>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>Creates a durable timer that fires after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay; must not be negative.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the timer fires.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A durable timer delay must not be negative.");
        }

        return this.CreateTimer(this.CurrentUtcDateTime.Add(delay), cancellationToken);
    }

    /// <summary>
    /// Waits for an external event. Names are case-insensitive. Events that arrive before the wait are buffered
    /// and delivered in arrival order, one per wait. A wait that is cancelled gives up its place: a later event
    /// with the same name is delivered to the next wait instead of being lost.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="cancellationToken">Cancels the wait (the task then completes as cancelled).</param>
    /// <returns>The event payload.</returns>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WaitForExternalEvent{T}(string, CancellationToken)"/>
    public virtual Task WaitForExternalEvent(string eventName, CancellationToken cancellationToken = default)
        => this.WaitForExternalEvent<object>(eventName, cancellationToken);

    /// <summary>
    /// Waits for an external event for at most <paramref name="timeout"/>, measured with a durable timer.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="timeout">The timeout; must not be negative.</param>
    /// <returns>The event payload.</returns>
    /// <exception cref="TaskCanceledException">The timeout expired before the event arrived.</exception>
    public virtual Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
        => this.WaitForExternalEvent<T>(eventName, timeout, CancellationToken.None);

    /// <inheritdoc cref="WaitForExternalEvent{T}(string, TimeSpan)"/>
    /// <param name="eventName">The event name.</param>
    /// <param name="timeout">The timeout; must not be negative.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public virtual async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An external event timeout must not be negative.");
        }

        using var timerCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var eventCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<T> eventTask = this.WaitForExternalEvent<T>(eventName, eventCts.Token);
        if (eventTask.IsCompleted)
        {
            return await eventTask;
        }

        Task timerTask = this.CreateTimer(timeout, timerCts.Token);
        Task winner = await Task.WhenAny(eventTask, timerTask);
        if (winner == eventTask)
        {
            timerCts.Cancel();
        }
        else
        {
            eventCts.Cancel();
        }

        return await eventTask;
    }

    /// <inheritdoc cref="WaitForExternalEvent{T}(string, TimeSpan)"/>
    public virtual Task WaitForExternalEvent(string eventName, TimeSpan timeout)
        => this.WaitForExternalEvent<object>(eventName, timeout);

    /// <summary>Sends an event to another orchestration instance (fire and forget, recorded in history).</summary>
    /// <param name="instanceId">The target instance id.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The serializable payload.</param>
    public abstract void SendEvent(string instanceId, string eventName, object payload);

    /// <summary>
    /// Sets the custom status visible in <see cref="Client.OrchestrationMetadata.SerializedCustomStatus"/> once the
    /// episode commits. The serialized value must not exceed the configured limit (16 KiB by default).
    /// </summary>
    /// <param name="customStatus">The serializable status, or <c>null</c> to clear it.</param>
    /// <exception cref="PayloadTooLargeException">The serialized status is too large.</exception>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Schedules a sub-orchestration and returns its output. Use <see cref="SubOrchestrationOptions"/> to choose
    /// its instance id; otherwise a deterministic id is derived.
    /// </summary>
    /// <typeparam name="TResult">The output type.</typeparam>
    /// <param name="orchestratorName">The orchestrator name.</param>
    /// <param name="input">The serializable input.</param>
    /// <param name="options">Retry and instance-id options.</param>
    /// <returns>The output.</returns>
    /// <exception cref="TaskFailedException">The sub-orchestration failed or was terminated.</exception>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null);

    /// <inheritdoc cref="CallSubOrchestratorAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
        => this.CallSubOrchestratorAsync<object>(orchestratorName, input, options);

    /// <inheritdoc cref="CallSubOrchestratorAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, TaskOptions options)
        => this.CallSubOrchestratorAsync<TResult>(orchestratorName, null, options);

    /// <inheritdoc cref="CallSubOrchestratorAsync{TResult}(TaskName, object?, TaskOptions?)"/>
    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, TaskOptions options)
        => this.CallSubOrchestratorAsync(orchestratorName, null, options);

    /// <summary>
    /// Restarts the orchestration with a new input and an empty history once the orchestrator returns.
    /// Unprocessed external events are carried into the new execution unless <paramref name="preserveUnprocessedEvents"/> is <c>false</c>.
    /// </summary>
    /// <param name="newInput">The input of the new execution.</param>
    /// <param name="preserveUnprocessedEvents">Whether to carry unprocessed events over; <c>true</c> by default.</param>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>
    /// Creates a deterministic, name-based (version 5) UUID from the instance id, the current orchestration time and
    /// a per-execution counter, so replays produce the same values.
    /// </summary>
    /// <returns>The id.</returns>
    public abstract Guid NewGuid();

    /// <summary>Creates a logger that writes only when the orchestrator is not replaying.</summary>
    /// <param name="categoryName">The log category.</param>
    /// <returns>The logger.</returns>
    public virtual ILogger CreateReplaySafeLogger(string categoryName)
        => new ReplaySafeLogger(this, this.LoggerFactory.CreateLogger(categoryName));

    /// <inheritdoc cref="CreateReplaySafeLogger(string)"/>
    /// <param name="type">The type whose name is the category.</param>
    public virtual ILogger CreateReplaySafeLogger(Type type)
        => new ReplaySafeLogger(this, this.LoggerFactory.CreateLogger(type));

    /// <inheritdoc cref="CreateReplaySafeLogger(string)"/>
    /// <typeparam name="T">The type whose name is the category.</typeparam>
    public virtual ILogger CreateReplaySafeLogger<T>()
        => new ReplaySafeLogger(this, this.LoggerFactory.CreateLogger<T>());

    private sealed class ReplaySafeLogger(TaskOrchestrationContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

/// <summary>Identifies the parent of a sub-orchestration.</summary>
/// <param name="Name">The parent orchestrator name.</param>
/// <param name="InstanceId">The parent instance id.</param>
public sealed record ParentOrchestrationInstance(TaskName Name, string InstanceId);
