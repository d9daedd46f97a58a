namespace Workflows.Durable;

/// <summary>An orchestrator: deterministic code that schedules activities, timers and sub-orchestrations.</summary>
public interface ITaskOrchestrator
{
    /// <summary>Gets the input type.</summary>
    Type InputType { get; }

    /// <summary>Gets the output type.</summary>
    Type OutputType { get; }

    /// <summary>Runs the orchestrator.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The deserialized input.</param>
    /// <returns>The output.</returns>
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>Base class for typed orchestrators.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    /// <inheritdoc/>
    Type ITaskOrchestrator.InputType => typeof(TInput);

    /// <inheritdoc/>
    Type ITaskOrchestrator.OutputType => typeof(TOutput);

    /// <summary>Runs the orchestrator. It is replayed from history, so it must be deterministic.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input)
        => await this.RunAsync(context, input is TInput typed ? typed : default!);
}

/// <summary>An activity: a unit of work with I/O. Activities run at least once and must be idempotent.</summary>
public interface ITaskActivity
{
    /// <summary>Gets the input type.</summary>
    Type InputType { get; }

    /// <summary>Gets the output type.</summary>
    Type OutputType { get; }

    /// <summary>Runs the activity.</summary>
    /// <param name="context">The activity context.</param>
    /// <param name="input">The deserialized input.</param>
    /// <returns>The output.</returns>
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>Base class for typed activities.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    /// <inheritdoc/>
    Type ITaskActivity.InputType => typeof(TInput);

    /// <inheritdoc/>
    Type ITaskActivity.OutputType => typeof(TOutput);

    /// <summary>Runs the activity. It may run more than once for one call; keep side effects idempotent.</summary>
    /// <param name="context">The activity context.</param>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input)
        => await this.RunAsync(context, input is TInput typed ? typed : default!);
}

/// <summary>The context an activity runs in.</summary>
public abstract class TaskActivityContext
{
    /// <summary>Gets the activity name.</summary>
    public abstract TaskName Name { get; }

    /// <summary>Gets the instance id of the orchestration that scheduled the activity.</summary>
    public abstract string InstanceId { get; }

    /// <summary>Gets the attempt number of this work item within the runtime (1 for the first delivery; higher after a lease expired or a restart).</summary>
    public virtual int DeliveryCount => 1;

    /// <summary>Gets a token cancelled when the worker shuts down.</summary>
    public virtual CancellationToken CancellationToken => CancellationToken.None;
}
