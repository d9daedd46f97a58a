using System.Collections.Concurrent;

namespace Workflows.Durable.Core;

/// <summary>
/// Runs orchestrator continuations only when the executor pumps, on the pumping thread, so an episode
/// is single-threaded and deterministic. Awaits inside orchestrator code capture this scheduler.
/// Work that arrives from other threads (cancellation callbacks run by <c>CancelAsync</c>) is queued
/// here too, and the pump waits for it while the executor says some is on its way.
/// </summary>
internal sealed class OrchestrationScheduler : TaskScheduler, IDisposable
{
    private static readonly TimeSpan ForeignWorkTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ContinuationGrace = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<Task> queue = new();
    private readonly SemaphoreSlim arrived = new(0);
    private int pumpingThread = -1;

    public override int MaximumConcurrencyLevel => 1;

    public bool IsPumpingThread => this.pumpingThread == Environment.CurrentManagedThreadId;

    /// <summary>Queues an action from any thread; it runs at the next pump.</summary>
    public void Post(Action action)
    {
        var task = new Task(action);
        task.Start(this);
    }

    /// <summary>Runs queued work until none is left and none is expected.</summary>
    /// <param name="expectForeign">Returns how long to wait for work from other threads, or <c>null</c> for none.</param>
    public void Pump(Func<TimeSpan?>? expectForeign = null)
    {
        int previous = this.pumpingThread;
        this.pumpingThread = Environment.CurrentManagedThreadId;
        try
        {
            while (true)
            {
                while (this.queue.TryDequeue(out Task? task))
                {
                    this.TryExecuteTask(task);
                }

                if (expectForeign?.Invoke() is not { } wait || !this.arrived.Wait(wait))
                {
                    return;
                }
            }
        }
        finally
        {
            this.pumpingThread = previous;
        }
    }

    public void Dispose() => this.arrived.Dispose();

    internal static TimeSpan WaitForCallbacks => ForeignWorkTimeout;

    internal static TimeSpan WaitForContinuation => ContinuationGrace;

    protected override void QueueTask(Task task)
    {
        this.queue.Enqueue(task);
        this.arrived.Release();
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && this.IsPumpingThread && this.TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => this.queue.ToArray();
}
