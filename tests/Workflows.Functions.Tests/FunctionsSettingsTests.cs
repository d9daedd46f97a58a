using Microsoft.Extensions.Configuration;

namespace Workflows.Functions.Tests;

public class FunctionsSettingsTests
{
    private static readonly Func<string, string?> OnAzure = name => name == FunctionsSettings.AzureInstanceVariable ? "b1c2d3e4f5" : null;

    private static readonly Func<string, string?> Local = _ => null;

    private static readonly (string, string) FileStore = (FunctionsSettings.RecordsStoreKey, "File");

    [Fact]
    public void Records_UnsetOnAzure_IsTables()
    {
        Assert.Equal(RecordsStore.Tables, FunctionsSettings.Records(Settings(), OnAzure));
    }

    [Fact]
    public void Records_UnsetLocally_IsFile()
    {
        Assert.Equal(RecordsStore.File, FunctionsSettings.Records(Settings(), Local));
    }

    [Theory]
    [InlineData("Tables", RecordsStore.Tables)]
    [InlineData("tables", RecordsStore.Tables)]
    [InlineData("File", RecordsStore.File)]
    [InlineData(" FILE ", RecordsStore.File)]
    public void Records_Set_IsTheNamedStoreOnAzureAndLocally(string value, RecordsStore expected)
    {
        var config = Settings((FunctionsSettings.RecordsStoreKey, value));

        Assert.Equal(expected, FunctionsSettings.Records(config, OnAzure));
        Assert.Equal(expected, FunctionsSettings.Records(config, Local));
    }

    [Theory]
    [InlineData("Blob")]
    [InlineData("Table")]
    [InlineData("SQLite")]
    public void Records_OtherValue_FailsQuotingItAndNamingBothStores(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.Records(Settings((FunctionsSettings.RecordsStoreKey, value)), Local));

