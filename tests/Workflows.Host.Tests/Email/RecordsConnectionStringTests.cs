using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Workflows.Service.Email;

namespace Workflows.Host.Tests.Email;

public sealed class RecordsConnectionStringTests
{
    [Fact]
    public void ForFile_FolderMissing_CreatesItAndNamesTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"records-{Environment.ProcessId}-{Path.GetRandomFileName()}", "nested");
        try
        {
            var cs = RecordsConnectionString.ForFile(Path.Combine(folder, "records.db"));

            Assert.True(Directory.Exists(folder));
            var builder = new SqliteConnectionStringBuilder(cs);
            Assert.Equal(Path.Combine(folder, "records.db"), builder.DataSource);
            Assert.Equal(30, builder.DefaultTimeout);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void Resolve_SettingPresent_UsedAsIs_ElseDefault()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Records"] = "Data Source=:memory:" }).Build();
        Assert.Equal("Data Source=:memory:", RecordsConnectionString.Resolve(configured));
        Assert.Equal("Data Source=app_data/records.db", RecordsConnectionString.Default);
    }
}
