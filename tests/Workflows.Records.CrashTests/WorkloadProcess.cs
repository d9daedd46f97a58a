using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Workflows.Tests.Shared;

namespace Workflows.Records.CrashTests;

/// <summary>A running Workflows.Records.CrashWorkload child process (one writer): prints <c>ready</c>, then <c>committed n</c> per write.</summary>
internal sealed class WorkloadProcess : IDisposable
{
    private const string CommittedPrefix = "committed ";

    private readonly ConcurrentQueue<long> committed = new();
    private readonly CapturedChildProcess child;

    // Completed (and replaced) at every committed line and at exit: the kill loop reacts to progress at once, not on a poll.
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkloadProcess(string connectionString, string table, string localPath, string writer, int count)
    {
        this.Writer = writer;
        this.child = CapturedChildProcess.Start(
            "Workflows.Records.CrashWorkload",
            [connectionString, table, localPath, writer, count.ToString(CultureInfo.InvariantCulture)],
            $"the {writer} workload",
            line => line == "ready",
            "'ready'",
            this.OnLine,
            this.Signal);
    }

    public string Writer { get; }

    public int Id => this.child.Id;

    public bool HasExited => this.child.HasExited;

    /// <summary>Gets how many <c>committed n</c> lines the child printed so far.</summary>
    public int CommittedCount => this.committed.Count;

    /// <summary>Gets the numbers the child printed as committed, in order.</summary>
    public IReadOnlyList<long> Committed => [.. this.committed];

    /// <summary>Gets everything the child wrote so far (stdout, and stderr marked), for failure messages.</summary>
    public string Output => this.child.Output;

    /// <summary>Gets the lines that start with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Lines(string prefix) => this.child.Lines(prefix);

    public static WorkloadProcess Start(string connectionString, string table, string localPath, string writer, int count) =>
        new(connectionString, table, localPath, writer, count);

    public Task WaitReadyAsync(TimeSpan timeout) => this.child.WaitReadyAsync(timeout);

    /// <summary>Waits until the child printed <paramref name="count"/> committed lines in all, or exited.</summary>
    public async Task WaitCommittedOrExitAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed = Volatile.Read(ref this.progress).Task;
            if (this.CommittedCount >= count || this.HasExited)
            {
                return;
            }

            try
            {
                await changed.WaitAsync(timeout - clock.Elapsed);
            }
            catch (Exception ex) when (ex is TimeoutException or ArgumentOutOfRangeException)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0} s for the {this.Writer} workload (pid {this.Id}) to print {count} 'committed' lines; it printed {this.CommittedCount}. Output:\n{this.Output}");
            }
        }
    }

    /// <inheritdoc cref="CapturedChildProcess.Kill"/>
    public void Kill() => this.child.Kill();

    /// <inheritdoc cref="CapturedChildProcess.KillAsync"/>
    public Task<bool> KillAsync(TimeSpan timeout) => this.child.KillAsync(timeout);

    /// <inheritdoc cref="CapturedChildProcess.WaitForExitAsync"/>
    public Task<int> WaitForExitAsync(TimeSpan timeout) => this.child.WaitForExitAsync(timeout);

    public void Dispose() => this.child.Dispose();

    private void OnLine(string line)
    {
        if (line.StartsWith(CommittedPrefix, StringComparison.Ordinal))
        {
            this.committed.Enqueue(long.Parse(line[CommittedPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture));
            this.Signal();
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref this.progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
