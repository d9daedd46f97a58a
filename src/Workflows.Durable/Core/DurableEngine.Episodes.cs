using Workflows.Durable.Client;
using Workflows.Durable.Storage;

namespace Workflows.Durable.Core;

internal sealed partial class DurableEngine
{
    /// <summary>Runs one episode for an instance. Returns <c>true</c> when more queued work is left for it.</summary>
    private async Task<bool> ProcessInstanceAsync(string instanceId, CancellationToken token)
    {
        long now = this.NowTicks;
        OrchestrationExecutor? cached = this.cache.Take(instanceId);
        long cachedGeneration = cached?.Generation ?? -1;
        int cachedCount = cached?.CommittedHistoryCount ?? -1;
        int max = this.Options.MaxMessagesPerEpisode;
        // A read: it may see writes of the open transaction, so it need not wait for the commit.
        Batch batch = await this.Store.Submit(s => LoadBatch(s, instanceId, now, max, cachedGeneration, cachedCount), pipelined: false).Executed;
        InstanceRow? row = batch.Row;
        var deleteMessages = new List<long>();
        var deleteTimers = new List<long>();
        void Consume(QueuedItem item) => (item.IsTimer ? deleteTimers : deleteMessages).Add(item.Id);

        if (row is null || row.Status.IsTerminal())
        {
            batch.Items.ForEach(Consume);
            if (batch.Items.Count > 0)
            {
                await this.Store.ExecuteAsync(s => DeleteQueued(s, deleteMessages, deleteTimers));
            }

            return batch.Full;
        }

        QueuedItem? terminate = batch.Items.Find(i => i.Event is ExecutionTerminatedEvent && (i.Generation is null || i.Generation == row.Generation));
        if (terminate is not null)
        {
            CommitResult terminated = await this.Store.ExecuteAsync(s => CommitTermination(s, row, (ExecutionTerminatedEvent)terminate.Event, now));
            this.AfterCommit(terminated);
            foreach (string id in terminated.Changed)
            {
                this.NotifyChanged(id);
            }

            return false;
        }

        OrchestrationRuntimeStatus state = row.Status;
        var events = new List<HistoryEvent>();
        QueuedItem? start = null;
        if (state is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.ContinuedAsNew)
        {
            start = batch.Items.Find(i => i.Event is ExecutionStartedEvent && i.Generation == row.Generation);
            if (start is null)
            {
                // Not started yet (a scheduled start in the future): everything waits except stale items.
                foreach (QueuedItem item in batch.Items.Where(i => i.Generation is long g && g != row.Generation))
                {
                    Consume(item);
                }

                if (deleteMessages.Count + deleteTimers.Count > 0)
                {
                    await this.Store.ExecuteAsync(s => DeleteQueued(s, deleteMessages, deleteTimers));
                }

                return false;
            }

            var started = (ExecutionStartedEvent)start.Event;
            events.Add(started with { Timestamp = new DateTime(now, DateTimeKind.Utc) });
            Consume(start);
            state = OrchestrationRuntimeStatus.Running;
        }

        bool skipped = false;
        foreach (QueuedItem item in batch.Items)
        {
            if (ReferenceEquals(item, start))
            {
                continue;
            }

            if (item.Generation is long g && g != row.Generation)
            {
                Consume(item);
                continue;
            }

            switch (item.Event)
            {
                case ExecutionStartedEvent:
                    Consume(item);
                    break;
                case ExecutionSuspendedEvent:
                    if (state == OrchestrationRuntimeStatus.Running)
                    {
                        state = OrchestrationRuntimeStatus.Suspended;
                        events.Add(item.Event);
                    }

                    Consume(item);
                    break;
                case ExecutionResumedEvent:
                    if (state == OrchestrationRuntimeStatus.Suspended)
                    {
                        state = OrchestrationRuntimeStatus.Running;
                        events.Add(item.Event);
                    }

                    Consume(item);
                    break;
                default:
                    if (state == OrchestrationRuntimeStatus.Suspended)
                    {
                        skipped = true;
                        break;
                    }

                    events.Add(item.Event);
                    Consume(item);
                    break;
            }
        }

        if (events.Count == 0)
        {
            if (deleteMessages.Count + deleteTimers.Count > 0)
            {
                await this.Store.ExecuteAsync(s => DeleteQueued(s, deleteMessages, deleteTimers));
            }

            if (cached is not null)
            {
                this.cache.Put(cached);
            }

            return batch.Full;
        }

        OrchestrationExecutor? executor = null;
        EpisodeOutcome outcome;
        try
        {
            if (cached is not null && cached.Generation == row.Generation && cached.CommittedHistoryCount == row.HistoryCount && !cached.IsFinished)
            {
                executor = cached;
            }
            else
            {
                executor = new OrchestrationExecutor(this, instanceId, row.Generation);
                if (batch.History is { Count: > 0 } history)
                {
                    executor.Replay(history);
                }
            }

            outcome = executor.RunEpisode(events, new DateTime(now, DateTimeKind.Utc));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Non-determinism (or a broken history): fail the instance, leave its history as it is.
            executor = null;
            outcome = new EpisodeOutcome
            {
                NewHistory = [],
                Actions = [],
                FinalStatus = OrchestrationRuntimeStatus.Failed,
                Failure = TaskFailureDetails.FromException(ex),
            };
        }

        if (outcome.FinalStatus == OrchestrationRuntimeStatus.Failed && outcome.Failure is { } failure)
        {
            Log.OrchestrationFailed(this.logger, instanceId, failure.ErrorType, failure.ErrorMessage);
        }

        CommitResult result;
        // Internal effects (dispatch activities, arm timers, schedule instances) run on the store thread as soon as
        // the writes are in the open transaction; client-visible ones wait for durability (TrackDurable).
        StoreTicket<CommitResult> ticket = this.Store.Submit(s => this.CommitEpisode(s, row, outcome, state, deleteMessages, deleteTimers, now), pipelined: true, this.AfterCommit);
        try
        {
            result = await ticket.Executed;
        }
        catch
        {
            this.cache.Remove(instanceId);
            throw;
        }

        this.TrackDurable(ticket.Durable, result.Changed, instanceId);

        if (executor is not null && outcome.FinalStatus is null)
        {
            executor.CommittedHistoryCount = row.HistoryCount + outcome.NewHistory.Count;
            this.cache.Put(executor);
        }

        return batch.Full || (skipped && state == OrchestrationRuntimeStatus.Running);
    }

