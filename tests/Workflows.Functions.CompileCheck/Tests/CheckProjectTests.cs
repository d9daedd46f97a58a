using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>The check itself: it compiles what the Functions project compiles, and its cron rule rejects bad schedules.</summary>
public partial class CheckProjectTests
{
    [Fact]
    public void ProjectReferences_SameAsFunctionsProject()
    {
        // Our references to shared libraries are added with a condition that follows the Functions project file; this
        // makes sure no other reference drifts (a library the Functions code uses but we do not compile against, or one
        // we reference that it does not).
        var functions = ProjectReferences(RepositoryFiles.ReadFunctionsFile("Workflows.Functions.csproj"));
        var check = ProjectReferences(RepositoryFiles.Read("tests", "Workflows.Functions.CompileCheck", "Workflows.Functions.CompileCheck.csproj"))
            .Where(r => functions.Contains(r) || !r.Equals("Workflows.Service", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(functions.Order(StringComparer.Ordinal), check.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionsSources_AllCompiledHere()
    {
        var sources = Directory.EnumerateFiles(RepositoryFiles.FunctionsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var compiledTypes = CompiledFunctions.FunctionsTypes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        // Each source file declares at least one type that is in this assembly (Program.cs: the generated Program class).
        var missing = sources
            .Where(f => !TypeDeclarations().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value).Append(Path.GetFileName(f) == "Program.cs" ? "Program" : "-").Any(compiledTypes.Contains))
            .Select(Path.GetFileName)
            .ToList();

        Assert.NotEmpty(sources);
        Assert.True(missing.Count == 0, "Functions sources whose types are not in the compiled check: " + string.Join(", ", missing));
    }

    [Fact]
    public void Stubs_NothingInternal()
    {
        // The checked sources live in the same assembly as the stubs, so an internal stub member would be callable here
        // but not against the real package. Stub members are public, protected or private only.
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var stubNamespaces = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "tests", "Workflows.Functions.CompileCheck", "Stubs"), "*.cs")
            .SelectMany(f => NamespaceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["ns"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var stubTypes = typeof(CheckProjectTests).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && stubNamespaces.Contains(ns))
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), false))
            .ToList();

        var internals = stubTypes.Where(t => !(t.IsPublic || t.IsNestedPublic)).Select(t => t.FullName!)
            .Concat(stubTypes.SelectMany(t => t.GetMembers(All)
                .Where(m => !m.IsDefined(typeof(CompilerGeneratedAttribute), false))
                .Where(m => m switch
                {
                    MethodBase method => method.IsAssembly || method.IsFamilyOrAssembly || method.IsFamilyAndAssembly,
                    FieldInfo field => field.IsAssembly || field.IsFamilyOrAssembly || field.IsFamilyAndAssembly,
                    _ => false,
                })
                .Select(m => $"{t.FullName}.{m.Name}")))
            .ToList();

        Assert.NotEmpty(stubTypes);
        Assert.True(internals.Count == 0, "Internal stub types or members: " + string.Join(", ", internals));
    }

    [Theory]
    [InlineData("0 0 2 1 1 *")]
    [InlineData("0 */15 * * * *")]
    [InlineData("*/30 * * * * *")]
    [InlineData("0 30 9 * JAN-MAR MON-FRI")]
    [InlineData("0 0 0,12 1-7 * 1/2")]
    public void SixFieldCron_ValidSchedules_Accepted(string cron)
    {
        Assert.Null(SixFieldCron.Problem(cron));
    }

    [Theory]
    [InlineData("0 */15 * * *")]
    [InlineData("0 0 2 1 1 * *")]
    [InlineData("0 0 24 * * *")]
    [InlineData("60 * * * * *")]
    [InlineData("0 0 0 0 * *")]
    [InlineData("0 0 0 * 13 *")]
    [InlineData("0 0 0 * * 7")]
    [InlineData("*/0 * * * * *")]
    [InlineData("0 0 5-2 * * *")]
    [InlineData("00:30:00")]
    [InlineData("")]
    public void SixFieldCron_InvalidSchedules_Rejected(string cron)
    {
        Assert.NotNull(SixFieldCron.Problem(cron));
    }

    private static HashSet<string> ProjectReferences(string project) =>
        ProjectReference().Matches(project).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"<ProjectReference\s+Include=""[^""]*?(?<name>[^/\\""]+)\.csproj""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"(?m)^namespace\s+(?<ns>[A-Za-z_][\w.]*)")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|record|interface|struct|enum)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclarations();
}
