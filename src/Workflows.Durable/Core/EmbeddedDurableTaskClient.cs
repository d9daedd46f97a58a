using System.Text;
using Microsoft.Data.Sqlite;
using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

/// <summary>The client of the embedded runtime: every call validates first, then commits in one store operation.</summary>
internal sealed class EmbeddedDurableTaskClient(DurableEngine engine) : DurableTaskClient("embedded")
{
    private const int MaxInstanceIdLength = 256;
    private const int MaxEventNameLength = 256;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        string name = orchestratorName.Name ?? throw new ArgumentException("An orchestrator name is required.", nameof(orchestratorName));
        if (!engine.IsClientOnly && !engine.HasOrchestrator(name))
        {
            throw new ArgumentException($"No orchestrator named '{name}' is registered; nothing was scheduled.", nameof(orchestratorName));
        }

        string instanceId = options?.InstanceId ?? Ids.NewInstanceId();
        ValidateInstanceId(instanceId);
        string? serialized = engine.Converter.Serialize(input);
        engine.CheckPayload(serialized, $"The input of new orchestration '{name}'");
        if (serialized is not null && engine.TryCreateOrchestratorForValidation(name) is { } orchestrator)
        {
            try
            {
                engine.Converter.Deserialize(serialized, orchestrator.InputType);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ArgumentException($"The input for orchestrator '{name}' does not deserialise to {orchestrator.InputType.Name}: {ex.Message}. Nothing was scheduled.", nameof(input), ex);
            }
        }

        string version = options?.Version ?? orchestratorName.Version ?? string.Empty;
        long now = engine.NowTicks;
        long? startAt = options?.StartAt?.UtcTicks;
        (bool delayed, long fireAt) = await engine.Store.ExecuteAsync(s =>
        {
            InstanceRow? existing = DurableEngine.ReadRow(s, instanceId);
            if (existing is not null && !existing.Status.IsTerminal())
            {
                throw new OrchestrationAlreadyExistsException(
                    $"An orchestration instance with id '{instanceId}' already exists and is {existing.Status}; choose another id or wait until it finishes.");
            }

            return DurableEngine.CreateInstancePublic(s, existing, instanceId, name, version, serialized, now, startAt);
        });
        if (delayed)
        {
            engine.AddTimer(instanceId, fireAt);
        }
        else
        {
            engine.Schedule(instanceId);
        }

