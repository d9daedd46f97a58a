using Microsoft.Data.Sqlite;
using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

internal sealed record ActivityWorkItem(long Id, string InstanceId, long Generation, int TaskId, string Name, string? Input, int DeliveryCount);

internal sealed record QueuedItem(bool IsTimer, long Id, long? Generation, HistoryEvent Event);

internal sealed class Batch
{
    public InstanceRow? Row { get; init; }

    public List<QueuedItem> Items { get; } = [];

    public List<HistoryEvent>? History { get; set; }

    public bool Full { get; set; }
}

internal sealed class CommitResult
{
    public List<ActivityWorkItem> Activities { get; } = [];

    public List<(string InstanceId, long FireAt)> Timers { get; } = [];

    public HashSet<string> Schedule { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Changed { get; } = new(StringComparer.Ordinal);
}

internal sealed record Recovery(List<string> Instances, List<(string InstanceId, long FireAt)> Timers, List<ActivityWorkItem> Activities);

internal sealed record PollResult(List<string> Instances, List<ActivityWorkItem> Activities);

/// <summary>The SQL of the runtime. Every method runs inside one queued store operation (one savepoint).</summary>
internal sealed partial class DurableEngine
{
    internal const string RowColumns = "instance_id, name, version, status, created_at, last_updated_at, input, output, custom_status, failure, generation, parent_instance_id, parent_task_id, parent_generation, history_count";

    internal static InstanceRow? ReadRow(StoreSession s, string instanceId)
    {
        using SqliteDataReader r = s.Query($"SELECT {RowColumns} FROM instances WHERE instance_id = @id", instanceId);
        return r.Read() ? ToRow(r) : null;
    }

    internal static InstanceRow ToRow(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        (OrchestrationRuntimeStatus)r.GetInt32(3),
        r.GetInt64(4),
        r.GetInt64(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.GetInt64(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetInt32(12),
        r.IsDBNull(13) ? null : r.GetInt64(13),
        r.GetInt32(14));

    private static string DescribeOwner(StoreSession s)
    {
        using SqliteDataReader r = s.Query("SELECT owner_id, process_id, machine, acquired_at FROM worker_lock WHERE id = 1");
        if (!r.Read())
        {
            return "owner unknown";
        }

        return $"owner {r.GetString(0)}, process {r.GetInt64(1)} on {r.GetString(2)}, since {new DateTime(r.GetInt64(3), DateTimeKind.Utc):O}";
    }

    private static Recovery Recover(StoreSession s, string owner, long now, long leaseUntil)
    {
        s.Execute(
            "INSERT INTO worker_lock (id, owner_id, process_id, machine, acquired_at) VALUES (1, @owner, @pid, @machine, @at) " +
            "ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, process_id = excluded.process_id, machine = excluded.machine, acquired_at = excluded.acquired_at",
            owner,
            (long)Environment.ProcessId,
            Environment.MachineName,
            now);
        var instances = new List<string>();
        using (SqliteDataReader r = s.Query("SELECT DISTINCT instance_id FROM messages"))
        {
            while (r.Read())
            {
                instances.Add(r.GetString(0));
            }
        }

        var timers = new List<(string, long)>();
        using (SqliteDataReader r = s.Query("SELECT instance_id, fire_at FROM timers"))
        {
            while (r.Read())
            {
                timers.Add((r.GetString(0), r.GetInt64(1)));
            }
        }

        // The file lock proves the previous owner of these leases is gone: run them again now.
        var activities = new List<ActivityWorkItem>();
        using (SqliteDataReader r = s.Query("SELECT id, instance_id, generation, task_id, name, input, delivery_count FROM activities ORDER BY id"))
        {
            while (r.Read())
            {
                activities.Add(new ActivityWorkItem(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6) + 1));
            }
        }

        s.Execute("UPDATE activities SET lease_owner = @owner, lease_expires_at = @until, delivery_count = delivery_count + 1", owner, leaseUntil);
        return new Recovery(instances, timers, activities);
    }

    private static PollResult Poll(StoreSession s, string owner, long now, long leaseTicks, Dictionary<long, long> localStarts)
    {
        var instances = new List<string>();
        using (SqliteDataReader r = s.Query("SELECT DISTINCT instance_id FROM messages UNION SELECT DISTINCT instance_id FROM timers WHERE fire_at <= @now", now))
        {
            while (r.Read())
            {
                instances.Add(r.GetString(0));
            }
        }

        var expired = new List<ActivityWorkItem>();
        using (SqliteDataReader r = s.Query("SELECT id, instance_id, generation, task_id, name, input, delivery_count FROM activities WHERE lease_expires_at IS NULL OR lease_expires_at <= @now ORDER BY id", now))
        {
            while (r.Read())
            {
                long id = r.GetInt64(0);
                if (localStarts.TryGetValue(id, out long started) && (started == 0 || started + leaseTicks > now))
                {
                    continue;
                }

                expired.Add(new ActivityWorkItem(id, r.GetString(1), r.GetInt64(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6) + 1));
            }
        }

        foreach (ActivityWorkItem item in expired)
        {
            s.Execute("UPDATE activities SET lease_owner = @owner, lease_expires_at = @until, delivery_count = delivery_count + 1 WHERE id = @id", owner, now + leaseTicks, item.Id);
        }

        return new PollResult(instances, expired);
    }

    private static Batch LoadBatch(StoreSession s, string instanceId, long now, int max, long cachedGeneration, int cachedCount)
    {
        var batch = new Batch { Row = ReadRow(s, instanceId) };
        using (SqliteDataReader r = s.Query("SELECT id, generation, event FROM messages WHERE instance_id = @id ORDER BY id LIMIT @max", instanceId, max + 1))
        {
            while (r.Read())
            {
                batch.Items.Add(new QueuedItem(false, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), HistorySerializer.Deserialize(r.GetString(2))));
            }
        }

        using (SqliteDataReader r = s.Query("SELECT id, generation, event FROM timers WHERE instance_id = @id AND fire_at <= @now ORDER BY fire_at, id LIMIT @max", instanceId, now, max + 1))
        {
            while (r.Read())
            {
                batch.Items.Add(new QueuedItem(true, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), HistorySerializer.Deserialize(r.GetString(2))));
            }
        }

