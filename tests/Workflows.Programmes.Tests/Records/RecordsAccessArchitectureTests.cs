using System.Text.RegularExpressions;

namespace Workflows.Programmes.Tests.RecordsAccess;

/// <summary>Every read and write of records.db goes through ProgrammeRecords (replication captures only those).</summary>
public sealed partial class RecordsAccessArchitectureTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Workflows.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"new\s+SqliteConnection\s*\(")]
    private static partial Regex NewConnection();

    internal static IEnumerable<string> Offences(string root, string srcFolder)
    {
        // ProgrammeRecords owns records.db; the replication layer under it (the replica and its changeset log) is the
        // records' own machinery; the durable runtime keeps its own database (durable.db).
        var allowed = Path.Combine(srcFolder, "Workflows.Programmes", "Records", "ProgrammeRecords.cs");
        var replication = Path.Combine(srcFolder, "Workflows.Programmes", "Records", "Replication") + Path.DirectorySeparatorChar;
        var durable = Path.Combine(srcFolder, "Workflows.Durable") + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(srcFolder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parts = Path.GetRelativePath(srcFolder, file).Split(Path.DirectorySeparatorChar);
            if (file == allowed || file.StartsWith(durable, StringComparison.Ordinal) || file.StartsWith(replication, StringComparison.Ordinal) || parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (NewConnection().IsMatch(lines[i]))
                {
                    yield return $"{Path.GetRelativePath(root, file).Replace('\\', '/')}:{i + 1}: {lines[i].Trim()}";
                }
            }
        }
    }

    [Fact]
    public void Src_OutsideProgrammeRecordsAndDurable_ConstructsNoSqliteConnection()
    {
        var root = RepoRoot();

        var offences = Offences(root, Path.Combine(root, "src")).ToList();

        Assert.True(offences.Count == 0,
            "Open records.db only through ProgrammeRecords.Transaction/TransactionAsync/Read/ReadAsync; found:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Offences_FileThatOpensItsOwnConnection_NamedWithFileAndLine()
    {
        var root = Path.Combine(Path.GetTempPath(), $"arch-{Environment.ProcessId}-{Path.GetRandomFileName()}");
        var src = Path.Combine(root, "src");
        try
        {
            Directory.CreateDirectory(Path.Combine(src, "Workflows.Service", "obj"));
            Directory.CreateDirectory(Path.Combine(src, "Workflows.Durable"));
            Directory.CreateDirectory(Path.Combine(src, "Workflows.Programmes", "Records", "Replication"));
            File.WriteAllText(Path.Combine(src, "Workflows.Programmes", "Records", "Replication", "Replica.cs"), "var c = new SqliteConnection(cs);\n");
            File.WriteAllText(Path.Combine(src, "Workflows.Programmes", "Records", "Db.cs"), "\n\nvar c = new  SqliteConnection (cs);\n");
            File.WriteAllText(Path.Combine(src, "Workflows.Service", "Sneaky.cs"), "class A\n{\n    void M() => new SqliteConnection(cs).Open();\n}\n");
            File.WriteAllText(Path.Combine(src, "Workflows.Service", "obj", "Generated.cs"), "var c = new SqliteConnection(cs);\n");
            File.WriteAllText(Path.Combine(src, "Workflows.Durable", "Store.cs"), "var c = new SqliteConnection(cs);\n");
            File.WriteAllText(Path.Combine(src, "Workflows.Programmes", "Records", "ProgrammeRecords.cs"), "var c = new SqliteConnection(cs);\n");

            var offences = Offences(root, src).ToList();

            Assert.Equal(
                ["src/Workflows.Programmes/Records/Db.cs:3: var c = new  SqliteConnection (cs);", "src/Workflows.Service/Sneaky.cs:3: void M() => new SqliteConnection(cs).Open();"],
                offences);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
