using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

/// <summary>
/// The runtime: store, orchestration dispatcher, activity workers, durable timer wake-ups and polling.
/// In-process work is signalled directly (no polling); the database is polled only for work written by other
/// processes, on a <see cref="TimeProvider"/> timer.
/// </summary>
internal sealed partial class DurableEngine : IAsyncDisposable
{
    private static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(30);

    private readonly DurableTaskRegistry registry;
    private readonly IServiceProvider services;
    private readonly ILogger logger;
    private readonly ExecutorCache cache;
    private readonly Lock gate = new();
    private readonly Lock timerGate = new();
    private readonly Queue<string> ready = new();
    private readonly HashSet<string> queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> running = new(StringComparer.Ordinal);
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> timerHeap = new();
    private readonly ConcurrentDictionary<long, long> dispatchedActivities = new();
    private readonly Dictionary<string, ChangeSignalEntry> changeSignals = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim startStop = new(1, 1);
    private readonly Lazy<SqliteStore> store;
    private SemaphoreSlim readySignal = new(0);
    private Channel<ActivityWorkItem> activityChannel = Channel.CreateUnbounded<ActivityWorkItem>();
    private CancellationTokenSource? workerCts;
    private List<Task> loops = [];
    private FileStream? lockFile;
    private ITimer? wakeTimer;
    private ITimer? pollTimer;
    private long armedAt = long.MaxValue;
    private int busy;
    private int epoch;
    private TaskCompletionSource idle = NewIdle();
    private bool disposed;