        if (batch.Items.Count > max)
        {
            batch.Full = true;
        }

        InstanceRow? row = batch.Row;
        if (row is not null && row.Status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended
            && (row.Generation != cachedGeneration || row.HistoryCount != cachedCount))
        {
            var history = new List<HistoryEvent>(row.HistoryCount);
            using SqliteDataReader r = s.Query("SELECT event FROM history WHERE instance_id = @id AND generation = @gen ORDER BY seq", instanceId, row.Generation);
            while (r.Read())
            {
                history.Add(HistorySerializer.Deserialize(r.GetString(0)));
            }

            batch.History = history;
        }

        return batch;
    }

    private static void DeleteQueued(StoreSession s, List<long> messages, List<long> timers)
    {
        foreach (long id in messages)
        {
            s.Execute("DELETE FROM messages WHERE id = @id", id);
        }

        foreach (long id in timers)
        {
            s.Execute("DELETE FROM timers WHERE id = @id", id);
        }
    }

    private static void AppendHistory(StoreSession s, string instanceId, long generation, int firstSeq, List<HistoryEvent> events)
    {
        int seq = firstSeq;
        foreach (HistoryEvent e in events)
        {
            s.Execute("INSERT INTO history (instance_id, generation, seq, event) VALUES (@id, @gen, @seq, @event)", instanceId, generation, seq++, HistorySerializer.Serialize(e));
        }
    }

    private static void InsertMessage(StoreSession s, string instanceId, long? generation, HistoryEvent e)
        => s.Execute("INSERT INTO messages (instance_id, generation, event) VALUES (@id, @gen, @event)", instanceId, generation, HistorySerializer.Serialize(e));

    private static void DeleteInstanceWork(StoreSession s, string instanceId)
    {
        s.Execute("DELETE FROM messages WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM timers WHERE instance_id = @id", instanceId);
        s.Execute("DELETE FROM activities WHERE instance_id = @id", instanceId);
    }