    private void AfterCommit(CommitResult result)
    {
        foreach (ActivityWorkItem item in result.Activities)
        {
            this.DispatchActivity(item);
        }

        foreach ((string instanceId, long fireAt) in result.Timers)
        {
            this.AddTimer(instanceId, fireAt);
        }

        foreach (string id in result.Schedule)
        {
            this.Schedule(id);
        }

    }

    /// <summary>
    /// Client-visible effects (completion waits) happen only once the episode is durable. If the transaction rolled
    /// back, every cached executor may be ahead of the database: drop them all and look at the instance again.
    /// </summary>
    private void TrackDurable<T>(Task<T> durable, IEnumerable<string> changed, string instanceId)
    {
        int startedIn = this.IncrementBusyDetached();
        durable.ContinueWith(
            t =>
            {
                try
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        foreach (string id in changed)
                        {
                            this.NotifyChanged(id);
                        }
                    }
                    else
                    {
                        this.cache.Clear();
                        Log.EpisodeFailed(this.logger, instanceId, t.Exception?.InnerException ?? new InvalidOperationException("commit cancelled"));
                        this.AddTimer(instanceId, this.NowTicks + TimeSpan.TicksPerSecond);
                    }
                }
                finally
                {
                    this.DecrementBusyDetached(startedIn);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void DispatchActivity(ActivityWorkItem item)
    {
        if (!this.IsWorkerRunning)
        {
            return;
        }

        this.dispatchedActivities[item.Id] = 0;
        this.IncrementBusy();
        if (!this.activityChannel.Writer.TryWrite(item))
        {
            this.dispatchedActivities.TryRemove(item.Id, out _);
            this.DecrementBusy();
        }
    }

    private async Task ActivityLoopAsync(CancellationToken token)
    {
        var reader = this.activityChannel.Reader;
        while (true)
        {
            try
            {
                if (!await reader.WaitToReadAsync(token))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (reader.TryRead(out ActivityWorkItem? item))
            {
                if (token.IsCancellationRequested)
                {
                    this.DecrementBusy();
                    continue;
                }

                await this.RunActivityAsync(item, token);
            }
        }
    }

    private async Task RunActivityAsync(ActivityWorkItem item, CancellationToken token)
    {
        try
        {
            this.dispatchedActivities[item.Id] = Math.Max(1, this.NowTicks);
            string? result = null;
            TaskFailureDetails? failure = null;
            try
            {
                if (!this.registry.Activities.TryGetValue(item.Name, out Func<IServiceProvider, ITaskActivity>? factory))
                {
                    throw new ArgumentException($"No activity named '{item.Name}' is registered with this worker.");
                }

                ITaskActivity activity = factory(this.services);
                object? input;
                try
                {
                    input = this.Converter.Deserialize(item.Input, activity.InputType);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new ArgumentException($"The input of activity '{item.Name}' (orchestration {item.InstanceId}) does not deserialise to {activity.InputType.Name}: {ex.Message}", ex);
                }

                object? output = await activity.RunAsync(new ActivityContext(item, token), input);
                result = this.Converter.Serialize(output);
                this.CheckPayload(result, $"The result of activity '{item.Name}' (orchestration {item.InstanceId})");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Shutting down: the work item stays stored and runs again after restart.
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = TaskFailureDetails.FromException(ex);
            }

            long now = this.NowTicks;
            StoreTicket<bool> ticket = this.Store.Submit(
                s => CompleteActivity(s, item, result, failure, now),
                pipelined: true,
                delivered =>
                {
                    if (delivered)
                    {
                        this.Schedule(item.InstanceId);
                    }
                });
            this.TrackDurable(ticket.Durable, [], item.InstanceId);
            await ticket.Executed;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ActivityCompletionFailed(this.logger, item.Id, item.InstanceId, ex);
        }
        finally
        {
            this.dispatchedActivities.TryRemove(item.Id, out _);
            this.DecrementBusy();
        }
    }

    private sealed class ActivityContext(ActivityWorkItem item, CancellationToken token) : TaskActivityContext
    {
        public override TaskName Name => new(item.Name);

        public override string InstanceId => item.InstanceId;

        public override int DeliveryCount => item.DeliveryCount;

        public override CancellationToken CancellationToken => token;
    }
}
