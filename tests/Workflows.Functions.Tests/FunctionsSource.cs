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

    /// <summary>The value of <c>HttpFunctions.CatchAllRoute</c>.</summary>
    public static string CatchAllRoute() =>
        CatchAllRoutePattern().Match(AllCode) is { Success: true } m
            ? m.Groups["route"].Value
            : throw new InvalidOperationException("No `const string CatchAllRoute = \"...\";` in src/Workflows.Functions.");

    /// <summary>HTTP triggers as (authorization level, methods, route expression).</summary>
    public static IReadOnlyList<HttpTrigger> HttpTriggers(string code) =>
        HttpTriggerPattern().Matches(code)
            .Select(m => new HttpTrigger(
                m.Groups["level"].Value,
                m.Groups["methods"].Captures.Select(c => c.Value).ToList(),
                m.Groups["route"].Value))
            .ToList();

    /// <summary>
    /// Every <c>[Function]</c> whose trigger is HTTP or a timer, with the text from its attribute to the next function
    /// (its signature and body).
    /// </summary>
    public static IReadOnlyList<(string Name, string Text)> HttpAndTimerFunctions(string code)
    {
        var starts = FunctionStartPattern().Matches(code).ToList();
        var result = new List<(string, string)>();
        for (int i = 0; i < starts.Count; i++)
        {
            int end = i + 1 < starts.Count ? starts[i + 1].Index : code.Length;
            string text = code[starts[i].Index..end];
            int arrow = text.IndexOf("=>", StringComparison.Ordinal);
            int brace = text.IndexOf("\n    {", StringComparison.Ordinal);
            int bodyStart = new[] { arrow, brace, text.Length }.Where(x => x >= 0).Min();
            string signature = text[..bodyStart];
            if (signature.Contains("[HttpTrigger(", StringComparison.Ordinal) || signature.Contains("[TimerTrigger(", StringComparison.Ordinal))
            {
                result.Add((starts[i].Groups["name"].Value, text));
            }
        }

        return result;
    }

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

    [GeneratedRegex("""const string CatchAllRoute = "(?<route>[^"]+)";""")]
    private static partial Regex CatchAllRoutePattern();

    [GeneratedRegex("""\[HttpTrigger\(AuthorizationLevel\.(?<level>\w+)(?:,\s*"(?<methods>\w+)")*,\s*Route\s*=\s*(?<route>[^)]+?)\)\]""")]
    private static partial Regex HttpTriggerPattern();

    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]""")]
    private static partial Regex FunctionStartPattern();
}

internal sealed record DurableFunction(string Name, string Method, string Trigger, string Dispatched);

internal sealed record HttpTrigger(string Level, IReadOnlyList<string> Methods, string Route);
