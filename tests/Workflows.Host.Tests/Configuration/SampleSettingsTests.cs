using Microsoft.Extensions.Configuration;
using Workflows.Durable;
using Workflows.Host.Configuration;
using Workflows.Service.Configuration;

namespace Workflows.Host.Tests.Configuration;

/// <summary>The committed local.settings.sample.json documents the real defaults.</summary>
public sealed class SampleSettingsTests
{
    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "local.settings.sample.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("local.settings.sample.json was not found above the test output folder.");
    }

    private static IConfiguration Sample()
    {
        using var stream = File.OpenRead(SamplePath());
        var data = LocalSettingsConfigurationProvider.Parse(stream, "local.settings.sample.json");
        return new ConfigurationBuilder().AddInMemoryCollection(data).Build();
    }

    [Fact]
    public void Sample_HostSections_BindToTheDefaults()
    {
        var sample = Sample();

        var workflows = sample.GetSection(WorkflowsOptions.SectionName).Get<WorkflowsOptions>()!;
        var tokens = sample.GetSection(TokenOptions.SectionName).Get<TokenOptions>()!;
        var documents = sample.GetSection(DocumentOptions.SectionName).Get<DocumentOptions>()!;
        var idempotency = sample.GetSection(IdempotencyOptions.SectionName).Get<IdempotencyOptions>()!;

        Assert.Equal(new WorkflowsOptions().DataPath, workflows.DataPath);
        Assert.Equal(new TokenOptions().Issuer, tokens.Issuer);
        Assert.Equal(new TokenOptions().Audience, tokens.Audience);
        Assert.True(string.IsNullOrEmpty(tokens.SigningKey), "the sample must not carry a key");
        Assert.Equal(new DocumentOptions().MaxBytes, documents.MaxBytes);
        Assert.Equal(new DocumentOptions().AllowedContentTypes, documents.AllowedContentTypes);
        Assert.Equal(new IdempotencyOptions().Retention, idempotency.Retention);
    }

    [Fact]
    public void Sample_DurableSection_BindsToTheRuntimeDefaults()
    {
        var durable = Sample().GetSection("Workflows:Durable").Get<EmbeddedDurableTaskOptions>()!;
        var defaults = new EmbeddedDurableTaskOptions();

        Assert.Equal(defaults.Synchronous, durable.Synchronous);
        Assert.Equal(defaults.MaxConcurrentOrchestrations, durable.MaxConcurrentOrchestrations);
        Assert.Equal(defaults.MaxConcurrentActivities, durable.MaxConcurrentActivities);
    }

    [Fact]
    public void Sample_EveryHostKey_IsAnOptionProperty()
    {
        var known = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [WorkflowsOptions.SectionName] = typeof(WorkflowsOptions),
            [TokenOptions.SectionName] = typeof(TokenOptions),
            [DocumentOptions.SectionName] = typeof(DocumentOptions),
            [IdempotencyOptions.SectionName] = typeof(IdempotencyOptions),
            ["Workflows:Durable"] = typeof(EmbeddedDurableTaskOptions),
            [Workflows.Service.Jobs.JobsOptions.SectionName] = typeof(Workflows.Service.Jobs.JobsOptions),
        };

        // Keys read only by the Azure Functions host (src/Workflows.Functions); the embedded host ignores them.
        var functionsOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "Workflows:TaskHub", "Workflows:Documents:BlobContainer" };

        foreach (var (key, _) in Sample().AsEnumerable().Where(p => p.Value is not null && !p.Key.StartsWith('_') && !functionsOnly.Contains(p.Key)))
        {
            var section = key[..key.LastIndexOf(':')];
            var property = key[(key.LastIndexOf(':') + 1)..];
            if (known.TryGetValue(section, out var type))
            {
                Assert.True(type.GetProperty(property) is not null, $"{key} is not a property of {type.Name}");
            }
        }
    }
}
