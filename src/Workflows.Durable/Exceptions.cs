namespace Workflows.Durable;

/// <summary>
/// Thrown into an orchestrator when an activity or sub-orchestration it awaited failed.
/// <see cref="FailureDetails"/> carries the original exception's type, message, stack and inner failure.
/// </summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Initializes a new <see cref="TaskFailedException"/>.</summary>
    /// <param name="taskName">The name of the failed task.</param>
    /// <param name="taskId">The sequence id of the failed task in the orchestration history.</param>
    /// <param name="failureDetails">The failure details.</param>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails?.ErrorMessage}")
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        this.TaskName = taskName;
        this.TaskId = taskId;
        this.FailureDetails = failureDetails;
    }

    /// <summary>Initializes a new <see cref="TaskFailedException"/>.</summary>
    public TaskFailedException()
        : this("unknown", -1, new TaskFailureDetails(typeof(Exception).FullName!, "unknown failure", null, null))
    {
    }

    /// <summary>Initializes a new <see cref="TaskFailedException"/>.</summary>
    /// <param name="message">The message.</param>
    public TaskFailedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new <see cref="TaskFailedException"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public TaskFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        this.TaskName = "unknown";
        this.TaskId = -1;
        this.FailureDetails = innerException is null
            ? new TaskFailureDetails(typeof(Exception).FullName!, message, null, null)
            : TaskFailureDetails.FromException(innerException);
    }

    /// <summary>Gets the name of the failed task.</summary>
    public string TaskName { get; }

    /// <summary>Gets the sequence id of the failed task.</summary>
    public int TaskId { get; }

    /// <summary>Gets the details of the failure.</summary>
    public TaskFailureDetails FailureDetails { get; }
}

/// <summary>
/// Thrown by <see cref="Client.DurableTaskClient.ScheduleNewOrchestrationInstanceAsync(TaskName, object?, Client.StartOrchestrationOptions?, CancellationToken)"/>
/// when an instance with the requested id exists and is still pending, running or suspended.
/// </summary>
public sealed class OrchestrationAlreadyExistsException : InvalidOperationException
{
    /// <summary>Initializes a new instance.</summary>
    public OrchestrationAlreadyExistsException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public OrchestrationAlreadyExistsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public OrchestrationAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The failure recorded when replaying an orchestration schedules different work from its history
/// (a code change that is not replay-compatible, or non-deterministic orchestrator code).
/// The instance is marked Failed with this error type; its history is left untouched.
/// </summary>
public sealed class NonDeterministicOrchestrationException : InvalidOperationException
{
    /// <summary>Initializes a new instance.</summary>
    public NonDeterministicOrchestrationException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public NonDeterministicOrchestrationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public NonDeterministicOrchestrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown when a payload (input, output, event data, custom status) exceeds the stated size limit.
/// Payloads are never truncated.
/// </summary>
public sealed class PayloadTooLargeException : ArgumentException
{
    /// <summary>Initializes a new instance.</summary>
    public PayloadTooLargeException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public PayloadTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public PayloadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