    /// <summary>Creates (or re-creates a finished) instance with its start message. The caller checked the existing status.</summary>
    private static (bool Delayed, long FireAt) CreateInstance(
        StoreSession s,
        InstanceRow? existing,
        string instanceId,
        string name,
        string version,
        string? input,
        long now,
        long? startAt,
        (string InstanceId, string Name, int TaskId, long Generation)? parent)
    {
        long generation = 0;
        if (existing is not null)
        {
            generation = existing.Generation + 1;
            s.Execute("DELETE FROM history WHERE instance_id = @id", instanceId);
            DeleteInstanceWork(s, instanceId);
            s.Execute("DELETE FROM instances WHERE instance_id = @id", instanceId);
        }

        s.Execute(
            "INSERT INTO instances (instance_id, name, version, status, created_at, last_updated_at, input, generation, parent_instance_id, parent_task_id, parent_generation, history_count) " +
            "VALUES (@id, @name, @version, @status, @created, @updated, @input, @gen, @parent, @ptask, @pgen, 0)",
            instanceId,
            name,
            version,
            (int)OrchestrationRuntimeStatus.Pending,
            now,
            now,
            input,
            generation,
            parent?.InstanceId,
            parent?.TaskId,
            parent?.Generation);
        var started = new ExecutionStartedEvent(new DateTime(now, DateTimeKind.Utc), name, version, input, parent?.InstanceId, parent?.Name, parent?.TaskId, parent?.Generation);
        if (startAt is long at && at > now)
        {
            s.Execute(
                "INSERT INTO timers (instance_id, generation, task_id, fire_at, event) VALUES (@id, @gen, NULL, @at, @event)",
                instanceId,
                generation,
                at,
                HistorySerializer.Serialize(started));
            return (true, at);
        }

        InsertMessage(s, instanceId, generation, started);
        return (false, now);
    }

    internal static (bool Delayed, long FireAt) CreateInstancePublic(StoreSession s, InstanceRow? existing, string instanceId, string name, string version, string? input, long now, long? startAt)
        => CreateInstance(s, existing, instanceId, name, version, input, now, startAt, null);

    private static void NotifyParent(StoreSession s, InstanceRow row, OrchestrationRuntimeStatus status, string? output, TaskFailureDetails? failure, long now, CommitResult result)
    {
        if (row.ParentInstanceId is not { } parentId || row.ParentTaskId is not int taskId)
        {
            return;
        }

        var at = new DateTime(now, DateTimeKind.Utc);
        HistoryEvent message = status == OrchestrationRuntimeStatus.Completed
            ? new SubOrchestrationCompletedEvent(at, taskId, output)
            : new SubOrchestrationFailedEvent(at, taskId, failure ?? new TaskFailureDetails("Workflows.Durable.OrchestrationTerminated", $"Sub-orchestration '{row.Name}' ({row.InstanceId}) ended as {status}: {output}", null, null));
        InsertMessage(s, parentId, row.ParentGeneration, message);
        result.Schedule.Add(parentId);
    }

