using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

/// <summary>
/// Runs one execution of one orchestration instance: replays history, applies new events, records the actions the
/// code schedules, and detects code that schedules different work from its history. Kept in the cache between
/// episodes so long histories are not replayed on every event.
/// </summary>
internal sealed class OrchestrationExecutor : TaskOrchestrationContext
{
    private const string NamespaceGuid = "9e952958-5e33-4daf-827f-2fa12937b875";

    private readonly DurableEngine engine;
    private readonly OrchestrationScheduler scheduler = new();
    private readonly Dictionary<int, PendingTask> pending = [];
    private readonly Dictionary<string, LinkedList<EventWaiter>> waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<LinkedListNode<EventRaisedEvent>>> buffered = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<EventRaisedEvent> bufferedInOrder = new();
    private readonly List<CancellationWatch> watches = [];
    private bool expectContinuation;
    private List<HistoryEvent> newHistory = [];
    private List<OutboundAction> actions = [];
    private Dictionary<int, HistoryEvent>? replayIndex;
    private HashSet<int>? claimed;
    private TaskName name;
    private string version = string.Empty;
    private ParentOrchestrationInstance? parent;
    private string? serializedInput;
    private bool isReplaying;
    private DateTime currentUtc;
    private int nextTaskId;
    private int guidCounter;
    private Task<object?>? orchestratorTask;
    private Exception? fatal;
    private bool finished;
    private OrchestrationRuntimeStatus? finalStatus;
    private string? output;
    private TaskFailureDetails? failure;
    private (string? Input, bool Preserve)? continueAsNew;
    private string? customStatus;
    private bool customStatusChanged;

    public OrchestrationExecutor(DurableEngine engine, string instanceId, long generation)
    {
        this.engine = engine;
        this.InstanceId = instanceId;
        this.Generation = generation;
    }

    public override TaskName Name => this.name;

    public override string InstanceId { get; }

    public long Generation { get; }

    /// <summary>Gets or sets the number of history events committed for this execution and seen by this executor.</summary>
    public int CommittedHistoryCount { get; set; }

    public bool IsFinished => this.finished;

    public int? ParentTaskId { get; private set; }

    public long? ParentGeneration { get; private set; }

    public override ParentOrchestrationInstance? Parent => this.parent;

    public override DateTime CurrentUtcDateTime => this.currentUtc;

    public override bool IsReplaying => this.isReplaying;

    public override string Version => this.version;

    protected override ILoggerFactory LoggerFactory => this.engine.LoggerFactory;

    /// <summary>Replays committed history. Throws <see cref="NonDeterministicOrchestrationException"/> on a mismatch.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history)
    {
        this.isReplaying = true;
        this.replayIndex = [];
        this.claimed = [];
        foreach (HistoryEvent e in history)
        {
            int? id = e switch
            {
                TaskScheduledEvent t => t.TaskId,
                TimerCreatedEvent t => t.TaskId,
                SubOrchestrationCreatedEvent t => t.TaskId,
                EventSentEvent t => t.TaskId,
                _ => null,
            };
            if (id is int taskId)
            {
                this.replayIndex[taskId] = e;
            }
        }

        foreach (HistoryEvent e in history)
        {
            if (this.finished)
            {
                break;
            }

            this.Apply(e);
        }

        this.ThrowIfFatal();
        if (!this.finished)
        {
            foreach ((int taskId, HistoryEvent recorded) in this.replayIndex)
            {
                if (!this.claimed.Contains(taskId))
                {
                    this.Fatal($"the history records {Describe(recorded)} as task #{taskId}, but the code no longer schedules it");
                    this.ThrowIfFatal();
                }
            }
        }

        this.replayIndex = null;
        this.claimed = null;
        this.CommittedHistoryCount = history.Count;
    }

