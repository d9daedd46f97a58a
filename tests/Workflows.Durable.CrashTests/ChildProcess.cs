using System.Collections.Concurrent;
using System.Diagnostics;

namespace Workflows.Durable.CrashTests;

/// <summary>A running Workflows.Durable.CrashWorkload child process with its output captured line by line.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource<int> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process)
    {
        this.process = process;
    }

    public int Id => this.process.Id;

    public bool HasExited => this.process.HasExited;

    public int ExitCode => this.process.ExitCode;

    /// <summary>Gets everything the child wrote so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', this.lines);

    /// <summary>Gets the first output line that starts with <paramref name="prefix"/>, if any.</summary>
    public string? FirstLine(string prefix) => this.lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public static ChildProcess Start(string databasePath, int count)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(WorkloadDll());
        info.ArgumentList.Add(databasePath);
        info.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        process.Exited += (_, _) => child.ready.TrySetException(new InvalidOperationException("The child exited before it printed READY."));
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName} {string.Join(' ', info.ArgumentList)}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the child's durable worker has started (it printed READY).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await this.ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for the crash workload (pid {this.Id}) to print READY. Output:\n{this.Output}");
        }
    }

    /// <summary>Kills the child and its descendants with SIGKILL and waits until it is gone.</summary>
    public void Kill()
    {
        if (!this.process.HasExited)
        {
            this.process.Kill(entireProcessTree: true);
        }

        this.process.WaitForExit();
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
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for the crash workload (pid {this.Id}) to finish. Output:\n{this.Output}");
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
        if (line.StartsWith("READY", StringComparison.Ordinal))
        {
            this.ready.TrySetResult(0);
        }
    }

    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it starts (dotnet test); otherwise take dotnet from PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static string WorkloadDll()
    {
        const string Name = "Workflows.Durable.CrashWorkload";
        string here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, Name + ".runtimeconfig.json")))
        {
            return Path.Combine(here, Name + ".dll");
        }

        // tests/Workflows.Durable.CrashTests/bin/<Configuration>/net10.0/ → tests/Workflows.Durable.CrashWorkload/bin/<Configuration>/net10.0/
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