    private CommitResult CommitEpisode(
        StoreSession s,
        InstanceRow row,
        EpisodeOutcome outcome,
        OrchestrationRuntimeStatus liveStatus,
        List<long> deleteMessages,
        List<long> deleteTimers,
        long now)
    {
        var result = new CommitResult();
        if (outcome.FinalStatus is not null || liveStatus != row.Status)
        {
            // Waiters (start, completion) care about status changes only; waking them on every episode costs a read each.
            result.Changed.Add(row.InstanceId);
        }

        DeleteQueued(s, deleteMessages, deleteTimers);
        AppendHistory(s, row.InstanceId, row.Generation, row.HistoryCount, outcome.NewHistory);
        int historyCount = row.HistoryCount + outcome.NewHistory.Count;
        var at = new DateTime(now, DateTimeKind.Utc);
        long leaseUntil = now + this.Options.ActivityLeaseDuration.Ticks;
        foreach (OutboundAction action in outcome.Actions)
        {
            switch (action)
            {
                case ScheduleActivityAction a:
                    if (s.Execute(
                        "INSERT INTO activities (instance_id, generation, task_id, name, input, lease_owner, lease_expires_at, delivery_count) VALUES (@id, @gen, @task, @name, @input, @owner, @until, 1) ON CONFLICT DO NOTHING",
                        row.InstanceId,
                        row.Generation,
                        a.TaskId,
                        a.Name,
                        a.Input,
                        this.OwnerId,
                        leaseUntil) == 1)
                    {
                        long id = (long)s.Scalar("SELECT last_insert_rowid()")!;
                        result.Activities.Add(new ActivityWorkItem(id, row.InstanceId, row.Generation, a.TaskId, a.Name, a.Input, 1));
                    }

                    break;
                case CreateTimerAction t:
                    s.Execute(
                        "INSERT INTO timers (instance_id, generation, task_id, fire_at, event) VALUES (@id, @gen, @task, @at, @event)",
                        row.InstanceId,
                        row.Generation,
                        t.TaskId,
                        t.FireAt.Ticks,
                        HistorySerializer.Serialize(new TimerFiredEvent(t.FireAt, t.TaskId, t.FireAt)));
                    result.Timers.Add((row.InstanceId, t.FireAt.Ticks));
                    break;
                case CancelTimerAction c:
                    s.Execute("DELETE FROM timers WHERE instance_id = @id AND generation = @gen AND task_id = @task", row.InstanceId, row.Generation, c.TaskId);
                    break;
                case StartSubOrchestrationAction sub:
                    InstanceRow? child = ReadRow(s, sub.InstanceId);
                    if (child is not null && !child.Status.IsTerminal())
                    {
                        InsertMessage(s, row.InstanceId, row.Generation, new SubOrchestrationFailedEvent(at, sub.TaskId, new TaskFailureDetails(
                            typeof(OrchestrationAlreadyExistsException).FullName!,
                            $"Cannot start sub-orchestration '{sub.Name}' with instance id '{sub.InstanceId}': an instance with that id is {child.Status}.",
                            null,
                            null)));
                        result.Schedule.Add(row.InstanceId);
                    }
                    else
                    {
                        CreateInstance(s, child, sub.InstanceId, sub.Name, sub.Version, sub.Input, now, null, (row.InstanceId, row.Name, sub.TaskId, row.Generation));
                        result.Schedule.Add(sub.InstanceId);
                        result.Changed.Add(sub.InstanceId);
                    }

                    break;
                case SendEventAction e:
                    InstanceRow? target = ReadRow(s, e.InstanceId);
                    if (target is not null && !target.Status.IsTerminal())
                    {
                        InsertMessage(s, e.InstanceId, null, new EventRaisedEvent(at, e.Name, e.Input));
                        result.Schedule.Add(e.InstanceId);
                    }
                    else
                    {
                        Log.EventDropped(this.logger, e.Name, e.InstanceId);
                    }

                    break;
            }
        }

        string? customStatus = outcome.CustomStatusChanged ? outcome.CustomStatus : row.CustomStatus;
        switch (outcome.FinalStatus)
        {
            case null:
                CheckUpdated(s.Execute(
                    "UPDATE instances SET status = @status, last_updated_at = @now, custom_status = @cs, history_count = @hc WHERE instance_id = @id AND generation = @gen AND history_count = @expected",
                    (int)liveStatus,
                    now,
                    customStatus,
                    historyCount,
                    row.InstanceId,
                    row.Generation,
                    row.HistoryCount));
                break;
            case OrchestrationRuntimeStatus.ContinuedAsNew:
                long next = row.Generation + 1;
                s.Execute("DELETE FROM history WHERE instance_id = @id", row.InstanceId);
                s.Execute("DELETE FROM timers WHERE instance_id = @id AND generation IS NOT NULL", row.InstanceId);
                s.Execute("DELETE FROM activities WHERE instance_id = @id", row.InstanceId);
                CheckUpdated(s.Execute(
                    "UPDATE instances SET status = @status, last_updated_at = @now, custom_status = @cs, history_count = 0, input = @input, output = NULL, failure = NULL, generation = @next WHERE instance_id = @id AND generation = @gen AND history_count = @expected",
                    (int)OrchestrationRuntimeStatus.ContinuedAsNew,
                    now,
                    customStatus,
                    outcome.NewInput,
                    next,
                    row.InstanceId,
                    row.Generation,
                    row.HistoryCount));
                InsertMessage(s, row.InstanceId, next, new ExecutionStartedEvent(at, row.Name, row.Version, outcome.NewInput, row.ParentInstanceId, null, row.ParentTaskId, row.ParentGeneration));
                foreach (EventRaisedEvent carried in outcome.CarriedEvents)
                {
                    InsertMessage(s, row.InstanceId, null, carried);
                }

                result.Schedule.Add(row.InstanceId);
                break;
            default:
                OrchestrationRuntimeStatus final = outcome.FinalStatus.Value;
                CheckUpdated(s.Execute(
                    "UPDATE instances SET status = @status, last_updated_at = @now, custom_status = @cs, history_count = @hc, output = @output, failure = @failure WHERE instance_id = @id AND generation = @gen AND history_count = @expected",
                    (int)final,
                    now,
                    customStatus,
                    historyCount,
                    outcome.Output,
                    outcome.Failure is null ? null : HistorySerializer.SerializeFailure(outcome.Failure),
                    row.InstanceId,
                    row.Generation,
                    row.HistoryCount));
                s.Execute("DELETE FROM timers WHERE instance_id = @id", row.InstanceId);
                s.Execute("DELETE FROM activities WHERE instance_id = @id", row.InstanceId);
                NotifyParent(s, row, final, outcome.Output, outcome.Failure, now, result);
                break;
        }

        return result;
    }

