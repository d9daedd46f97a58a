using Workflows.Durable;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Azure;

namespace Workflows.Programmes.Tests.Azure;

public class ProgrammeTaskCatalogueTests
{
    [Fact]
    public void Default_KnownModules_ListsRegisteredNames()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;

        Assert.Contains(ClaimWindowOrchestrator.Name, catalogue.OrchestratorNames);
        Assert.Contains(nameof(ProgrammeCallOrchestrator), catalogue.OrchestratorNames);
        Assert.Contains(ClaimWindowOrchestrator.LapseActivity, catalogue.ActivityNames);
        Assert.Contains(nameof(LoadCallActivity), catalogue.ActivityNames);
    }

    [Fact]
    public void Default_EveryOrchestratorClass_IsRegistered()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;
        var created = catalogue.OrchestratorNames.Select(n => catalogue.CreateOrchestrator(n, new NoServices()).GetType()).ToHashSet();
        var classes = typeof(ProgrammeModules).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITaskOrchestrator).IsAssignableFrom(t))
            .ToList();

        Assert.NotEmpty(classes);
        Assert.Empty(classes.Where(t => !created.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void CreateOrchestrator_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => ProgrammeTaskCatalogue.Default.CreateOrchestrator("Nope", new NoServices()));

        Assert.Contains("'Nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ClaimWindowOrchestrator.Name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateActivity_UnknownName_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => ProgrammeTaskCatalogue.Default.CreateActivity("Nope", new NoServices()));
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
