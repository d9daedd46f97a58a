using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Service.Configuration;
using Workflows.Host.Data;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Configuration;

public sealed class HostSettingsTests
{
    [Fact]
    public void Start_InvalidDocumentLimit_FailsWithTheValidationMessage()
    {
        using var factory = new WorkflowsHostFactory();
        factory.Settings["Workflows:Documents:MaxBytes"] = "-5";

        var ex = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Workflows:Documents:MaxBytes must be between 1 and 1073741824 bytes; got -5.", ex.Message);
    }

    [Fact]
    public void Start_LocalSettingsInContentRoot_AreRead()
    {
        using var factory = new ContentRootFactory();
        File.WriteAllText(Path.Combine(factory.ContentRoot, "local.settings.json"), """
            { "IsEncrypted": false, "Values": { "Workflows__Documents__MaxBytes": "4096", "Workflows:Auth:Issuer": "from-local-settings" } }
            """);
        _ = factory.CreateClient();

        Assert.Equal(4096, factory.Services.GetRequiredService<IOptions<DocumentOptions>>().Value.MaxBytes);
        Assert.Equal("from-local-settings", factory.Services.GetRequiredService<TokenSettings>().Issuer);
    }

    [Fact]
    public void Start_RelativeDataPath_IsResolvedAgainstTheContentRootAndCreated()
    {
        using var factory = new ContentRootFactory();
        factory.Settings["Workflows:DataPath"] = "./nested/app_data";
        _ = factory.CreateClient();

        var expected = Path.Combine(factory.ContentRoot, "nested", "app_data");
        Assert.Equal(expected, factory.Services.GetRequiredService<DataFolder>().Root);
        Assert.True(File.Exists(Path.Combine(expected, "records.db")), "records.db is created at start");
        Assert.True(File.Exists(Path.Combine(expected, SigningKeyStore.KeyFileName)), "the signing key is generated at first run");
    }

    [Fact]
    public void Start_ConfiguredSigningKey_IsUsedAndNoKeyFileIsWritten()
    {
        using var factory = new WorkflowsHostFactory();
        var key = TokenSigningKey.Generate();
        factory.Settings["Workflows:Auth:SigningKey"] = key.ToBase64();
        _ = factory.CreateClient();

        Assert.False(File.Exists(Path.Combine(factory.DataPath, SigningKeyStore.KeyFileName)));
        var issuer = new DevTokenIssuer(key, TokenSettings.Default, factory.Clock);
        var validator = factory.Services.GetRequiredService<TokenValidator>();
        Assert.True(validator.Validate(issuer.Issue(new TokenClaims("u1", [WorkflowRoles.Admin]), TimeSpan.FromHours(1))).Succeeded);
    }

    [Fact]
    public void Start_ProgrammeLibrary_IsWiredToTheDataFolder()
    {
        using var factory = new WorkflowsHostFactory();
        _ = factory.CreateClient();

        Assert.NotNull(factory.Services.GetRequiredService<Workflows.Programmes.Operations.ProgrammeOperations>());
        var records = factory.Services.GetRequiredService<Workflows.Programmes.Records.ProgrammeRecords>();
        Assert.Same(records, factory.Services.GetRequiredService<Workflows.Programmes.ProgrammeServices>().Records);
        Assert.Contains(Path.Combine(factory.DataPath, "records.db"), records.ConnectionString);
    }

    private sealed class ContentRootFactory : WorkflowsHostFactory
    {
        public ContentRootFactory() => Directory.CreateDirectory(ContentRoot);

        public string ContentRoot { get; } = Path.Combine(Path.GetTempPath(), "workflows-root-" + Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseContentRoot(ContentRoot);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (Directory.Exists(ContentRoot))
            {
                Directory.Delete(ContentRoot, recursive: true);
            }
        }
    }
}
