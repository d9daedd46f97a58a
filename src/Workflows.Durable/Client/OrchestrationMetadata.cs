namespace Workflows.Durable.Client;

/// <summary>The runtime status of an orchestration instance.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>The orchestration started and has not finished.</summary>
    Running = 0,

    /// <summary>The orchestration completed successfully.</summary>
    Completed = 1,

    /// <summary>The orchestration restarted itself with <see cref="TaskOrchestrationContext.ContinueAsNew"/>; a transient status.</summary>
    ContinuedAsNew = 2,

    /// <summary>The orchestration failed with an unhandled exception or a non-determinism error.</summary>
    Failed = 3,

    /// <summary>Kept for parity with Durable Task; never set by this runtime.</summary>
    Canceled = 4,

    /// <summary>The orchestration was terminated by a client.</summary>
    Terminated = 5,

    /// <summary>The orchestration was scheduled and has not started yet.</summary>
    Pending = 6,

    /// <summary>The orchestration is suspended; events are kept until it is resumed.</summary>
    Suspended = 7,
}

/// <summary>The state of an orchestration instance as read by a client.</summary>
public sealed class OrchestrationMetadata
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The orchestrator name.</param>
    /// <param name="instanceId">The instance id.</param>
    public OrchestrationMetadata(string name, string instanceId)
    {
        this.Name = name;
        this.InstanceId = instanceId;
    }

    /// <summary>Gets the orchestrator name.</summary>
    public string Name { get; }

    /// <summary>Gets the instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Gets the runtime status.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>Gets the time the instance was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the time the instance state last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Gets the orchestration version recorded for the instance.</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>Gets the serialized input; <c>null</c> unless inputs and outputs were requested.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>Gets the serialized output; <c>null</c> unless inputs and outputs were requested.</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>Gets the serialized custom status; <c>null</c> unless inputs and outputs were requested.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Gets the failure details when <see cref="RuntimeStatus"/> is <see cref="OrchestrationRuntimeStatus.Failed"/>.</summary>
    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>Gets the parent instance id when this is a sub-orchestration.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>Gets the converter used by the Read…As methods.</summary>
    public DataConverter DataConverter { get; init; } = JsonDataConverter.Default;

    /// <summary>Gets a value indicating whether the instance is running (Durable Task semantics: status Running only).</summary>
    public bool IsRunning => this.RuntimeStatus == OrchestrationRuntimeStatus.Running;

    /// <summary>Gets a value indicating whether the instance reached a terminal status.</summary>
    public bool IsCompleted => this.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Canceled;

    /// <summary>Deserializes the input.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The input.</returns>
    /// <exception cref="InvalidOperationException">Inputs and outputs were not fetched.</exception>
    public T? ReadInputAs<T>() => this.Read<T>(this.SerializedInput, "input");

    /// <summary>Deserializes the output.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The output.</returns>
    /// <exception cref="InvalidOperationException">Inputs and outputs were not fetched.</exception>
    public T? ReadOutputAs<T>() => this.Read<T>(this.SerializedOutput, "output");

    /// <summary>Deserializes the custom status.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The custom status.</returns>
    /// <exception cref="InvalidOperationException">Inputs and outputs were not fetched.</exception>
    public T? ReadCustomStatusAs<T>() => this.Read<T>(this.SerializedCustomStatus, "custom status");

    /// <summary>
    /// Gets a value indicating whether the input, output and custom status were fetched with this metadata
    /// (<c>getInputsAndOutputs: true</c>); the <c>Read…As</c> methods throw otherwise. A client implemented outside this
    /// assembly (the Azure Functions bridge) sets it when it fetched them.
    /// </summary>
    public bool RequestedInputsAndOutputs { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{this.Name}/{this.InstanceId}: {this.RuntimeStatus}";

    private T? Read<T>(string? data, string what)
    {
        if (!this.RequestedInputsAndOutputs)
        {
            throw new InvalidOperationException($"The {what} of instance '{this.InstanceId}' was not fetched: pass getInputsAndOutputs: true.");
        }

        return this.DataConverter.Deserialize<T>(data);
    }
}