    /// <summary>Applies new events in one episode and returns what to commit.</summary>
    public EpisodeOutcome RunEpisode(IReadOnlyList<HistoryEvent> events, DateTime now)
    {
        this.isReplaying = false;
        this.currentUtc = now;
        this.newHistory.Add(new OrchestratorStartedEvent(now));
        var carried = new List<EventRaisedEvent>();
        foreach (HistoryEvent e in events)
        {
            if (this.finished)
            {
                if (e is EventRaisedEvent raised)
                {
                    carried.Add(raised);
                }

                continue;
            }

            this.newHistory.Add(e);
            this.Apply(e);
        }

        this.ThrowIfFatal();
        this.scheduler.Pump(this.ExpectForeignWork);
        this.CheckFinished();
        if (!this.finished && this.orchestratorTask is not null && this.pending.Count == 0 && this.waiters.Values.All(w => w.Count == 0))
        {
            // Nothing durable can wake the code again: it awaits a task of its own (Task.Delay, I/O, ConfigureAwait(false)).
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(new InvalidOperationException(
                $"Orchestration '{this.name.Name}' ({this.InstanceId}) is waiting on a task that is not durable (Task.Delay, I/O, Task.Run, or ConfigureAwait(false) in orchestrator code); nothing could ever resume it. Use activities, durable timers and external events.")));
        }

