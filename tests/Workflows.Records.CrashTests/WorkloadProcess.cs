using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Workflows.Records.CrashTests;

/// <summary>A running Workflows.Records.CrashWorkload child process (one writer) with its output captured line by line.</summary>
internal sealed class WorkloadProcess : IDisposable
{
    private const string Name = "Workflows.Records.CrashWorkload";

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<long> committed = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Completed (and replaced) at every committed line and at exit: the kill loop reacts to progress at once, not on a poll.
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkloadProcess(Process process, string writer)
    {
        this.process = process;
        this.Writer = writer;
    }

    public string Writer { get; }

    public int Id => this.process.Id;

    public bool HasExited => this.process.HasExited;

    /// <summary>Gets how many <c>committed n</c> lines the child printed so far.</summary>
    public int CommittedCount => this.committed.Count;

    /// <summary>Gets the numbers the child printed as committed, in order.</summary>
    public IReadOnlyList<long> Committed => [.. this.committed];

    /// <summary>Gets everything the child wrote so far (stdout, and stderr marked), for failure messages.</summary>
    public string Output => string.Join('\n', this.lines);

    /// <summary>Gets the lines that start with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Lines(string prefix) => [.. this.lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    public static WorkloadProcess Start(string connectionString, string table, string localPath, string writer, int count)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "exec", WorkloadDll(), connectionString, table, localPath, writer, count.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new WorkloadProcess(process, writer);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        process.Exited += (_, _) =>
        {
            child.ready.TrySetException(new InvalidOperationException($"The {writer} workload exited before it printed 'ready'."));
            child.Signal();
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName} {string.Join(' ', info.ArgumentList)}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await this.ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for the {this.Writer} workload (pid {this.Id}) to print 'ready'. Output:\n{this.Output}");
        }
    }

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

    /// <summary>Kills the child and its descendants with SIGKILL and waits until it is gone (output drained).</summary>
    public void Kill()
    {
        if (!this.process.HasExited)
        {
            this.process.Kill(entireProcessTree: true);
        }

        this.process.WaitForExit();
    }

    /// <summary>Kills the child and its descendants with SIGKILL and waits, without blocking a thread, until it is gone.</summary>
    /// <returns>Whether the child was still running when the kill was sent.</returns>
    public async Task<bool> KillAsync(TimeSpan timeout)
    {
        bool alive = !this.process.HasExited;
        if (alive)
        {
            this.process.Kill(entireProcessTree: true);
        }

        await this.WaitForExitAsync(timeout);
        return alive;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await this.process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for the {this.Writer} workload (pid {this.Id}) to finish. Output:\n{this.Output}");
        }

        this.process.WaitForExit(); // drains the redirected output
        return this.process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            this.Kill();
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        this.process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        this.lines.Enqueue(line);
        if (line == "ready")
        {
            this.ready.TrySetResult();
        }
        else if (line.StartsWith("committed ", StringComparison.Ordinal))
        {
            this.committed.Enqueue(long.Parse(line["committed ".Length..], NumberStyles.None, CultureInfo.InvariantCulture));
            this.Signal();
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref this.progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it starts (dotnet test); otherwise take dotnet from PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static string WorkloadDll()
    {
        string here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, Name + ".runtimeconfig.json")))
        {
            return Path.Combine(here, Name + ".dll");
        }

        // tests/Workflows.Records.CrashTests/bin/<Configuration>/net10.0/ → tests/Workflows.Records.CrashWorkload/bin/<Configuration>/net10.0/
        var dir = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        string framework = dir.Name;
        string configuration = dir.Parent!.Name;
        string testsDir = dir.Parent.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(testsDir, Name, "bin", configuration, framework, Name + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The crash workload was not built: neither {here} nor {dll} holds {Name}.dll with its runtimeconfig.");
    }
}
