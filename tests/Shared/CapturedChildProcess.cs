using System.Collections.Concurrent;
using System.Diagnostics;

namespace Workflows.Tests.Shared;

/// <summary>
/// A crash-test workload run as a child process (<c>dotnet exec &lt;workload&gt;.dll args</c>) with its stdout and stderr
/// captured line by line. Linked into the crash-test projects; each wraps it with what is particular to its workload.
/// </summary>
internal sealed class CapturedChildProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string description;
    private readonly Func<string, bool> isReadyLine;
    private readonly string readyText;
    private readonly Action<string>? onLine;
    private readonly Action? onExited;

    private CapturedChildProcess(
        Process process, string description, Func<string, bool> isReadyLine, string readyText, Action<string>? onLine, Action? onExited)
    {
        this.process = process;
        this.description = description;
        this.isReadyLine = isReadyLine;
        this.readyText = readyText;
        this.onLine = onLine;
        this.onExited = onExited;
    }

    public int Id => this.process.Id;

    public bool HasExited => this.process.HasExited;

    public int ExitCode => this.process.ExitCode;

    /// <summary>Gets everything the child wrote so far (stdout, and stderr marked), for failure messages.</summary>
    public string Output => string.Join('\n', this.lines);

    /// <summary>Gets the output lines that start with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Lines(string prefix) => [.. this.lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>Starts <c>dotnet exec &lt;workloadName&gt;.dll arguments</c> and begins capturing its output.</summary>
    /// <param name="workloadName">The workload project's assembly name, e.g. <c>Workflows.Durable.CrashWorkload</c>.</param>
    /// <param name="arguments">The workload's own command-line arguments.</param>
    /// <param name="description">How failure messages name the child, e.g. "the crash workload".</param>
    /// <param name="isReadyLine">Whether an output line is the child's ready signal.</param>
    /// <param name="readyText">How failure messages name the ready signal, e.g. "READY".</param>
    /// <param name="onLine">Called with every stdout line after it was captured (before the ready check).</param>
    /// <param name="onExited">Called when the child exits.</param>
    public static CapturedChildProcess Start(
        string workloadName,
        IEnumerable<string> arguments,
        string description,
        Func<string, bool> isReadyLine,
        string readyText,
        Action<string>? onLine = null,
        Action? onExited = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(WorkloadDll(workloadName));
        foreach (string arg in arguments)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new CapturedChildProcess(process, description, isReadyLine, readyText, onLine, onExited);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, fromStdout: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data is null ? null : "stderr: " + e.Data, fromStdout: false);
        process.Exited += (_, _) => child.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName} {string.Join(' ', info.ArgumentList)}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the child printed its ready line.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await this.ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Waited {timeout.TotalSeconds:0} s for {this.description} (pid {this.Id}) to print {this.readyText}. Output:\n{this.Output}");
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

    /// <summary>Waits until the child exited and its output is drained.</summary>
    /// <returns>The child's exit code.</returns>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await this.process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"Waited {timeout.TotalSeconds:0} s for {this.description} (pid {this.Id}) to finish. Output:\n{this.Output}");
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

    private void OnLine(string? line, bool fromStdout)
    {
        if (line is null)
        {
            return;
        }

        this.lines.Enqueue(line);
        if (!fromStdout)
        {
            return;
        }

        if (this.isReadyLine(line))
        {
            this.ready.TrySetResult();
        }

        this.onLine?.Invoke(line);
    }

    private void OnExited()
    {
        string text = char.ToUpperInvariant(this.description[0]) + this.description[1..];
        this.ready.TrySetException(new InvalidOperationException($"{text} exited before it printed {this.readyText}."));
        this.onExited?.Invoke();
    }

    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it starts (dotnet test); otherwise take dotnet from PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static string WorkloadDll(string name)
    {
        string here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, name + ".runtimeconfig.json")))
        {
            return Path.Combine(here, name + ".dll");
        }

        // tests/<crash-test project>/bin/<Configuration>/net10.0/ → tests/<workload project>/bin/<Configuration>/net10.0/
        var dir = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        string framework = dir.Name;
        string configuration = dir.Parent!.Name;
        string testsDir = dir.Parent.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(testsDir, name, "bin", configuration, framework, name + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The crash workload was not built: neither {here} nor {dll} holds {name}.dll with its runtimeconfig.");
    }
}