        var outcome = new EpisodeOutcome
        {
            NewHistory = this.newHistory,
            Actions = this.actions,
            FinalStatus = this.finalStatus,
            Output = this.output,
            Failure = this.failure,
            NewInput = this.continueAsNew?.Input,
            CarriedEvents = this.continueAsNew is { Preserve: true } ? [.. this.bufferedInOrder, .. carried] : [],
            CustomStatusChanged = this.customStatusChanged,
            CustomStatus = this.customStatus,
        };
        this.newHistory = [];
        this.actions = [];
        this.customStatusChanged = false;
        return outcome;
    }

    public override T? GetInput<T>()
        where T : default => this.engine.Converter.Deserialize<T>(this.serializedInput);

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        if (!this.engine.HasActivity(name.Name))
        {
            throw new ArgumentException($"Orchestration '{this.name.Name}' ({this.InstanceId}) called activity '{name.Name}', which is not registered with this worker.", nameof(name));
        }

        string? serialized = this.SerializePayload(input, $"input of activity '{name.Name}'");
        if (options?.Retry is { } retry)
        {
            return this.WithRetryAsync(() => this.ScheduleActivity<TResult>(name.Name, serialized), retry);
        }

        return this.ScheduleActivity<TResult>(name.Name, serialized);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        DateTime utc = fireAt.Kind switch
        {
            DateTimeKind.Local => fireAt.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(fireAt, DateTimeKind.Utc),
            _ => fireAt,
        };
        int id = this.nextTaskId++;
        this.RecordAction(id, new TimerCreatedEvent(this.currentUtc, id, utc), new CreateTimerAction(id, utc));
        var task = new PendingTask<object?>(this, "timer", id);
        this.pending[id] = task;
        if (cancellationToken.CanBeCanceled)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                this.CancelTimer(id);
            }
            else
            {
                this.OnCancelled(cancellationToken, task.Task, () => this.CancelTimer(id));
            }
        }

        return task.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (this.buffered.TryGetValue(eventName, out Queue<LinkedListNode<EventRaisedEvent>>? queue) && queue.Count > 0)
        {
            LinkedListNode<EventRaisedEvent> bufferedNode = queue.Dequeue();
            this.bufferedInOrder.Remove(bufferedNode);
            EventRaisedEvent e = bufferedNode.Value;
            try
            {
                return Task.FromResult(this.engine.Converter.Deserialize<T>(e.Input)!);
            }
            catch (Exception ex)
            {
                return Task.FromException<T>(this.EventPayloadError<T>(eventName, ex));
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (!this.waiters.TryGetValue(eventName, out LinkedList<EventWaiter>? list))
        {
            list = new LinkedList<EventWaiter>();
            this.waiters[eventName] = list;
        }

        var waiter = new EventWaiter<T>(this, eventName);
        LinkedListNode<EventWaiter> node = list.AddLast(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            this.OnCancelled(cancellationToken, waiter.Task, () =>
            {
                // A cancelled wait gives up its place, so a later event goes to the next wait or the buffer.
                if (node.List is not null)
                {
                    list.Remove(node);
                    waiter.Cancel();
                }
            });
        }

        return waiter.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        string? serialized = this.SerializePayload(payload, $"payload of event '{eventName}'");
        int id = this.nextTaskId++;
        this.RecordAction(id, new EventSentEvent(this.currentUtc, id, instanceId, eventName, serialized), new SendEventAction(id, instanceId, eventName, serialized));
    }

    public override void SetCustomStatus(object? customStatus)
    {
        string? serialized = this.engine.Converter.Serialize(customStatus);
        int bytes = serialized is null ? 0 : Encoding.UTF8.GetByteCount(serialized);
        if (bytes > this.engine.Options.MaxCustomStatusBytes)
        {
            throw new PayloadTooLargeException(
                $"The custom status of orchestration '{this.name.Name}' ({this.InstanceId}) is {bytes} bytes; the limit is {this.engine.Options.MaxCustomStatusBytes} bytes (EmbeddedDurableTaskOptions.MaxCustomStatusBytes). It is never truncated.");
        }

        this.customStatus = serialized;
        this.customStatusChanged = true;
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        if (!this.engine.HasOrchestrator(orchestratorName.Name))
        {
            throw new ArgumentException($"Orchestration '{this.name.Name}' ({this.InstanceId}) called sub-orchestrator '{orchestratorName.Name}', which is not registered with this worker.", nameof(orchestratorName));
        }

        string? serialized = this.SerializePayload(input, $"input of sub-orchestration '{orchestratorName.Name}'");
        var subOptions = options as SubOrchestrationOptions;
        string childId = subOptions?.InstanceId ?? this.NewGuid().ToString("N");
        string childVersion = subOptions?.Version ?? orchestratorName.Version;
        if (options?.Retry is { } retry)
        {
            return this.WithRetryAsync(() => this.ScheduleSubOrchestration<TResult>(orchestratorName.Name, childId, serialized, childVersion), retry);
        }

        return this.ScheduleSubOrchestration<TResult>(orchestratorName.Name, childId, serialized, childVersion);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
        => this.continueAsNew = (this.SerializePayload(newInput, "continue-as-new input"), preserveUnprocessedEvents);

    public override Guid NewGuid()
    {
        string nameValue = string.Concat(
            this.InstanceId,
            "_",
            this.currentUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            "_",
            this.guidCounter++.ToString(CultureInfo.InvariantCulture));
        Span<byte> namespaceBytes = stackalloc byte[16];
        Guid.Parse(NamespaceGuid).TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        byte[] nameBytes = Encoding.UTF8.GetBytes(nameValue);
        byte[] buffer = new byte[16 + nameBytes.Length];
        namespaceBytes.CopyTo(buffer);
        nameBytes.CopyTo(buffer, 16);
#pragma warning disable CA5350 // UUID v5 is defined on SHA-1; this is an identifier, not a security use.
        byte[] hash = SHA1.HashData(buffer);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduledEvent t => $"activity '{t.Name}'",
        TimerCreatedEvent => "a timer",
        SubOrchestrationCreatedEvent s => $"sub-orchestration '{s.Name}' ({s.InstanceId})",
        EventSentEvent s => $"event '{s.Name}' sent to '{s.InstanceId}'",
        _ => e.GetType().Name,
    };

    private static bool SameWork(HistoryEvent recorded, HistoryEvent now) => (recorded, now) switch
    {
        (TaskScheduledEvent a, TaskScheduledEvent b) => string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
        (TimerCreatedEvent, TimerCreatedEvent) => true,
        (SubOrchestrationCreatedEvent a, SubOrchestrationCreatedEvent b) =>
            string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(a.InstanceId, b.InstanceId, StringComparison.Ordinal),
        (EventSentEvent a, EventSentEvent b) =>
            string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(a.InstanceId, b.InstanceId, StringComparison.Ordinal),
        _ => false,
    };

    private Task<T> ScheduleActivity<T>(string activityName, string? input)
    {
        int id = this.nextTaskId++;
        this.RecordAction(id, new TaskScheduledEvent(this.currentUtc, id, activityName, input), new ScheduleActivityAction(id, activityName, input));
        var task = new PendingTask<T>(this, activityName, id);
        this.pending[id] = task;
        return task.Task;
    }

    private Task<T> ScheduleSubOrchestration<T>(string orchestratorName, string childId, string? input, string childVersion)
    {
        int id = this.nextTaskId++;
        this.RecordAction(
            id,
            new SubOrchestrationCreatedEvent(this.currentUtc, id, orchestratorName, childId, input, childVersion),
            new StartSubOrchestrationAction(id, orchestratorName, childId, input, childVersion));
        var task = new PendingTask<T>(this, orchestratorName, id);
        this.pending[id] = task;
        return task.Task;
    }

    private async Task<T> WithRetryAsync<T>(Func<Task<T>> call, TaskRetryOptions retry)
    {
        DateTime firstAttempt = this.currentUtc;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (TaskFailedException ex)
            {
                if (retry.Policy is { } policy)
                {
                    if (attempt >= policy.MaxNumberOfAttempts || !policy.HandleFailure(ex.FailureDetails))
                    {
                        throw;
                    }

                    TimeSpan delay = policy.GetNextDelay(attempt);
                    if (policy.RetryTimeout != Timeout.InfiniteTimeSpan && this.currentUtc + delay > firstAttempt + policy.RetryTimeout)
                    {
                        throw;
                    }

                    await this.CreateTimer(this.currentUtc + delay, CancellationToken.None);
                }
                else
                {
                    var context = new RetryContext(this, attempt, ex.FailureDetails, this.currentUtc - firstAttempt, CancellationToken.None);
                    if (!await retry.Handler!(context))
                    {
                        throw;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Registers a cancellation callback that always runs on the episode's thread: inline when the token is cancelled
    /// by orchestrator code with <c>Cancel()</c>, queued to the scheduler when <c>CancelAsync()</c> runs it elsewhere.
    /// </summary>
    private void OnCancelled(CancellationToken token, Task task, Action onCancel)
    {
        var registration = new CancellationWatch(token, task);
        this.watches.Add(registration);
        token.Register(() =>
        {
            if (this.scheduler.IsPumpingThread)
            {
                registration.Fired = true;
                onCancel();
            }
            else
            {
                this.scheduler.Post(() =>
                {
                    registration.Fired = true;
                    this.expectContinuation = true;
                    onCancel();
                });
            }
        });
    }

    /// <summary>How long the pump should wait for work from other threads (an async cancellation in flight).</summary>
    private TimeSpan? ExpectForeignWork()
    {
        this.watches.RemoveAll(w => w.Fired || (w.Task.IsCompleted && !w.Token.IsCancellationRequested));
        if (this.watches.Exists(w => w.Token.IsCancellationRequested && !w.Fired))
        {
            return OrchestrationScheduler.WaitForCallbacks;
        }

        if (this.expectContinuation)
        {
            // The code likely awaits the CancelAsync task, which completes right after the callbacks ran.
            this.expectContinuation = false;
            return OrchestrationScheduler.WaitForContinuation;
        }

        return null;
    }

    private void CancelTimer(int id)
    {
        if (this.pending.Remove(id, out PendingTask? task))
        {
            task.Cancel();
            if (!this.isReplaying)
            {
                this.actions.Add(new CancelTimerAction(id));
            }
        }
    }

    private void RecordAction(int id, HistoryEvent scheduled, OutboundAction action)
    {
        if (this.replayIndex is not null && this.replayIndex.TryGetValue(id, out HistoryEvent? recorded))
        {
            if (!SameWork(recorded, scheduled))
            {
                this.Fatal($"on replay the code scheduled {Describe(scheduled)} as task #{id}, but the history records {Describe(recorded)}");
                throw this.fatal!;
            }

            this.claimed!.Add(id);
            return;
        }

        this.newHistory.Add(scheduled);
        this.actions.Add(action);
    }

    private void Fatal(string detail)
    {
        this.fatal ??= new NonDeterministicOrchestrationException(
            $"Non-deterministic orchestration '{this.name.Name}' ({this.InstanceId}): {detail}. The orchestrator code changed in a way that is not replay-compatible, or it is not deterministic; the instance was failed and its history left unchanged.");
    }

    private void ThrowIfFatal()
    {
        if (this.fatal is not null)
        {
            throw this.fatal;
        }
    }

    private void Apply(HistoryEvent e)
    {
        switch (e)
        {
            case ExecutionStartedEvent started:
                this.Start(started);
                break;
            case OrchestratorStartedEvent os:
                this.currentUtc = os.Timestamp;
                break;
            case TaskCompletedEvent c:
                this.Resolve(c.TaskScheduledId, t => t.Complete(c.Result));
                break;
            case TaskFailedEvent f:
                this.Resolve(f.TaskScheduledId, t => t.Fail(f.Failure));
                break;
            case SubOrchestrationCompletedEvent c:
                this.Resolve(c.TaskScheduledId, t => t.Complete(c.Result));
                break;
            case SubOrchestrationFailedEvent f:
                this.Resolve(f.TaskScheduledId, t => t.Fail(f.Failure));
                break;
            case TimerFiredEvent t:
                this.Resolve(t.TimerId, p => p.Complete(null));
                break;
            case EventRaisedEvent raised:
                this.Deliver(raised);
                break;
            default:
                break;
        }

        this.scheduler.Pump(this.ExpectForeignWork);
        this.CheckFinished();
    }

    private void Resolve(int id, Action<PendingTask> action)
    {
        if (this.pending.Remove(id, out PendingTask? task))
        {
            action(task);
        }
    }

    private void Deliver(EventRaisedEvent raised)
    {
        if (this.waiters.TryGetValue(raised.Name, out LinkedList<EventWaiter>? list) && list.First is { } first)
        {
            list.RemoveFirst();
            first.Value.Complete(raised.Input);
            return;
        }

        if (!this.buffered.TryGetValue(raised.Name, out Queue<LinkedListNode<EventRaisedEvent>>? queue))
        {
            queue = new Queue<LinkedListNode<EventRaisedEvent>>();
            this.buffered[raised.Name] = queue;
        }

        queue.Enqueue(this.bufferedInOrder.AddLast(raised));
    }

    private void Start(ExecutionStartedEvent started)
    {
        this.name = new TaskName(started.Name, started.Version);
        this.version = started.Version;
        this.serializedInput = started.Input;
        this.parent = started.ParentInstanceId is null ? null : new ParentOrchestrationInstance(new TaskName(started.ParentName ?? "unknown"), started.ParentInstanceId);
        this.ParentTaskId = started.ParentTaskId;
        this.ParentGeneration = started.ParentGeneration;
        ITaskOrchestrator orchestrator;
        object? input;
        try
        {
            orchestrator = this.engine.CreateOrchestrator(started.Name);
        }
        catch (Exception ex)
        {
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex));
            return;
        }

        try
        {
            input = this.engine.Converter.Deserialize(started.Input, orchestrator.InputType);
        }
        catch (Exception ex)
        {
            var error = new ArgumentException($"The input of orchestration '{started.Name}' ({this.InstanceId}) does not deserialise to {orchestrator.InputType.Name}: {ex.Message}", ex);
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(error));
            return;
        }

        Task<Task<object?>> outer = Task.Factory.StartNew(
            () => orchestrator.RunAsync(this, input),
            CancellationToken.None,
            TaskCreationOptions.None,
            this.scheduler);
        this.scheduler.Pump(this.ExpectForeignWork);
        if (outer.IsFaulted)
        {
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(outer.Exception!.InnerException ?? outer.Exception));
            return;
        }

        this.orchestratorTask = outer.Result;
    }

    private void CheckFinished()
    {
        if (this.fatal is not null || this.finished || this.orchestratorTask is not { IsCompleted: true } task)
        {
            return;
        }

        if (task.IsCompletedSuccessfully)
        {
            if (this.continueAsNew is not null)
            {
                this.Finish(OrchestrationRuntimeStatus.ContinuedAsNew, null, null);
                return;
            }

            string? result;
            try
            {
                result = this.SerializePayload(task.Result, "output");
            }
            catch (Exception ex)
            {
                this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex));
                return;
            }

            this.Finish(OrchestrationRuntimeStatus.Completed, result, null);
        }
        else if (task.IsCanceled)
        {
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(new TaskCanceledException($"Orchestration '{this.name.Name}' ({this.InstanceId}) ended with an unhandled cancellation (for example a timed-out WaitForExternalEvent).")));
        }
        else
        {
            Exception ex = task.Exception!.InnerException ?? task.Exception;
            this.Finish(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex));
        }
    }

    private void Finish(OrchestrationRuntimeStatus status, string? result, TaskFailureDetails? failureDetails)
    {
        this.finished = true;
        this.finalStatus = status;
        this.output = result;
        this.failure = failureDetails;
        this.newHistory.Add(new ExecutionCompletedEvent(this.currentUtc, status, result, failureDetails));
    }

    private string? SerializePayload(object? value, string what)
    {
        string? serialized = this.engine.Converter.Serialize(value);
        this.engine.CheckPayload(serialized, $"The {what} of orchestration '{this.name.Name}' ({this.InstanceId})");
        return serialized;
    }

    private ArgumentException EventPayloadError<T>(string eventName, Exception ex)
        => new($"The payload of event '{eventName}' for orchestration '{this.name.Name}' ({this.InstanceId}) does not deserialise to {typeof(T).Name}: {ex.Message}", ex);

    private sealed class CancellationWatch(CancellationToken token, Task task)
    {
        public CancellationToken Token => token;

        public Task Task => task;

        public bool Fired { get; set; }
    }

    internal abstract class PendingTask(OrchestrationExecutor owner, string name, int id)
    {
        protected OrchestrationExecutor Owner => owner;

        protected string TaskName => name;

        protected int Id => id;

        public abstract void Complete(string? result);

        public abstract void Fail(TaskFailureDetails failure);

        public abstract void Cancel();
    }

    internal sealed class PendingTask<T>(OrchestrationExecutor owner, string name, int id) : PendingTask(owner, name, id)
    {
        private readonly TaskCompletionSource<T> source = new();

        public Task<T> Task => this.source.Task;

        public override void Complete(string? result)
        {
            T value;
            try
            {
                value = this.Owner.engine.Converter.Deserialize<T>(result)!;
            }
            catch (Exception ex)
            {
                this.source.TrySetException(new TaskFailedException(this.TaskName, this.Id, TaskFailureDetails.FromException(
                    new ArgumentException($"The result of task '{this.TaskName}' (#{this.Id}) does not deserialise to {typeof(T).Name}: {ex.Message}", ex))));
                return;
            }

            this.source.TrySetResult(value);
        }

        public override void Fail(TaskFailureDetails failure) => this.source.TrySetException(new TaskFailedException(this.TaskName, this.Id, failure));

        public override void Cancel() => this.source.TrySetCanceled();
    }

    internal abstract class EventWaiter
    {
        public abstract void Complete(string? payload);

        public abstract void Cancel();
    }

    internal sealed class EventWaiter<T>(OrchestrationExecutor owner, string eventName) : EventWaiter
    {
        private readonly TaskCompletionSource<T> source = new();

        public Task<T> Task => this.source.Task;

        public override void Complete(string? payload)
        {
            try
            {
                this.source.TrySetResult(owner.engine.Converter.Deserialize<T>(payload)!);
            }
            catch (Exception ex)
            {
                this.source.TrySetException(owner.EventPayloadError<T>(eventName, ex));
            }
        }

        public override void Cancel() => this.source.TrySetCanceled();
    }
}
