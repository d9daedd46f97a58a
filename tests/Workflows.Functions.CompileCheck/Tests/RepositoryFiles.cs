using System.Reflection;
using System.Text.Json;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>Files of the repository the checks compare the compiled functions with.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>The src/Workflows.Functions folder that was compiled into this assembly (-p:FunctionsSourceDir=, default the repository's).</summary>
    public static string FunctionsFolder { get; } = Path.GetFullPath(
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "FunctionsSourceDir")?.Value
        ?? Path.Combine(Root, "src", "Workflows.Functions"));

    public static string Read(params string[] parts) => File.ReadAllText(Path.Combine([Root, .. parts]));

    public static string ReadFunctionsFile(string name) => File.ReadAllText(Path.Combine(FunctionsFolder, name));

    /// <summary>The "Values" of local.settings.sample.json (the one settings file of both hosts), by key.</summary>
    public static IReadOnlyDictionary<string, string?> SampleSettings()
    {
        using var doc = JsonDocument.Parse(Read("local.settings.sample.json"));
        return doc.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(), StringComparer.OrdinalIgnoreCase);
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

        throw new InvalidOperationException($"No Workflows.sln above {AppContext.BaseDirectory}; the checks read the repository's files.");
    }
}