    public DurableEngine(EmbeddedDurableTaskOptions options, DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        this.Options = options;
        this.registry = registry;
        this.services = services;
        this.LoggerFactory = loggerFactory;
        this.logger = loggerFactory.CreateLogger("Workflows.Durable");
        this.Clock = options.TimeProvider ?? TimeProvider.System;
        this.Converter = options.DataConverter;
        this.cache = new ExecutorCache(options.CacheSize);
        this.store = new Lazy<SqliteStore>(() => new SqliteStore(options.DatabasePath, options.Synchronous, options.PipelineCommits), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public EmbeddedDurableTaskOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider Clock { get; }

    public DataConverter Converter { get; }

    public string OwnerId { get; private set; } = string.Empty;

    public bool IsWorkerRunning { get; private set; }

    public bool IsClientOnly => this.registry.IsClientOnly;

    internal SqliteStore Store => this.store.Value;

    internal int CachedExecutors => this.cache.Count;

    public long NowTicks => this.Clock.GetUtcNow().UtcTicks;

    public bool HasActivity(string name) => this.registry.Activities.ContainsKey(name);

    public bool HasOrchestrator(string name) => this.registry.Orchestrators.ContainsKey(name);

    public ITaskOrchestrator CreateOrchestrator(string name)
    {
        if (!this.registry.Orchestrators.TryGetValue(name, out Func<IServiceProvider, ITaskOrchestrator>? factory))
        {
            throw new ArgumentException($"No orchestrator named '{name}' is registered with this worker.", nameof(name));
        }

        return factory(this.services);
    }

    public ITaskOrchestrator? TryCreateOrchestratorForValidation(string name)
        => this.registry.Orchestrators.TryGetValue(name, out Func<IServiceProvider, ITaskOrchestrator>? factory) ? factory(this.services) : null;

    public void CheckPayload(string? serialized, string what)
    {
        if (serialized is null)
        {
            return;
        }

        // Cheap bound first: UTF-8 needs at most 3 bytes per UTF-16 char.
        if (serialized.Length * 3L <= this.Options.MaxPayloadBytes)
        {
            return;
        }

        int bytes = Encoding.UTF8.GetByteCount(serialized);
        if (bytes > this.Options.MaxPayloadBytes)
        {
            throw new PayloadTooLargeException(
                $"{what} is {bytes} bytes; the limit is {this.Options.MaxPayloadBytes} bytes (EmbeddedDurableTaskOptions.MaxPayloadBytes). Payloads are never truncated: pass a reference (an id) instead.");
        }
    }

    public async Task StartWorkerAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(this.disposed, this);
        if (this.IsClientOnly)
        {
            throw new InvalidOperationException("This runtime was opened client-only (no registry); it cannot run a worker.");
        }

        await this.startStop.WaitAsync(cancellationToken);
        try
        {
            if (this.IsWorkerRunning)
            {
                return;
            }

            SqliteStore s = this.Store;
            this.AcquireFileLock(s);
            try
            {
                this.OwnerId = Ids.RandomHex(8);
                long now = this.NowTicks;
                long leaseUntil = now + this.Options.ActivityLeaseDuration.Ticks;
                string owner = this.OwnerId;
                Recovery recovery = await s.ExecuteAsync(session => Recover(session, owner, now, leaseUntil));

                this.workerCts = new CancellationTokenSource();
                this.readySignal = new SemaphoreSlim(0);
                this.activityChannel = Channel.CreateUnbounded<ActivityWorkItem>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
                this.wakeTimer = this.Clock.CreateTimer(_ => this.OnTimerWake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                this.pollTimer = this.Clock.CreateTimer(_ => this.OnPoll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                this.IsWorkerRunning = true;

                CancellationToken token = this.workerCts.Token;
                var started = new List<Task>();
                for (int i = 0; i < this.Options.MaxConcurrentOrchestrations; i++)
                {
                    started.Add(Task.Run(() => this.OrchestrationLoopAsync(token), CancellationToken.None));
                }

                for (int i = 0; i < this.Options.MaxConcurrentActivities; i++)
                {
                    started.Add(Task.Run(() => this.ActivityLoopAsync(token), CancellationToken.None));
                }

                this.loops = started;
                foreach (ActivityWorkItem item in recovery.Activities)
                {
                    this.DispatchActivity(item);
                }

                foreach ((string instanceId, long fireAt) in recovery.Timers)
                {
                    this.AddTimer(instanceId, fireAt);
                }

                foreach (string instanceId in recovery.Instances)
                {
                    this.Schedule(instanceId);
                }

                this.ArmPoll();
                Log.WorkerStarted(this.logger, this.OwnerId, this.Options.DatabasePath, recovery.Instances.Count, recovery.Timers.Count, recovery.Activities.Count);
            }
            catch
            {
                this.ReleaseFileLock();
                throw;
            }
        }
        finally
        {
            this.startStop.Release();
        }
    }

    public async Task StopWorkerAsync(CancellationToken cancellationToken)
    {
        await this.startStop.WaitAsync(cancellationToken);
        try
        {
            if (!this.IsWorkerRunning)
            {
                return;
            }

            this.IsWorkerRunning = false;
            await this.workerCts!.CancelAsync();
            this.activityChannel.Writer.TryComplete();
            this.wakeTimer?.Dispose();
            this.pollTimer?.Dispose();
            try
            {
                await Task.WhenAll(this.loops).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Loops end by cancellation.
            }

            this.workerCts.Dispose();
            this.workerCts = null;
            this.loops = [];
            this.cache.Clear();
            lock (this.gate)
            {
                this.ready.Clear();
                this.queued.Clear();
                this.running.Clear();
                this.dirty.Clear();
                this.busy = 0;
                this.epoch++;
                this.idle.TrySetResult();
            }

            lock (this.timerGate)
            {
                this.timerHeap.Clear();
                this.armedAt = long.MaxValue;
            }

            this.dispatchedActivities.Clear();
            this.ReleaseFileLock();
            Log.WorkerStopped(this.logger, this.OwnerId);
        }
        finally
        {
            this.startStop.Release();
        }
    }

    public async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? wait = null;
            lock (this.gate)
            {
                if (this.busy != 0)
                {
                    wait = this.idle.Task;
                }
            }

            if (wait is null)
            {
                // Nothing in flight. A timer due at the current time whose wake-up has not arrived yet (a timer
                // callback still on its way, or armed just before the clock moved) is work for now: run it.
                List<string>? due = null;
                if (this.IsWorkerRunning)
                {
                    lock (this.timerGate)
                    {
                        due = this.ArmLocked();
                    }
                }

                if (due is null)
                {
                    return;
                }

                this.ScheduleAll(due);
                continue;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Describes the work in flight right now (empty when idle); for tests and diagnostics.</summary>
    internal string DescribePendingWork()
    {
        var parts = new List<string>();
        lock (this.gate)
        {
            if (this.busy != 0)
            {
                parts.Add($"{this.busy} work item(s) in flight");
            }

            if (this.ready.Count + this.running.Count + this.dirty.Count != 0)
            {
                parts.Add($"instances ready {this.ready.Count}, running {this.running.Count}, rescheduled {this.dirty.Count}");
            }
        }

        if (!this.dispatchedActivities.IsEmpty)
        {
            parts.Add($"{this.dispatchedActivities.Count} activities dispatched");
        }

        lock (this.timerGate)
        {
            if (this.timerHeap.TryPeek(out string? id, out long at) && at <= this.NowTicks)
            {
                parts.Add($"a timer of {id} due at {new DateTime(at, DateTimeKind.Utc):O}");
            }
        }

        return string.Join("; ", parts);
    }

    public async ValueTask DisposeAsync()
    {
        if (this.disposed)
        {
            return;
        }

        await this.StopWorkerAsync(CancellationToken.None);
        this.disposed = true;
        if (this.store.IsValueCreated)
        {
            await this.store.Value.DisposeAsync();
        }

        this.startStop.Dispose();
        this.readySignal.Dispose();
    }

    /// <summary>Marks an instance as having work. Safe to call from any thread.</summary>
    public void Schedule(string instanceId)
    {
        if (!this.IsWorkerRunning)
        {
            return;
        }

        lock (this.gate)
        {
            if (this.running.Contains(instanceId))
            {
                this.dirty.Add(instanceId);
                return;
            }

            if (!this.queued.Add(instanceId))
            {
                return;
            }

            this.ready.Enqueue(instanceId);
            this.IncrementBusyLocked();
        }

        this.readySignal.Release();
    }

    /// <summary>
    /// Registers a waiter for the next change of an instance. Every call must be paired with
    /// <see cref="ReleaseChangeSignal"/>, so entries for instances nobody waits on any more (e.g. finished ones,
    /// which never change again) do not accumulate.
    /// </summary>
    public Task ChangeSignal(string instanceId)
    {
        lock (this.changeSignals)
        {
            if (!this.changeSignals.TryGetValue(instanceId, out ChangeSignalEntry? entry))
            {
                entry = new ChangeSignalEntry();
                this.changeSignals[instanceId] = entry;
            }

            entry.Waiters++;
            return entry.Source.Task;
        }
    }

    /// <summary>Ends one waiter's interest in the signal it got from <see cref="ChangeSignal"/>.</summary>
    public void ReleaseChangeSignal(string instanceId, Task signal)
    {
        lock (this.changeSignals)
        {
            if (this.changeSignals.TryGetValue(instanceId, out ChangeSignalEntry? entry)
                && ReferenceEquals(entry.Source.Task, signal)
                && --entry.Waiters <= 0)
            {
                this.changeSignals.Remove(instanceId);
            }
        }
    }

    /// <summary>Gets the number of instances with registered change waiters (for tests).</summary>
    internal int ChangeSignalCount
    {
        get
        {
            lock (this.changeSignals)
            {
                return this.changeSignals.Count;
            }
        }
    }

    public void NotifyChanged(string instanceId)
    {
        ChangeSignalEntry? entry;
        lock (this.changeSignals)
        {
            this.changeSignals.Remove(instanceId, out entry);
        }

        entry?.Source.TrySetResult();
    }

    public void AddTimer(string instanceId, long fireAtTicks)
    {
        if (!this.IsWorkerRunning)
        {
            return;
        }

        List<string>? due;
        lock (this.timerGate)
        {
            this.timerHeap.Enqueue(instanceId, fireAtTicks);
            due = this.ArmLocked();
        }

        this.ScheduleAll(due);
    }

    private static TaskCompletionSource NewIdle()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    private void IncrementBusyLocked()
    {
        if (this.busy++ == 0)
        {
            this.idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void IncrementBusy()
    {
        lock (this.gate)
        {
            this.IncrementBusyLocked();
        }
    }

    private void DecrementBusy()
    {
        lock (this.gate)
        {
            this.DecrementBusyLocked();
        }
    }

    /// <summary>Counts a work item that may finish after the worker stopped (a commit, a poll); returns its epoch.</summary>
    private int IncrementBusyDetached()
    {
        lock (this.gate)
        {
            this.IncrementBusyLocked();
            return this.epoch;
        }
    }

    /// <summary>Ends a work item counted by <see cref="IncrementBusyDetached"/>; ignored when the worker stopped since.</summary>
    private void DecrementBusyDetached(int startedIn)
    {
        lock (this.gate)
        {
            if (startedIn == this.epoch)
            {
                this.DecrementBusyLocked();
            }
        }
    }

    private void DecrementBusyLocked()
    {
        Debug.Assert(this.busy > 0, "more work items ended than started");
        if (this.busy > 0 && --this.busy == 0)
        {
            this.idle.TrySetResult();
        }
    }

    private void ScheduleAll(List<string>? ids)
    {
        if (ids is null)
        {
            return;
        }

        foreach (string id in ids)
        {
            this.Schedule(id);
        }
    }

    private List<string>? ArmLocked()
    {
        List<string>? due = null;
        while (true)
        {
            long now = this.NowTicks;
            while (this.timerHeap.TryPeek(out string? id, out long at) && at <= now)
            {
                this.timerHeap.Dequeue();
                (due ??= []).Add(id);
            }

            if (!this.timerHeap.TryPeek(out _, out long next))
            {
                this.armedAt = long.MaxValue;
                return due;
            }

            if (next < this.armedAt)
            {
                this.armedAt = next;
                TimeSpan wait = TimeSpan.FromTicks(next - now);
                this.wakeTimer?.Change(wait > MaxTimerWait ? MaxTimerWait : wait, Timeout.InfiniteTimeSpan);
            }

            // The wake-up was armed relative to the time read above; if the clock has since passed the next timer
            // (moved by another thread), take it now instead of waiting for a late wake-up.
            if (this.NowTicks < next)
            {
                return due;
            }

            this.armedAt = long.MaxValue;
        }
    }

    private void OnTimerWake()
    {
        List<string>? due;
        lock (this.timerGate)
        {
            this.armedAt = long.MaxValue;
            due = this.ArmLocked();
        }

        this.ScheduleAll(due);
    }

    private void ArmPoll() => this.pollTimer?.Change(this.Options.PollingInterval, Timeout.InfiniteTimeSpan);

    private void OnPoll()
    {
        if (!this.IsWorkerRunning)
        {
            return;
        }

        _ = this.PollAsync(this.IncrementBusyDetached());
    }

    private async Task PollAsync(int startedIn)
    {
        try
        {
            long now = this.NowTicks;
            long leaseTicks = this.Options.ActivityLeaseDuration.Ticks;
            string owner = this.OwnerId;
            var localStarts = new Dictionary<long, long>(this.dispatchedActivities);
            PollResult result = await this.Store.ExecuteAsync(s => Poll(s, owner, now, leaseTicks, localStarts));
            foreach (string id in result.Instances)
            {
                this.Schedule(id);
            }

            foreach (ActivityWorkItem item in result.Activities)
            {
                this.DispatchActivity(item);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.PollFailed(this.logger, ex);
        }
        finally
        {
            if (this.IsWorkerRunning)
            {
                this.ArmPoll();
            }

            this.DecrementBusyDetached(startedIn);
        }
    }

    private void AcquireFileLock(SqliteStore s)
    {
        string lockPath = this.Options.DatabasePath + ".lock";
        try
        {
            this.lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            string owner = s.ExecuteAsync(DescribeOwner).GetAwaiter().GetResult();
            throw new InvalidOperationException(
                $"The durable database '{this.Options.DatabasePath}' is already served by another worker ({owner}). Only one worker may run per database file: stop the other process, or give this one its own DatabasePath. Clients may still use the file.",
                ex);
        }
    }

    private void ReleaseFileLock()
    {
        this.lockFile?.Dispose();
        this.lockFile = null;
    }

    private async Task OrchestrationLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await this.readySignal.WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string? instanceId;
            lock (this.gate)
            {
                if (!this.ready.TryDequeue(out instanceId))
                {
                    continue;
                }

                this.queued.Remove(instanceId);
                this.running.Add(instanceId);
            }

            bool more = false;
            try
            {
                more = await this.ProcessInstanceAsync(instanceId, token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                this.cache.Remove(instanceId);
                Log.EpisodeFailed(this.logger, instanceId, ex);
                if (!token.IsCancellationRequested)
                {
                    this.AddTimer(instanceId, this.NowTicks + TimeSpan.TicksPerSecond);
                }
            }
            finally
            {
                bool requeue;
                lock (this.gate)
                {
                    this.running.Remove(instanceId);
                    requeue = this.dirty.Remove(instanceId) || more;
                }

                if (requeue)
                {
                    this.Schedule(instanceId);
                }

                this.DecrementBusy();
            }
        }
    }

    private sealed class ChangeSignalEntry
    {
        public TaskCompletionSource Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiters { get; set; }
    }
}