    private static CommitResult CommitTermination(StoreSession s, InstanceRow row, ExecutionTerminatedEvent terminated, long now)
    {
        var result = new CommitResult();
        result.Changed.Add(row.InstanceId);
        var at = new DateTime(now, DateTimeKind.Utc);
        DeleteInstanceWork(s, row.InstanceId);
        var events = new List<HistoryEvent>
        {
            new OrchestratorStartedEvent(at),
            terminated,
            new ExecutionCompletedEvent(at, OrchestrationRuntimeStatus.Terminated, terminated.Output, null),
        };
        AppendHistory(s, row.InstanceId, row.Generation, row.HistoryCount, events);
        CheckUpdated(s.Execute(
            "UPDATE instances SET status = @status, last_updated_at = @now, output = @output, history_count = @hc WHERE instance_id = @id AND generation = @gen AND history_count = @expected",
            (int)OrchestrationRuntimeStatus.Terminated,
            now,
            terminated.Output,
            row.HistoryCount + events.Count,
            row.InstanceId,
            row.Generation,
            row.HistoryCount));
        if (terminated.Recursive)
        {
            var children = new List<string>();
            using (SqliteDataReader r = s.Query("SELECT instance_id FROM instances WHERE parent_instance_id = @id AND status IN (0, 2, 6, 7)", row.InstanceId))
            {
                while (r.Read())
                {
                    children.Add(r.GetString(0));
                }
            }

            foreach (string child in children)
            {
                InsertMessage(s, child, null, new ExecutionTerminatedEvent(at, terminated.Output, true));
                result.Schedule.Add(child);
            }
        }

        NotifyParent(s, row, OrchestrationRuntimeStatus.Terminated, terminated.Output, null, now, result);
        return result;
    }

    private static bool CompleteActivity(StoreSession s, ActivityWorkItem item, string? result, TaskFailureDetails? failure, long now)
    {
        if (s.Execute("DELETE FROM activities WHERE id = @id", item.Id) == 0)
        {
            // Another delivery of this work item already completed it, or the instance ended.
            return false;
        }

        var at = new DateTime(now, DateTimeKind.Utc);
        HistoryEvent e = failure is null ? new TaskCompletedEvent(at, item.TaskId, result) : new TaskFailedEvent(at, item.TaskId, failure);
        InsertMessage(s, item.InstanceId, item.Generation, e);
        return true;
    }

    private static void CheckUpdated(int rows)
    {
        if (rows != 1)
        {
            throw new InvalidOperationException("The orchestration instance changed underneath the episode (its generation or history length differs); the episode is retried from the stored state.");
        }
    }
}
