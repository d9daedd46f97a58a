using Microsoft.Extensions.Configuration;

namespace Workflows.Functions.Tests;

public class FunctionsSettingsTests
{
    private static readonly Func<string, string?> OnAzure = name => name == FunctionsSettings.AzureInstanceVariable ? "b1c2d3e4f5" : null;

    private static readonly Func<string, string?> Local = _ => null;

    [Fact]
    public void EnsureRecordsStorageAllowed_LocalMachine_Allowed()
    {
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings(), Local);
    }

    [Fact]
    public void EnsureRecordsStorageAllowed_AzureWithoutOptIn_FailsNamingTheRiskAndTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionsSettings.EnsureRecordsStorageAllowed(Settings(), OnAzure));

        Assert.Contains("records.db", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lost when an instance is recycled", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Workflows:Records:AllowInstanceLocalDatabase", ex.Message, StringComparison.Ordinal);
        Assert.Contains("docs/azure-records.md", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("")]
    public void EnsureRecordsStorageAllowed_AzureWithOtherValue_FailsQuotingIt(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            FunctionsSettings.EnsureRecordsStorageAllowed(Settings((FunctionsSettings.AllowInstanceLocalDatabase, value)), OnAzure));

        Assert.EndsWith($"it is '{value}'.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void EnsureRecordsStorageAllowed_AzureWithOptIn_Allowed(string value)
    {
        FunctionsSettings.EnsureRecordsStorageAllowed(Settings((FunctionsSettings.AllowInstanceLocalDatabase, value)), OnAzure);
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
