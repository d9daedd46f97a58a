using System.Text.RegularExpressions;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>
/// A stub makes a package's types available to every source here, whether or not the Functions project references the
/// package; the real build would not find them. So: every package whose own namespace the Functions sources import is
/// referenced by the Functions project, directly or through the package that brings it.
/// </summary>
public partial class PackageReferenceTests
{
    /// <summary>Stubbed packages that reach the Functions project through another package it references.</summary>
    private static readonly Dictionary<string, string[]> BroughtBy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Azure.Functions.Worker.Core"] = ["Microsoft.Azure.Functions.Worker"],
        ["Microsoft.Azure.Functions.Worker.Extensions.Abstractions"] = ["Microsoft.Azure.Functions.Worker"],
        ["Microsoft.Azure.Functions.Worker.Extensions.Http"] = ["Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore"],
        ["Microsoft.DurableTask.Abstractions"] = ["Microsoft.Azure.Functions.Worker.Extensions.DurableTask"],
        ["Microsoft.DurableTask.Client"] = ["Microsoft.Azure.Functions.Worker.Extensions.DurableTask"],
        ["Azure.Core"] = ["Azure.Storage.Blobs", "Azure.Identity", "Azure.Data.Tables", "Microsoft.Azure.Functions.Worker"],
    };

    [Fact]
    public void PackagesWhoseNamespacesSourcesImport_ReferencedByFunctionsProject()
    {
        var stubs = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "tests", "Workflows.Functions.CompileCheck", "Stubs"), "*.cs")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => NamespaceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["ns"].Value).ToHashSet(StringComparer.Ordinal));
        var ownNamespaces = stubs
            .SelectMany(s => s.Value.Select(ns => (Package: s.Key, Namespace: ns)))
            .GroupBy(x => x.Namespace, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().Package, StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(RepositoryFiles.FunctionsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var referenced = PackageReference().Matches(RepositoryFiles.ReadFunctionsFile("Workflows.Functions.csproj"))
            .Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = new List<string>();
        foreach (var (ns, package) in ownNamespaces)
        {
            var users = sources.Where(s => Regex.IsMatch(s.Value, $@"(?m)^\s*(global\s+)?using\s+(\w+\s*=\s*)?{Regex.Escape(ns)}\s*;")).Select(s => s.Key).ToList();
            bool carried = referenced.Contains(package) || (BroughtBy.TryGetValue(package, out var carriers) && carriers.Any(referenced.Contains));
            if (users.Count > 0 && !carried)
            {
                missing.Add($"{package} (namespace {ns}, used by {string.Join(", ", users)})");
            }
        }

        Assert.True(missing.Count == 0, "src/Workflows.Functions uses packages its project file does not reference (the real build fails with CS0246): " + string.Join("; ", missing));
    }

    [GeneratedRegex(@"(?m)^namespace\s+(?<ns>[A-Za-z_][\w.]*)")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"<PackageReference\s+Include=""(?<name>[^""]+)""")]
    private static partial Regex PackageReference();
}
