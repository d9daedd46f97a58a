using System.Diagnostics;
using Workflows.Cli;
using Workflows.Policies;

namespace Workflows.Cli.Tests;

/// <summary>Runs the CLI in-process (captured stdout/stderr) or as a real process, and writes input files.</summary>
internal static class CliRunner
{
    /// <summary>The 004 and 001 catalogue files only, so other seeds' files in progress cannot change these tests.</summary>
    public static readonly IReadOnlyList<CatalogueSource> Sources =
        [.. ProgrammeCatalogue.EmbeddedSources().Where(s => s.Name.StartsWith("Catalogue/004-", StringComparison.Ordinal) || s.Name.StartsWith("Catalogue/001-", StringComparison.Ordinal))];

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApp.Run(args, output, error, Sources);
        return (exit, output.ToString(), error.ToString());
    }

    public static (int Exit, string Out, string Err) RunProcess(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "workflows.dll");
        Assert.True(File.Exists(dll), $"the built CLI was not found at {dll}");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "waited 60 s for the workflows process to exit");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A temporary file deleted on dispose.</summary>
    public sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"workflows-cli-{Environment.ProcessId}-{Interlocked.Increment(ref counter)}.json");
            File.WriteAllText(Path, content);
        }

        private static int counter;

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
