using Workflows.Durable.Client;
using Embedded = Workflows.Durable;
using Mdt = Microsoft.DurableTask;
using MdtClient = Microsoft.DurableTask.Client;

namespace Workflows.Functions;

/// <summary>
/// The embedded runtime's <see cref="DurableTaskClient"/> over Durable Functions' client
/// (<see cref="MdtClient.DurableTaskClient"/>), registered as the singleton that the programme facades
/// (ProgrammeOperations, BaseOperations, BatchOperations, SupervisionOperations, SanctionsOperations, ClaimOperations)
/// and the shared jobs take in their constructors.
/// </summary>
/// <remarks>
/// <para>
/// Durable Functions hands its client to a function only through a <c>[DurableClient]</c> binding, one per invocation,
/// while the facades are singletons built once. So every HTTP and timer trigger calls <see cref="Attach"/> with its
/// bound client before it does anything else; the bridge then delegates to the client attached last. Every bound
/// client of one task hub is a thin per-binding wrapper around the same long-lived gRPC client of the Functions host
/// (disposing the wrapper does not dispose it), so keeping the latest one after its invocation ends is safe. A call
/// before any trigger attached a client throws <see cref="InvalidOperationException"/> naming the cause.
/// </para>
/// <para>
/// The embedded client's errors are kept by reading the instance's status first: starting an id that is live throws
/// <see cref="Embedded.OrchestrationAlreadyExistsException"/>; raising an event to, terminating, suspending or resuming an
/// unknown or finished instance, or purging a live one, throws <see cref="InvalidOperationException"/> with the embedded
/// client's wording (Durable Functions itself would drop or ignore such requests). A status change between that read and
/// the request is not caught. Differences that remain: the orchestration <c>Version</c> and parent id of an instance are
/// not reported (Microsoft.DurableTask's metadata has neither); <see cref="OrchestrationQuery.Name"/> is applied to each page after it is fetched (the
/// Durable Task query has no name filter), so pages may hold fewer items than the page size; and
/// <see cref="GetInstanceHistoryAsync"/> is not supported (use the host's management API,
/// <c>GET /runtime/webhooks/durabletask/instances/{id}?showHistory=true</c>).
/// </para>
/// </remarks>
public sealed class DurableClientBridge : DurableTaskClient
{
    private readonly Embedded.DataConverter converter;
    private MdtClient.DurableTaskClient? attached;

    /// <summary>Initializes the bridge; nothing can be called until a trigger attaches its bound client.</summary>
    /// <param name="converter">Reads the payloads of the metadata it returns (the same JSON as the worker serializer).</param>
    public DurableClientBridge(Embedded.DataConverter converter)
        : base("DurableFunctions")
    {
        ArgumentNullException.ThrowIfNull(converter);
        this.converter = converter;
    }

    /// <summary>Gets a value indicating whether a trigger has attached a client yet.</summary>
    public bool IsAttached => Volatile.Read(ref this.attached) is not null;

    /// <summary>
    /// Attaches the client a trigger received through <c>[DurableClient]</c>. Call it first in every HTTP and timer
    /// trigger, before any facade or job runs.
    /// </summary>
    /// <param name="client">The bound Durable Functions client.</param>
    public void Attach(MdtClient.DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Volatile.Write(ref this.attached, client);
    }

    /// <inheritdoc/>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        Embedded.TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        var client = this.Client;
        if (options?.InstanceId is { Length: > 0 } instanceId
            && await client.GetInstanceAsync(instanceId, false, cancellation) is { } existing
            && existing.RuntimeStatus is MdtClient.OrchestrationRuntimeStatus.Pending or MdtClient.OrchestrationRuntimeStatus.Running or MdtClient.OrchestrationRuntimeStatus.Suspended)
        {
            // The embedded contract: a live instance with this id is an error the callers catch (idempotent starts).
            throw new Embedded.OrchestrationAlreadyExistsException(
                $"An orchestration instance with id '{instanceId}' is already {existing.RuntimeStatus}.");
        }

        Mdt.StartOrchestrationOptions? start = null;
        if (options is not null)
        {
            start = new Mdt.StartOrchestrationOptions(options.InstanceId, options.StartAt);
            if (!string.IsNullOrEmpty(options.Version))
            {
                start = start with { Version = new Mdt.TaskVersion(options.Version) };
            }
        }

