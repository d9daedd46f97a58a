using Microsoft.Extensions.Logging;
using Embedded = Workflows.Durable;
using Mdt = Microsoft.DurableTask;

namespace Workflows.Functions;

/// <summary>
/// The embedded runtime's orchestration context, delegating every member to Durable Functions'
/// <see cref="Mdt.TaskOrchestrationContext"/>, so the orchestrators of Workflows.Programmes run unchanged on Azure.
/// Failures of activities and sub-orchestrations surface as the embedded <see cref="Embedded.TaskFailedException"/>.
/// </summary>
/// <param name="inner">The Durable Functions context.</param>
public sealed class OrchestrationContextAdapter(Mdt.TaskOrchestrationContext inner) : Embedded.TaskOrchestrationContext
{
    /// <inheritdoc/>
    public override Embedded.TaskName Name => new(inner.Name.Name, inner.Name.Version);

    /// <inheritdoc/>
    public override string InstanceId => inner.InstanceId;

    /// <inheritdoc/>
    public override Embedded.ParentOrchestrationInstance? Parent =>
        inner.Parent is { } parent ? new Embedded.ParentOrchestrationInstance(new Embedded.TaskName(parent.Name.Name, parent.Name.Version), parent.InstanceId) : null;

    /// <inheritdoc/>
    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    /// <inheritdoc/>
    public override bool IsReplaying => inner.IsReplaying;

    /// <inheritdoc/>
    /// <remarks>Microsoft.DurableTask's <c>TaskOrchestrationContext.Version</c> (the instance's version, empty when none
    /// was given at start), which the Durable Functions context overrides.</remarks>
    public override string Version => inner.Version ?? string.Empty;

    /// <inheritdoc/>
    public override T? GetInput<T>()
        where T : default => inner.GetInput<T>();

    /// <inheritdoc/>
    public override async Task<TResult> CallActivityAsync<TResult>(Embedded.TaskName name, object? input = null, Embedded.TaskOptions? options = null)
    {
        try
        {
            return await inner.CallActivityAsync<TResult>(new Mdt.TaskName(name.Name), input, this.MapOptions(options));
        }
        catch (Mdt.TaskFailedException ex)
        {
            throw MapFailure(ex);
        }
    }

    /// <inheritdoc/>
    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(Embedded.TaskName orchestratorName, object? input = null, Embedded.TaskOptions? options = null)
    {
        string? instanceId = (options as Embedded.SubOrchestrationOptions)?.InstanceId;
        var mapped = new Mdt.SubOrchestrationOptions(this.MapOptions(options)?.Retry, instanceId);
        try
        {
            return await inner.CallSubOrchestratorAsync<TResult>(new Mdt.TaskName(orchestratorName.Name), input, mapped);
        }
        catch (Mdt.TaskFailedException ex)
        {
            throw MapFailure(ex);
        }
    }

    /// <inheritdoc/>
    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    /// <inheritdoc/>
    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    /// <inheritdoc/>
    public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

    /// <inheritdoc/>
    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    /// <inheritdoc/>
    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    /// <inheritdoc/>
    public override Guid NewGuid() => inner.NewGuid();

    /// <inheritdoc/>
    public override ILogger CreateReplaySafeLogger(string categoryName) => inner.CreateReplaySafeLogger(categoryName);

    /// <inheritdoc/>
    public override ILogger CreateReplaySafeLogger(Type type) => inner.CreateReplaySafeLogger(type);

    /// <inheritdoc/>
    public override ILogger CreateReplaySafeLogger<T>() => inner.CreateReplaySafeLogger<T>();

    /// <summary>Maps the embedded failure details to the embedded exception (recursive on inner failures).</summary>
    /// <param name="details">Durable Task failure details.</param>
    /// <returns>The embedded equivalent.</returns>
    public static Embedded.TaskFailureDetails MapDetails(Mdt.TaskFailureDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new Embedded.TaskFailureDetails(
            details.ErrorType,
            details.ErrorMessage,
            details.StackTrace,
            details.InnerFailure is null ? null : MapDetails(details.InnerFailure));
    }

    private static Embedded.TaskFailedException MapFailure(Mdt.TaskFailedException ex) =>
        new(ex.TaskName, ex.TaskId, MapDetails(ex.FailureDetails));

    private Mdt.TaskOptions? MapOptions(Embedded.TaskOptions? options)
    {
        if (options?.Retry is not { } retry)
        {
            return null;
        }

        if (retry.Policy is { } policy)
        {
            // Expressed as a retry handler with a durable timer, so the embedded policy's HandleFailure filter and
            // back-off apply exactly (Microsoft.DurableTask's RetryPolicy filter property differs across 1.x versions).
            Mdt.AsyncRetryHandler byPolicy = async context =>
            {
                if (context.LastAttemptNumber >= policy.MaxNumberOfAttempts || !policy.HandleFailure(MapDetails(context.LastFailure)))
                {
                    return false;
                }

                var delay = policy.GetNextDelay(context.LastAttemptNumber);
                if (policy.RetryTimeout != Timeout.InfiniteTimeSpan && context.TotalRetryTime + delay > policy.RetryTimeout)
                {
                    return false;
                }

                await inner.CreateTimer(delay, context.CancellationToken);
                return true;
            };
            return new Mdt.TaskOptions(new Mdt.TaskRetryOptions(byPolicy));
        }

        var handler = retry.Handler!;
        Mdt.AsyncRetryHandler delegating = context => handler(new Embedded.RetryContext(
            this,
            context.LastAttemptNumber,
            MapDetails(context.LastFailure),
            context.TotalRetryTime,
            context.CancellationToken));
        return new Mdt.TaskOptions(new Mdt.TaskRetryOptions(delegating));
    }
}

/// <summary>The embedded runtime's activity context over a Durable Functions activity invocation.</summary>
/// <param name="name">The registered activity name.</param>
/// <param name="instanceId">The calling orchestration's instance id.</param>
/// <param name="cancellationToken">The invocation's cancellation.</param>
public sealed class ActivityContextAdapter(string name, string instanceId, CancellationToken cancellationToken) : Embedded.TaskActivityContext
{
    /// <inheritdoc/>
    public override Embedded.TaskName Name => new(name);

    /// <inheritdoc/>
    public override string InstanceId => instanceId;

    /// <inheritdoc/>
    public override CancellationToken CancellationToken => cancellationToken;
}
