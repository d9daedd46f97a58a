using System.Text.RegularExpressions;

namespace Workflows.Functions.Tests;

/// <summary>The text of src/Workflows.Functions and the repository files it must agree with.</summary>
internal static partial class FunctionsSource
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string FunctionsFolder => Path.Combine(RepositoryRoot, "src", "Workflows.Functions");

    public static string AllCode => string.Join(
        "\n",
        Directory.EnumerateFiles(FunctionsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText));

    public static string Read(params string[] relative) => File.ReadAllText(Path.Combine([RepositoryRoot, .. relative]));

    /// <summary>Durable functions declared as <c>[Function("name")] public … Method([Trigger] …) => dispatcher.RunXAsync("name", …)</c>.</summary>
    public static IReadOnlyList<DurableFunction> DurableFunctions(string code) =>
        DurableFunctionPattern().Matches(code)
            .Select(m => new DurableFunction(m.Groups["name"].Value, m.Groups["method"].Value, m.Groups["trigger"].Value, m.Groups["dispatched"].Value))
            .ToList();

    /// <summary>Timer triggers as (function name, schedule expression).</summary>
    public static IReadOnlyList<(string Function, string Schedule)> TimerTriggers(string code) =>
        TimerPattern().Matches(code).Select(m => (m.Groups["name"].Value, m.Groups["schedule"].Value)).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Workflows.sln above {AppContext.BaseDirectory}: the test reads the repository's source.");
    }

    [GeneratedRegex(""""\[Function\("(?<name>[^"]+)"\)\]\s*public\s+[^(]*?\s(?<method>\w+)\(\s*\[(?<trigger>OrchestrationTrigger|ActivityTrigger)\][^;]*?Run(?:Orchestrator|Activity)Async\("(?<dispatched>[^"]+)"""")]
    private static partial Regex DurableFunctionPattern();

    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]\s*public\s+[^(]*?\s\w+\(\s*\[TimerTrigger\("(?<schedule>[^"]+)"\)\]""")]
    private static partial Regex TimerPattern();
}

internal sealed record DurableFunction(string Name, string Method, string Trigger, string Dispatched);
