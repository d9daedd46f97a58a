using System.Text;
using Microsoft.Extensions.Configuration;
using Workflows.Host.Configuration;
using Workflows.Service.Configuration;

namespace Workflows.Host.Tests.Configuration;

public sealed class LocalSettingsConfigurationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "workflows-settings-" + Guid.NewGuid().ToString("N"));

    public LocalSettingsConfigurationTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, string?> Parse(string json) =>
        LocalSettingsConfigurationProvider.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "local.settings.json");

    [Fact]
    public void Parse_ColonAndDoubleUnderscoreKeys_BecomeTheSameSections()
    {
        var data = Parse("""
            { "IsEncrypted": false,
              "Values": { "Workflows:DataPath": "./d", "Workflows__Documents__MaxBytes": 1024, "Workflows__Flag": true, "Empty": null },
              "ConnectionStrings": { "Records": "Data Source=x.db" } }
            """);

        Assert.Equal("./d", data["Workflows:DataPath"]);
        Assert.Equal("1024", data["Workflows:Documents:MaxBytes"]);
        Assert.Equal("true", data["Workflows:Flag"]);
        Assert.Null(data["Empty"]);
        Assert.Equal("Data Source=x.db", data["ConnectionStrings:Records"]);
    }

    [Fact]
    public void Parse_EncryptedFile_FailsNamingTheFlag()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("""{ "IsEncrypted": true, "Values": {} }"""));
        Assert.Contains("\"IsEncrypted\": true", ex.Message);
    }

    [Fact]
    public void Parse_NestedValue_FailsNamingTheKey()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("""{ "Values": { "Workflows": { "DataPath": "x" } } }"""));
        Assert.Contains("\"Values\".\"Workflows\"", ex.Message);
        Assert.Contains("flat", ex.Message);
    }

    [Fact]
    public void Parse_NotJson_FailsNamingTheFile()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("{ Values: "));
        Assert.StartsWith("local.settings.json is not valid JSON", ex.Message);
    }

    [Fact]
    public void Parse_ArrayRoot_FailsWithTheExpectedShape()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("[1]"));
        Assert.Contains("\"IsEncrypted\": false", ex.Message);
    }

    [Fact]
    public void AddLocalSettings_AfterAppSettings_OverridesAppSettings()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            { "Order": { "FromAppSettings": "app", "Both": "app" } }
            """);
        File.WriteAllText(Path.Combine(_folder, LocalSettingsExtensions.FileName), """
            { "IsEncrypted": false, "Values": { "Order__Both": "local", "Order:OnlyLocal": "local" } }
            """);
        var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(_folder, "appsettings.json"));
        builder.AddLocalSettings(_folder);
        var configuration = builder.Build();

        Assert.Equal("app", configuration["Order:FromAppSettings"]);
        Assert.Equal("local", configuration["Order:Both"]);
        Assert.Equal("local", configuration["Order:OnlyLocal"]);
    }

    [Fact]
    public void AddLocalSettings_EnvironmentVariable_WinsOverLocalSettings()
    {
        var name = "WorkflowsTestOrder" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(_folder, LocalSettingsExtensions.FileName), $$"""
            { "Values": { "{{name}}__Key": "local", "{{name}}__Other": "local" } }
            """);
        Environment.SetEnvironmentVariable(name + "__Key", "env");
        try
        {
            var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(_folder, "missing.json"), optional: true).AddEnvironmentVariables();
            builder.AddLocalSettings(_folder);
            var configuration = builder.Build();

            Assert.Equal("env", configuration[name + ":Key"]);
            Assert.Equal("local", configuration[name + ":Other"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name + "__Key", null);
        }
    }

    [Fact]
    public void AddLocalSettings_NoFile_AddsNothing()
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["A"] = "1" });
        builder.AddLocalSettings(_folder);
        var configuration = builder.Build();

        Assert.Equal("1", configuration["A"]);
        Assert.Single(configuration.AsEnumerable());
    }
}
