using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Durable;
using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Tests.Azure;

/// <summary>Orchestration payloads name their enums, so the management API shows words; older numeric payloads still read.</summary>
public sealed class ProgrammePayloadsTests
{
    [Fact]
    public void Converter_CallSettings_WritesEnumsByNameAndReadsOldNumbers()
    {
        var text = ProgrammePayloads.Converter.Serialize(new CallSettings { Aggregation = ScoreAggregation.Mean });

        Assert.Contains("\"aggregation\":\"Mean\"", text, StringComparison.Ordinal);
        Assert.Equal(ScoreAggregation.Mean, ProgrammePayloads.Converter.Deserialize<CallSettings>(text)!.Aggregation);
        var old = text!.Replace("\"aggregation\":\"Mean\"", "\"aggregation\":0", StringComparison.Ordinal);
        Assert.Equal(ScoreAggregation.Mean, ProgrammePayloads.Converter.Deserialize<CallSettings>(old)!.Aggregation);
    }

    [Fact]
    public void AddWorkflowsProgrammes_EmbeddedRuntime_UsesTheProgrammePayloads()
    {
        var services = new ServiceCollection();
        services.AddEmbeddedDurableTask(o => o.DatabasePath = "unused.db").AddWorkflowsProgrammes(o => o.RecordsDatabase = "unused-records.db");

        using var provider = services.BuildServiceProvider();

        Assert.Same(ProgrammePayloads.Converter, provider.GetRequiredService<IOptions<EmbeddedDurableTaskOptions>>().Value.DataConverter);
        Assert.NotSame(JsonDataConverter.Default, ProgrammePayloads.Converter);
    }
}