        engine.NotifyChanged(instanceId);
        return instanceId;
    }

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (eventName.Length > MaxEventNameLength)
        {
            throw new ArgumentException($"Event names are at most {MaxEventNameLength} characters.", nameof(eventName));
        }

        string? serialized = engine.Converter.Serialize(eventPayload);
        engine.CheckPayload(serialized, $"The payload of event '{eventName}'");
        long now = engine.NowTicks;
        await engine.Store.ExecuteAsync(s =>
        {
            RequireActive(s, instanceId, $"raise event '{eventName}'");
            s.Execute("INSERT INTO messages (instance_id, generation, event) VALUES (@id, NULL, @event)", instanceId, HistorySerializer.Serialize(new EventRaisedEvent(new DateTime(now, DateTimeKind.Utc), eventName, serialized)));
        });
        engine.Schedule(instanceId);
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => this.WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => this.WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        string? output = engine.Converter.Serialize(options?.Output);
        engine.CheckPayload(output, "The termination output");
        long now = engine.NowTicks;
        await engine.Store.ExecuteAsync(s =>
        {
            RequireActive(s, instanceId, "terminate");
            s.Execute("INSERT INTO messages (instance_id, generation, event) VALUES (@id, NULL, @event)", instanceId, HistorySerializer.Serialize(new ExecutionTerminatedEvent(new DateTime(now, DateTimeKind.Utc), output, options?.Recursive ?? false)));
        });
        engine.Schedule(instanceId);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => this.ControlAsync(instanceId, "suspend", at => new ExecutionSuspendedEvent(at, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => this.ControlAsync(instanceId, "resume", at => new ExecutionResumedEvent(at, reason), cancellation);

    public override async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        InstanceRow? row = await engine.Store.ExecuteAsync(s => DurableEngine.ReadRow(s, instanceId));
        return row is null ? null : this.ToMetadata(row, getInputsAndOutputs);
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        filter ??= new OrchestrationQuery();
        if (filter.PageSize is < 1 or > 1000)
        {
            throw new ArgumentException($"OrchestrationQuery.PageSize must be between 1 and 1000 (was {filter.PageSize}).", nameof(filter));
        }

        if (filter.CreatedFrom is { } from && filter.CreatedTo is { } to && from > to)
        {
            throw new ArgumentException($"OrchestrationQuery.CreatedFrom ({from:O}) is after CreatedTo ({to:O}).", nameof(filter));
        }

        if (filter.ContinuationToken is not null)
        {
            DecodeToken(filter.ContinuationToken);
        }

        return new AsyncPageable<OrchestrationMetadata>((token, hint, ct) => this.QueryPageAsync(filter, token ?? filter.ContinuationToken, hint ?? filter.PageSize, ct));
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        bool recursive = options?.Recursive ?? false;
        int purged = await engine.Store.ExecuteAsync(s =>
        {
            InstanceRow? row = DurableEngine.ReadRow(s, instanceId);
            if (row is null)
            {
                return 0;
            }

            if (!row.Status.IsTerminal())
            {
                throw new InvalidOperationException(
                    $"Cannot purge orchestration instance '{instanceId}': it is {row.Status}. Only Completed, Failed or Terminated instances can be purged; terminate it first or wait for it to finish.");
            }

            return PurgeTree(s, instanceId, recursive);
        });
        engine.NotifyChanged(instanceId);
        return new PurgeResult(purged);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        OrchestrationRuntimeStatus[] statuses = filter.Statuses?.Distinct().ToArray()
            ?? [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Canceled];
        OrchestrationRuntimeStatus[] live = statuses.Where(st => !st.IsTerminal()).ToArray();
        if (live.Length > 0)
        {
            throw new ArgumentException(
                $"PurgeInstancesFilter.Statuses may contain only terminal statuses (Completed, Failed, Terminated); it contains {string.Join(", ", live)}. Nothing was purged.",
                nameof(filter));
        }

        if (statuses.Length == 0)
        {
            return new PurgeResult(0);
        }

        var sql = new StringBuilder("SELECT instance_id FROM instances WHERE status IN (");
        sql.Append(string.Join(",", statuses.Select(st => ((int)st).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append(')');
        var args = new List<object?>();
        if (filter.CreatedFrom is { } from)
        {
            sql.Append(" AND created_at >= @from");
            args.Add(from.UtcTicks);
        }

        if (filter.CreatedTo is { } to)
        {
            sql.Append(" AND created_at <= @to");
            args.Add(to.UtcTicks);
        }

        string text = sql.ToString();
        int purged = await engine.Store.ExecuteAsync(s =>
        {
            var ids = new List<string>();
            using (SqliteDataReader r = s.Query(text, [.. args]))
            {
                while (r.Read())
                {
                    ids.Add(r.GetString(0));
                }
            }

            foreach (string id in ids)
            {
                PurgeOne(s, id);
            }

            return ids.Count;
        });
        return new PurgeResult(purged);
    }

    public override async Task<IReadOnlyList<OrchestrationHistoryEvent>?> GetInstanceHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        List<HistoryEvent>? events = await engine.Store.ExecuteAsync(s =>
        {
            InstanceRow? row = DurableEngine.ReadRow(s, instanceId);
            if (row is null)
            {
                return null;
            }

            var list = new List<HistoryEvent>(row.HistoryCount);
            using SqliteDataReader r = s.Query("SELECT event FROM history WHERE instance_id = @id AND generation = @gen ORDER BY seq", instanceId, row.Generation);
            while (r.Read())
            {
                list.Add(HistorySerializer.Deserialize(r.GetString(0)));
            }

            return list;
        });
        return events?.Select(ToPublic).ToList();
    }

    private static OrchestrationHistoryEvent ToPublic(HistoryEvent e)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc));
        static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
        return e switch
        {
            ExecutionStartedEvent x => new("ExecutionStarted", at, x.Name, null, x.ParentTaskId, x.Input, null, null, x.ParentInstanceId, null),
            OrchestratorStartedEvent => new("OrchestratorStarted", at, null, null, null, null, null, null, null, null),
            TaskScheduledEvent x => new("TaskScheduled", at, x.Name, x.TaskId, null, x.Input, null, null, null, null),
            TaskCompletedEvent x => new("TaskCompleted", at, null, null, x.TaskScheduledId, null, x.Result, null, null, null),
            TaskFailedEvent x => new("TaskFailed", at, null, null, x.TaskScheduledId, null, null, null, null, x.Failure),
            SubOrchestrationCreatedEvent x => new("SubOrchestrationInstanceCreated", at, x.Name, x.TaskId, null, x.Input, null, null, x.InstanceId, null),
            SubOrchestrationCompletedEvent x => new("SubOrchestrationInstanceCompleted", at, null, null, x.TaskScheduledId, null, x.Result, null, null, null),
            SubOrchestrationFailedEvent x => new("SubOrchestrationInstanceFailed", at, null, null, x.TaskScheduledId, null, null, null, null, x.Failure),
            TimerCreatedEvent x => new("TimerCreated", at, null, x.TaskId, null, null, null, Utc(x.FireAt), null, null),
            TimerFiredEvent x => new("TimerFired", at, null, null, x.TimerId, null, null, Utc(x.FireAt), null, null),
            EventRaisedEvent x => new("EventRaised", at, x.Name, null, null, x.Input, null, null, null, null),
            EventSentEvent x => new("EventSent", at, x.Name, x.TaskId, null, x.Input, null, null, x.InstanceId, null),
            ExecutionSuspendedEvent x => new("ExecutionSuspended", at, null, null, null, x.Reason, null, null, null, null),
            ExecutionResumedEvent x => new("ExecutionResumed", at, null, null, null, x.Reason, null, null, null, null),
            ExecutionTerminatedEvent x => new("ExecutionTerminated", at, null, null, null, x.Output, null, null, null, null),
            ExecutionCompletedEvent x => new("ExecutionCompleted", at, null, null, null, null, x.Result, null, null, x.Failure) { Status = x.Status },
            _ => new(e.GetType().Name, at, null, null, null, null, null, null, null, null),
        };
    }

    private static void ValidateInstanceId(string instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            throw new ArgumentException("An instance id must not be empty.", nameof(instanceId));
        }

        if (instanceId.Length > MaxInstanceIdLength)
        {
            throw new ArgumentException($"An instance id is at most {MaxInstanceIdLength} characters (was {instanceId.Length}).", nameof(instanceId));
        }

        if (instanceId.Any(char.IsControl))
        {
            throw new ArgumentException("An instance id must not contain control characters.", nameof(instanceId));
        }
    }

    private static void RequireActive(StoreSession s, string instanceId, string action)
    {
        InstanceRow? row = DurableEngine.ReadRow(s, instanceId);
        if (row is null)
        {
            throw new InvalidOperationException($"Cannot {action}: no orchestration instance with id '{instanceId}' exists.");
        }

        if (row.Status.IsTerminal())
        {
            throw new InvalidOperationException($"Cannot {action}: orchestration instance '{instanceId}' is already {row.Status}.");
        }
    }

    private static int PurgeTree(StoreSession s, string instanceId, bool recursive)
    {
        int count = 0;
        if (recursive)
        {
            var children = new List<string>();
            using (SqliteDataReader r = s.Query("SELECT instance_id FROM instances WHERE parent_instance_id = @id AND status IN (1, 3, 4, 5)", instanceId))
            {
                while (r.Read())
                {
                    children.Add(r.GetString(0));
                }
            }

            foreach (string child in children)
            {
                count += PurgeTree(s, child, true);
            }
        }

        PurgeOne(s, instanceId);
        return count + 1;
    }

    private static void PurgeOne(StoreSession s, string instanceId)
    {
        s.Execute("DELETE FROM history WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM messages WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM timers WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM activities WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM instances WHERE instance_id = @id", instanceId);
    }

    private static string EncodeToken(string lastInstanceId) => "v1." + Convert.ToBase64String(Encoding.UTF8.GetBytes(lastInstanceId));

    private static string DecodeToken(string token)
    {
        try
        {
            if (token.StartsWith("v1.", StringComparison.Ordinal))
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(token[3..]));
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new ArgumentException($"The continuation token '{token}' is not one this runtime issued.", nameof(token));
    }

    private async Task ControlAsync(string instanceId, string action, Func<DateTime, HistoryEvent> create, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        ValidateInstanceId(instanceId);
        long now = engine.NowTicks;
        await engine.Store.ExecuteAsync(s =>
        {
            RequireActive(s, instanceId, action);
            s.Execute("INSERT INTO messages (instance_id, generation, event) VALUES (@id, NULL, @event)", instanceId, HistorySerializer.Serialize(create(new DateTime(now, DateTimeKind.Utc))));
        });
        engine.Schedule(instanceId);
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            Task changed = engine.ChangeSignal(instanceId);
            try
            {
                OrchestrationMetadata? metadata = await this.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation);
                if (metadata is null)
                {
                    throw new InvalidOperationException($"No orchestration instance with id '{instanceId}' exists.");
                }

                if (done(metadata))
                {
                    return metadata;
                }

                using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                Task delay = Task.Delay(engine.Options.PollingInterval, engine.Clock, delayCts.Token);
                await Task.WhenAny(changed, delay);
                await delayCts.CancelAsync();
            }
            finally
            {
                engine.ReleaseChangeSignal(instanceId, changed);
            }
        }
    }

    private async Task<Page<OrchestrationMetadata>> QueryPageAsync(OrchestrationQuery filter, string? token, int pageSize, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var sql = new StringBuilder($"SELECT {DurableEngine.RowColumns} FROM instances WHERE 1 = 1");
        var args = new List<object?>();
        if (token is not null)
        {
            sql.Append(" AND instance_id > @after");
            args.Add(DecodeToken(token));
        }

        if (filter.CreatedFrom is { } from)
        {
            sql.Append(" AND created_at >= @from");
            args.Add(from.UtcTicks);
        }

        if (filter.CreatedTo is { } to)
        {
            sql.Append(" AND created_at <= @to");
            args.Add(to.UtcTicks);
        }

        if (filter.Statuses?.ToArray() is { Length: > 0 } statuses)
        {
            sql.Append(" AND status IN (").Append(string.Join(",", statuses.Distinct().Select(st => ((int)st).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append(')');
        }

        if (!string.IsNullOrEmpty(filter.InstanceIdPrefix))
        {
            sql.Append(" AND substr(instance_id, 1, @plen) = @prefix");
            args.Add(filter.InstanceIdPrefix.Length);
            args.Add(filter.InstanceIdPrefix);
        }

        if (!string.IsNullOrEmpty(filter.Name))
        {
            sql.Append(" AND name = @name COLLATE NOCASE");
            args.Add(filter.Name);
        }

        sql.Append(" ORDER BY instance_id LIMIT @limit");
        args.Add(pageSize + 1);
        string text = sql.ToString();
        List<InstanceRow> rows = await engine.Store.ExecuteAsync(s =>
        {
            var list = new List<InstanceRow>();
            using SqliteDataReader r = s.Query(text, [.. args]);
            while (r.Read())
            {
                list.Add(DurableEngine.ToRow(r));
            }

            return list;
        });
        string? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            next = EncodeToken(rows[^1].InstanceId);
        }

        return new Page<OrchestrationMetadata>([.. rows.Select(r => this.ToMetadata(r, filter.FetchInputsAndOutputs))], next);
    }

    private OrchestrationMetadata ToMetadata(InstanceRow row, bool getInputsAndOutputs) => new(row.Name, row.InstanceId)
    {
        RuntimeStatus = row.Status,
        CreatedAt = new DateTimeOffset(row.CreatedAt, TimeSpan.Zero),
        LastUpdatedAt = new DateTimeOffset(row.LastUpdatedAt, TimeSpan.Zero),
        Version = row.Version,
        SerializedInput = getInputsAndOutputs ? row.Input : null,
        SerializedOutput = getInputsAndOutputs ? row.Output : null,
        SerializedCustomStatus = getInputsAndOutputs ? row.CustomStatus : null,
        FailureDetails = HistorySerializer.DeserializeFailure(row.Failure),
        ParentInstanceId = row.ParentInstanceId,
        DataConverter = engine.Converter,
        RequestedInputsAndOutputs = getInputsAndOutputs,
    };
}
