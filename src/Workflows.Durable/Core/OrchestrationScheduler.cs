using System.Collections.Concurrent;

namespace Workflows.Durable.Core;

/// <summary>
/// Runs orchestrator continuations only when the executor pumps, on the pumping thread, so an episode
/// is single-threaded and deterministic. Awaits inside orchestrator code capture this scheduler.
/// </summary>
internal sealed class OrchestrationScheduler : TaskScheduler
{
    private readonly ConcurrentQueue<Task> queue = new();
    private int pumpingThread = -1;

    public override int MaximumConcurrencyLevel => 1;

    public void Pump()
    {
        int previous = this.pumpingThread;
        this.pumpingThread = Environment.CurrentManagedThreadId;
        try
        {
            while (this.queue.TryDequeue(out Task? task))
            {
                this.TryExecuteTask(task);
            }
        }
        finally
        {
            this.pumpingThread = previous;
        }
    }

    protected override void QueueTask(Task task) => this.queue.Enqueue(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && this.pumpingThread == Environment.CurrentManagedThreadId && this.TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => this.queue.ToArray();
}