        Assert.StartsWith($"'Workflows:Records:Store' is '{value}'; it must be 'Tables'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("or 'File'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsTable_Unset_IsRecords()
    {
        Assert.Equal("records", FunctionsSettings.RecordsTable(Settings()));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("Records2026")]
    [InlineData("wfRecordsDev")]
    public void RecordsTable_ValidName_IsReturned(string name)
    {
        Assert.Equal(name, FunctionsSettings.RecordsTable(Settings((FunctionsSettings.RecordsTableKey, name))));
    }

    [Fact]
    public void RecordsTable_SixtyThreeCharacters_IsTheLongestAccepted()
    {
        string longest = "r" + new string('9', 62);

        Assert.Equal(longest, FunctionsSettings.RecordsTable(Settings((FunctionsSettings.RecordsTableKey, longest))));
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.RecordsTable(Settings((FunctionsSettings.RecordsTableKey, longest + "9"))));
        Assert.Contains("it has 64 characters, and a table name has 3 to 63", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab", "it has 2 characters, and a table name has 3 to 63")]
    [InlineData("records-log", "only letters and digits")]
    [InlineData("records_log", "only letters and digits")]
    [InlineData("记录表abc", "only letters and digits")]
    [InlineData("1records", "starts with a letter")]
    [InlineData("Tables", "'tables' is reserved")]
    public void RecordsTable_InvalidName_FailsQuotingItAndNamingTheRule(string name, string rule)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.RecordsTable(Settings((FunctionsSettings.RecordsTableKey, name))));

        Assert.StartsWith($"'Workflows:Records:Table' is '{name}', which Azure Table Storage refuses:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsLocalCopy_UnsetOnAzure_IsUnderTempPerInstance()
    {
        string path = FunctionsSettings.RecordsLocalCopy(Settings(), OnAzure);

        Assert.Equal(Path.Combine(Path.GetFullPath(Path.GetTempPath()), "workflows-records", "b1c2d3e4f5", "records.db"), path);
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)), "The local copy's folder was not created.");
    }

    [Fact]
    public void RecordsLocalCopy_UnsetLocally_IsUnderTempLocal()
    {
        string path = FunctionsSettings.RecordsLocalCopy(Settings(), Local);

        Assert.Equal(Path.Combine(Path.GetFullPath(Path.GetTempPath()), "workflows-records", "local", "records.db"), path);
    }

    [Fact]
    public void RecordsLocalCopy_Set_IsThatFileWithItsFolderCreated()
    {
        string folder = Path.Combine(Path.GetTempPath(), "wf-functions-" + Guid.NewGuid().ToString("N"));
        try
        {
            string file = Path.Combine(folder, "copy", "r.db");

            Assert.Equal(file, FunctionsSettings.RecordsLocalCopy(Settings((FunctionsSettings.RecordsLocalCopyPathKey, file)), OnAzure));
            Assert.True(Directory.Exists(Path.Combine(folder, "copy")), "The local copy's folder was not created.");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void InstanceId_OnAzure_IsTheInstanceVariable()
    {
        Assert.Equal("b1c2d3e4f5", FunctionsSettings.InstanceId(OnAzure));
        Assert.Equal(Environment.MachineName, FunctionsSettings.InstanceId(Local));
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_LocalMachine_Allowed()
    {
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings(), Local);
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings(FileStore), Local);
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_AzureDefault_AllowedWithoutOptIn()
    {
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings(), OnAzure);
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings((FunctionsSettings.RecordsStoreKey, "Tables"), (FunctionsSettings.AllowInstanceLocalDatabase, "false")), OnAzure);
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_TablesWithBadTableName_Fails()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            FunctionsSettings.EnsureRecordsStorageAllowed(Settings((FunctionsSettings.RecordsTableKey, "my-records")), OnAzure));

        Assert.Contains("'Workflows:Records:Table' is 'my-records'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_BadStore_FailsEvenLocally()
    {
        Assert.Throws<InvalidOperationException>(() => FunctionsSettings.EnsureRecordsStorageAllowed(Settings((FunctionsSettings.RecordsStoreKey, "Blobs")), Local));
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_FileOnAzureWithoutOptIn_FailsNamingTheRiskTablesAndTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.EnsureRecordsStorageAllowed(Settings(FileStore), OnAzure));

        Assert.Contains("records.db", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lost when an instance is recycled", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set 'Workflows:Records:Store' to 'Tables'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Workflows:Records:AllowInstanceLocalDatabase", ex.Message, StringComparison.Ordinal);
        Assert.Contains("docs/azure-records.md", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("")]
    public void EnsureRecordsStorageAllowed_FileOnAzureWithOtherValue_FailsQuotingIt(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            FunctionsSettings.EnsureRecordsStorageAllowed(Settings(FileStore, (FunctionsSettings.AllowInstanceLocalDatabase, value)), OnAzure));

        Assert.EndsWith($"it is '{value}'.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void EnsureRecordsStorageAllowed_FileOnAzureWithOptIn_Allowed(string value)
    {
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings(FileStore, (FunctionsSettings.AllowInstanceLocalDatabase, value)), OnAzure);
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_OptInKey_IsTheDoubleUnderscoreKeyOfTheSampleSettings()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(FunctionsSource.Read("local.settings.sample.json"));
        var values = doc.RootElement.GetProperty("Values");

        Assert.True(values.TryGetProperty(FunctionsSettings.AllowInstanceLocalDatabase.Replace(":", "__", StringComparison.Ordinal), out var sample));
        Assert.Equal("false", sample.GetString());
    }

    [Fact]
    public void EnsureSigningKeyConfigured_AzureWithoutKey_FailsNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.EnsureSigningKeyConfigured(Settings((FunctionsSettings.SigningKey, " ")), OnAzure));

        Assert.Contains("'Workflows:Auth:SigningKey' is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("same key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureSigningKeyConfigured_AzureWithKey_Allowed()
    {
        FunctionsSettings.EnsureSigningKeyConfigured(Settings((FunctionsSettings.SigningKey, Convert.ToBase64String(new byte[32]))), OnAzure);
    }

    [Fact]
    public void EnsureSigningKeyConfigured_LocalWithoutKey_Allowed()
    {
        FunctionsSettings.EnsureSigningKeyConfigured(Settings(), Local);
    }

    [Fact]
    public void RecordsDatabase_DataPathSet_IsRecordsDbInsideIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), "wf-functions-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = FunctionsSettings.RecordsDatabase(Settings((FunctionsSettings.DataPath, folder)));

            Assert.Equal(Path.Combine(folder, "records.db"), path);
            Assert.True(Directory.Exists(folder), "The data folder was not created.");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
