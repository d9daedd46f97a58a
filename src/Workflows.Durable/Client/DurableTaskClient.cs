namespace Workflows.Durable.Client;

/// <summary>
/// Starts, queries and manages orchestration instances. Mirrors Microsoft.DurableTask's <c>DurableTaskClient</c>:
/// abstract core members, convenience overloads as virtual one-liners.
/// </summary>
/// <remarks>
/// Every write is validated first and either commits completely or changes nothing; bad input throws
/// <see cref="ArgumentException"/> (unknown names, payloads that are too large), <see cref="InvalidOperationException"/>
/// (wrong instance state) or <see cref="KeyNotFoundException"/>-free clear messages naming the instance.
/// </remarks>
public abstract class DurableTaskClient : IAsyncDisposable
{
    /// <summary>Initializes a client.</summary>
    /// <param name="name">The client name.</param>
    protected DurableTaskClient(string name)
    {
        this.Name = name;
    }

    /// <summary>Gets the client name.</summary>
    public string Name { get; }

    /// <summary>Schedules a new orchestration instance.</summary>
    /// <param name="orchestratorName">The registered orchestrator name.</param>
    /// <param name="input">The serializable input.</param>
    /// <param name="options">Instance id, scheduled start time and version.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The instance id.</returns>
    /// <exception cref="ArgumentException">The orchestrator is not registered, or the input is too large.</exception>
    /// <exception cref="OrchestrationAlreadyExistsException">An instance with this id is pending, running or suspended.</exception>
    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default);

    /// <inheritdoc cref="ScheduleNewOrchestrationInstanceAsync(TaskName, object?, StartOrchestrationOptions?, CancellationToken)"/>
    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, CancellationToken cancellation)
        => this.ScheduleNewOrchestrationInstanceAsync(orchestratorName, null, null, cancellation);

    /// <inheritdoc cref="ScheduleNewOrchestrationInstanceAsync(TaskName, object?, StartOrchestrationOptions?, CancellationToken)"/>
    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input, CancellationToken cancellation)
        => this.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, null, cancellation);

    /// <inheritdoc cref="ScheduleNewOrchestrationInstanceAsync(TaskName, object?, StartOrchestrationOptions?, CancellationToken)"/>
    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, StartOrchestrationOptions options, CancellationToken cancellation = default)
        => this.ScheduleNewOrchestrationInstanceAsync(orchestratorName, null, options, cancellation);

    /// <summary>
    /// Raises an external event. Events to a pending, running or suspended instance are queued durably; names are case-insensitive.
    /// </summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="eventPayload">The serializable payload.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when the event is stored.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist or has completed.</exception>
    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    /// <inheritdoc cref="RaiseEventAsync(string, string, object?, CancellationToken)"/>
    public virtual Task RaiseEventAsync(string instanceId, string eventName, CancellationToken cancellation)
        => this.RaiseEventAsync(instanceId, eventName, null, cancellation);

    /// <summary>Waits until the instance has started (left Pending).</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="getInputsAndOutputs">Whether to fetch inputs, outputs and custom status.</param>
    /// <param name="cancellation">Cancels the wait.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist.</exception>
    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <inheritdoc cref="WaitForInstanceStartAsync(string, bool, CancellationToken)"/>
    public virtual Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellation)
        => this.WaitForInstanceStartAsync(instanceId, false, cancellation);

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="getInputsAndOutputs">Whether to fetch inputs, outputs and custom status.</param>
    /// <param name="cancellation">Cancels the wait.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist.</exception>
    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <inheritdoc cref="WaitForInstanceCompletionAsync(string, bool, CancellationToken)"/>
    public virtual Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellation)
        => this.WaitForInstanceCompletionAsync(instanceId, false, cancellation);

    /// <summary>Terminates a pending, running or suspended instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="options">The output (reason) and whether to terminate sub-orchestrations.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when the request is stored.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist or has completed.</exception>
    public abstract Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default);

    /// <inheritdoc cref="TerminateInstanceAsync(string, TerminateInstanceOptions?, CancellationToken)"/>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="output">The output (reason) recorded.</param>
    /// <param name="cancellation">Cancels the call.</param>
    public virtual Task TerminateInstanceAsync(string instanceId, object? output, CancellationToken cancellation = default)
        => this.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(output), cancellation);

    /// <inheritdoc cref="TerminateInstanceAsync(string, TerminateInstanceOptions?, CancellationToken)"/>
    public virtual Task TerminateInstanceAsync(string instanceId, CancellationToken cancellation)
        => this.TerminateInstanceAsync(instanceId, (TerminateInstanceOptions?)null, cancellation);

    /// <summary>Suspends a running instance: events and timers are kept but not processed until it is resumed.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when the request is stored.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist or has completed.</exception>
    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <inheritdoc cref="SuspendInstanceAsync(string, string?, CancellationToken)"/>
    public virtual Task SuspendInstanceAsync(string instanceId, CancellationToken cancellation)
        => this.SuspendInstanceAsync(instanceId, null, cancellation);

    /// <summary>Resumes a suspended instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>A task that completes when the request is stored.</returns>
    /// <exception cref="InvalidOperationException">The instance does not exist or has completed.</exception>
    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <inheritdoc cref="ResumeInstanceAsync(string, string?, CancellationToken)"/>
    public virtual Task ResumeInstanceAsync(string instanceId, CancellationToken cancellation)
        => this.ResumeInstanceAsync(instanceId, null, cancellation);

    /// <summary>Gets an instance, or <c>null</c> when it does not exist.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="getInputsAndOutputs">Whether to fetch inputs, outputs and custom status.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The metadata or <c>null</c>.</returns>
    public abstract Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <inheritdoc cref="GetInstanceAsync(string, bool, CancellationToken)"/>
    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellation)
        => this.GetInstanceAsync(instanceId, false, cancellation);

    /// <inheritdoc cref="GetInstanceAsync(string, bool, CancellationToken)"/>
    public virtual Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => this.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation);

    /// <summary>Queries instances, ordered by instance id, page by page.</summary>
    /// <param name="filter">The filter; all instances when <c>null</c>.</param>
    /// <returns>The instances.</returns>
    /// <exception cref="ArgumentException">The filter is invalid (page size, continuation token).</exception>
    public abstract AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null);

    /// <summary>Deletes a completed, failed or terminated instance with its history.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="options">Purge options.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The number of instances purged (0 when it did not exist).</returns>
    /// <exception cref="InvalidOperationException">The instance is pending, running or suspended.</exception>
    public abstract Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default);

    /// <inheritdoc cref="PurgeInstanceAsync(string, PurgeInstanceOptions?, CancellationToken)"/>
    public virtual Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation)
        => this.PurgeInstanceAsync(instanceId, null, cancellation);

    /// <summary>Deletes every completed, failed or terminated instance matching the filter.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The number of instances purged.</returns>
    /// <exception cref="ArgumentException">The filter names a non-terminal status.</exception>
    public abstract Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default);

    /// <summary>Reads the history of an instance's current execution, oldest first.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellation">Cancels the call.</param>
    /// <returns>The events, or <c>null</c> when the instance does not exist.</returns>
    /// <exception cref="NotSupportedException">The client cannot read histories.</exception>
    public virtual Task<IReadOnlyList<OrchestrationHistoryEvent>?> GetInstanceHistoryAsync(string instanceId, CancellationToken cancellation = default)
        => throw new NotSupportedException($"{this.GetType().Name} cannot read orchestration histories.");

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