        return await client.ScheduleNewOrchestrationInstanceAsync(new Mdt.TaskName(orchestratorName.Name), input, start, cancellation);
    }

    /// <inheritdoc/>
    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        var client = this.Client;
        await RequireActiveAsync(client, instanceId, $"raise event '{eventName}'", cancellation);
        await client.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        this.Map(await this.Client.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation), getInputsAndOutputs)
        ?? throw new InvalidOperationException($"No orchestration instance has the id '{instanceId}'.");

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        this.Map(await this.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation), getInputsAndOutputs)
        ?? throw new InvalidOperationException($"No orchestration instance has the id '{instanceId}'.");

    /// <inheritdoc/>
    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var client = this.Client;
        await RequireActiveAsync(client, instanceId, "terminate", cancellation);
        await client.TerminateInstanceAsync(
            instanceId,
            new MdtClient.TerminateInstanceOptions(options?.Output, options?.Recursive ?? false),
            cancellation);
    }

    /// <inheritdoc/>
    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var client = this.Client;
        await RequireActiveAsync(client, instanceId, "suspend", cancellation);
        await client.SuspendInstanceAsync(instanceId, reason, cancellation);
    }

    /// <inheritdoc/>
    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var client = this.Client;
        await RequireActiveAsync(client, instanceId, "resume", cancellation);
        await client.ResumeInstanceAsync(instanceId, reason, cancellation);
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        this.Map(await this.Client.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation), getInputsAndOutputs);

    /// <inheritdoc/>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        filter ??= new OrchestrationQuery();
        if (filter.PageSize is < 1 or > 1000)
        {
            throw new ArgumentException($"The page size must be 1 to 1,000; it was {filter.PageSize}.", nameof(filter));
        }

        return new AsyncPageable<OrchestrationMetadata>((token, sizeHint, cancellation) => this.FetchPageAsync(filter, token, sizeHint, cancellation));
    }

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var client = this.Client;
        if (await client.GetInstanceAsync(instanceId, false, cancellation) is { } existing && !IsTerminal(existing.RuntimeStatus))
        {
            throw new InvalidOperationException(
                $"Cannot purge orchestration instance '{instanceId}': it is {FromMicrosoft(existing.RuntimeStatus)}. Only Completed, Failed or Terminated instances can be purged; terminate it first or wait for it to finish.");
        }

        var result = await client.PurgeInstanceAsync(instanceId, new MdtClient.PurgeInstanceOptions(options?.Recursive ?? false), cancellation);
        return new PurgeResult(result.PurgedInstanceCount);
    }

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses?.ToList();
        var live = statuses?.Where(s => s is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)).ToList();
        if (live is { Count: > 0 })
        {
            throw new ArgumentException($"Only Completed, Failed or Terminated instances can be purged; the filter names {string.Join(", ", live)}.", nameof(filter));
        }

        var result = await this.Client.PurgeAllInstancesAsync(
            new MdtClient.PurgeInstancesFilter(filter.CreatedFrom, filter.CreatedTo, statuses?.Select(ToMicrosoft).ToList()),
            cancellation);
        return new PurgeResult(result.PurgedInstanceCount);
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<OrchestrationHistoryEvent>?> GetInstanceHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        throw new NotSupportedException(
            "Durable Functions' client does not give the worker an instance's history (its per-binding client does not implement "
            + "history streaming). Read it from the Functions host's management API: GET /runtime/webhooks/durabletask/instances/"
            + instanceId + "?showHistory=true.");

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        // The bound clients belong to the Functions host; it disposes them.
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Maps a Durable Task runtime status to the embedded one (same names and meaning).</summary>
    /// <param name="status">The Durable Task status.</param>
    /// <returns>The embedded status.</returns>
    public static OrchestrationRuntimeStatus FromMicrosoft(MdtClient.OrchestrationRuntimeStatus status) => status switch
    {
        MdtClient.OrchestrationRuntimeStatus.Running => OrchestrationRuntimeStatus.Running,
        MdtClient.OrchestrationRuntimeStatus.Completed => OrchestrationRuntimeStatus.Completed,
        MdtClient.OrchestrationRuntimeStatus.Failed => OrchestrationRuntimeStatus.Failed,
        MdtClient.OrchestrationRuntimeStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        MdtClient.OrchestrationRuntimeStatus.Pending => OrchestrationRuntimeStatus.Pending,
        MdtClient.OrchestrationRuntimeStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
        _ => Enum.Parse<OrchestrationRuntimeStatus>(status.ToString()), // ContinuedAsNew, Canceled (obsolete there)
    };

    /// <summary>Maps an embedded runtime status to Durable Task's.</summary>
    /// <param name="status">The embedded status.</param>
    /// <returns>The Durable Task status.</returns>
    public static MdtClient.OrchestrationRuntimeStatus ToMicrosoft(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => MdtClient.OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Completed => MdtClient.OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed => MdtClient.OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => MdtClient.OrchestrationRuntimeStatus.Terminated,
        OrchestrationRuntimeStatus.Pending => MdtClient.OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Suspended => MdtClient.OrchestrationRuntimeStatus.Suspended,
        _ => Enum.Parse<MdtClient.OrchestrationRuntimeStatus>(status.ToString()), // ContinuedAsNew, Canceled
    };

    private MdtClient.DurableTaskClient Client => Volatile.Read(ref this.attached)
        ?? throw new InvalidOperationException(
            "No Durable Functions client is attached yet: every HTTP and timer trigger must call DurableClientBridge.Attach "
            + "with its [DurableClient] binding before a programme facade or job uses the durable client.");

    // The embedded client's contract for events, terminate, suspend and resume: an unknown or finished instance is an
    // error naming it (Durable Functions would drop the request silently). Checked with a status read just before the
    // request, so an instance finishing in between is not caught.
    private static async Task RequireActiveAsync(MdtClient.DurableTaskClient client, string instanceId, string action, CancellationToken cancellation)
    {
        var existing = await client.GetInstanceAsync(instanceId, false, cancellation)
            ?? throw new InvalidOperationException($"Cannot {action}: no orchestration instance with id '{instanceId}' exists.");
        if (IsTerminal(existing.RuntimeStatus))
        {
            throw new InvalidOperationException($"Cannot {action}: orchestration instance '{instanceId}' is already {FromMicrosoft(existing.RuntimeStatus)}.");
        }
    }

    private static bool IsTerminal(MdtClient.OrchestrationRuntimeStatus status) =>
        status is MdtClient.OrchestrationRuntimeStatus.Completed or MdtClient.OrchestrationRuntimeStatus.Failed or MdtClient.OrchestrationRuntimeStatus.Terminated;

    private async Task<Page<OrchestrationMetadata>> FetchPageAsync(OrchestrationQuery filter, string? token, int? sizeHint, CancellationToken cancellation)
    {
        string? continuation = token ?? filter.ContinuationToken;
        int pageSize = sizeHint ?? filter.PageSize;
        var pageable = this.Client.GetAllInstancesAsync(new()
        {
            CreatedFrom = filter.CreatedFrom,
            CreatedTo = filter.CreatedTo,
            Statuses = filter.Statuses?.Select(ToMicrosoft).ToList(),
            TaskHubNames = filter.TaskHubNames?.ToList(),
            InstanceIdPrefix = filter.InstanceIdPrefix,
            PageSize = pageSize,
            FetchInputsAndOutputs = filter.FetchInputsAndOutputs,
            ContinuationToken = continuation,
        });

        await foreach (var page in pageable.AsPages(continuation, pageSize).WithCancellation(cancellation))
        {
            var values = page.Values
                .Where(m => filter.Name is null || string.Equals(m.Name, filter.Name, StringComparison.OrdinalIgnoreCase))
                .Select(m => this.Map(m, filter.FetchInputsAndOutputs)!)
                .ToList();
            return new Page<OrchestrationMetadata>(values, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new Page<OrchestrationMetadata>([], null);
    }

    private OrchestrationMetadata? Map(MdtClient.OrchestrationMetadata? metadata, bool withInputsAndOutputs)
    {
        if (metadata is null)
        {
            return null;
        }

        return new OrchestrationMetadata(metadata.Name, metadata.InstanceId)
        {
            RuntimeStatus = FromMicrosoft(metadata.RuntimeStatus),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            SerializedInput = metadata.SerializedInput,
            SerializedOutput = metadata.SerializedOutput,
            SerializedCustomStatus = metadata.SerializedCustomStatus,
            FailureDetails = metadata.FailureDetails is { } failure ? OrchestrationContextAdapter.MapDetails(failure) : null,
            DataConverter = this.converter,
            RequestedInputsAndOutputs = withInputsAndOutputs,
        };
    }
}
