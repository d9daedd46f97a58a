using System.Text.Json;
using Workflows.Durable;
using Workflows.Programmes;
using Workflows.Programmes.Azure;

namespace Workflows.Functions.Tests;

public class FunctionsCoverageTests
{
    private static readonly IReadOnlyList<DurableFunction> Functions = FunctionsSource.DurableFunctions(FunctionsSource.AllCode);

    private static readonly Type[] ProgrammeTypes = typeof(ProgrammeModules).Assembly.GetTypes();

    public static TheoryData<string> ScheduleNames => new() { "AnnualAssessments", "Instalments", "DeadlineSweep" };

    [Fact]
    public void Source_DurableFunctions_Found()
    {
        Assert.True(Functions.Count >= 10, $"Only {Functions.Count} orchestration/activity functions were recognised in {FunctionsSource.FunctionsFolder}; the source pattern no longer matches.");
    }

    [Fact]
    public void EveryOrchestratorClass_HasOrchestrationTriggerFunction()
    {
        var classes = ConcreteTypes(typeof(ITaskOrchestrator));
        var declared = Functions.Where(f => f.Trigger == "OrchestrationTrigger").Select(f => f.Method).ToHashSet(StringComparer.Ordinal);

        var missing = classes.Where(c => !declared.Contains(c)).ToList();

        Assert.True(missing.Count == 0, "Orchestrators without an [OrchestrationTrigger] function (method named after the class) in src/Workflows.Functions: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryActivityClass_HasActivityTriggerFunction()
    {
        var classes = ConcreteTypes(typeof(ITaskActivity));
        var declared = Functions.Where(f => f.Trigger == "ActivityTrigger").Select(f => f.Method).ToHashSet(StringComparer.Ordinal);

        var missing = classes.Where(c => !declared.Contains(c)).ToList();

        Assert.True(missing.Count == 0, "Activities without an [ActivityTrigger] function (method named after the class) in src/Workflows.Functions: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryRegisteredTaskName_IsAFunctionName()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;
        var orchestrations = Functions.Where(f => f.Trigger == "OrchestrationTrigger").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var activities = Functions.Where(f => f.Trigger == "ActivityTrigger").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        var missing = catalogue.OrchestratorNames.Where(n => !orchestrations.Contains(n))
            .Concat(catalogue.ActivityNames.Where(n => !activities.Contains(n)))
            .ToList();

        Assert.True(missing.Count == 0, "Registered task names with no [Function(\"name\")] in src/Workflows.Functions (orchestrators call tasks by these names): " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryFunction_DispatchesItsOwnRegisteredName()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;
        var known = catalogue.OrchestratorNames.Concat(catalogue.ActivityNames).ToHashSet(StringComparer.Ordinal);

        var wrong = Functions.Where(f => f.Dispatched != f.Name || !known.Contains(f.Name)).Select(f => $"{f.Method} ({f.Name} → {f.Dispatched})").ToList();

        Assert.True(wrong.Count == 0, "Functions whose name is not a registered task or that dispatch another name: " + string.Join(", ", wrong));
    }

    [Fact]
    public void TimerTriggers_AreOneMinuteScheduleTickAndOutbox()
    {
        var timers = FunctionsSource.TimerTriggers(FunctionsSource.AllCode).Order().ToList();

        Assert.Equal([("OutboxDispatch", "*/30 * * * * *"), ("Schedules", "0 * * * * *")], timers);
    }

    [Fact]
    public void TimerTriggers_RunOnePassOfTheSharedRunnerAndDispatcher()
    {
        var functions = FunctionsSource.HttpAndTimerFunctions(FunctionsSource.AllCode).ToDictionary(f => f.Name, f => f.Text);

        Assert.Contains("schedules.RunDueAsync(time.GetUtcNow(), cancellationToken)", functions["Schedules"], StringComparison.Ordinal);
        Assert.Contains("outbox.DispatchDueAsync(cancellationToken)", functions["OutboxDispatch"], StringComparison.Ordinal);
        Assert.DoesNotContain("%Workflows:Schedules:", FunctionsSource.AllCode, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void SampleSettings_HaveEachJobsCron_ForTheSharedRunner(string job)
    {
        Assert.False(string.IsNullOrWhiteSpace(SampleSettings()[$"Workflows__Schedules__{job}"]), $"Workflows__Schedules__{job} has no cron in local.settings.sample.json.");
    }

    [Fact]
    public void HttpAndTimerFunctions_AttachTheirDurableClientBeforeAnythingElse()
    {
        var functions = FunctionsSource.HttpAndTimerFunctions(FunctionsSource.AllCode);

        Assert.True(functions.Count >= 3, $"Only {functions.Count} HTTP/timer functions were recognised; the source pattern no longer matches.");
        Assert.All(functions, f =>
        {
            Assert.True(f.Text.Contains("[DurableClient] DurableTaskClient client", StringComparison.Ordinal), $"{f.Name} has no [DurableClient] DurableTaskClient client binding.");
            int attach = f.Text.IndexOf("bridge.Attach(client);", StringComparison.Ordinal);
            Assert.True(attach > 0, $"{f.Name} never calls bridge.Attach(client).");
            int body = f.Text.IndexOf("\n    {", StringComparison.Ordinal);
            Assert.True(body > 0 && body < attach, $"{f.Name}: no method body before bridge.Attach(client).");
            string beforeAttach = f.Text[body..attach];
            Assert.DoesNotContain("await ", beforeAttach, StringComparison.Ordinal);
            Assert.DoesNotContain("return ", beforeAttach, StringComparison.Ordinal);
            Assert.DoesNotContain("api.", beforeAttach, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void HostJson_RoutePrefixIsEmpty_SoPathsEqualTheEmbeddedHosts()
    {
        using var host = JsonDocument.Parse(FunctionsSource.Read("src", "Workflows.Functions", "host.json"));

        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void HostJson_TaskHubFromSetting_AndSampleSettingsHaveFunctionsKeys()
    {
        using var host = JsonDocument.Parse(FunctionsSource.Read("src", "Workflows.Functions", "host.json"));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var settings = SampleSettings();

        Assert.Equal("%Workflows:TaskHub%", durable.GetProperty("hubName").GetString());
        Assert.Equal("azureStorage", durable.GetProperty("storageProvider").GetProperty("type").GetString());
        Assert.Equal("UseDevelopmentStorage=true", settings["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.False(string.IsNullOrWhiteSpace(settings["Workflows__TaskHub"]));
    }

    [Fact]
    public void Project_PinsEveryPackageVersionItself()
    {
        string project = FunctionsSource.Read("src", "Workflows.Functions", "Workflows.Functions.csproj");
        var references = System.Text.RegularExpressions.Regex.Matches(project, "<PackageReference [^>]*>").Select(m => m.Value).ToList();

        Assert.Contains("<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>", project, StringComparison.Ordinal);
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Matches("Version=\"\\d+\\.\\d+\\.\\d+\"", r));
    }

    [Fact]
    public void Solution_DoesNotBuildFunctionsProject()
    {
        Assert.DoesNotContain("Workflows.Functions.csproj", FunctionsSource.Read("Workflows.sln"), StringComparison.Ordinal);
    }

    private static List<string> ConcreteTypes(Type contract) =>
        ProgrammeTypes
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && contract.IsAssignableFrom(t))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static Dictionary<string, string?> SampleSettings()
    {
        using var doc = JsonDocument.Parse(FunctionsSource.Read("local.settings.sample.json"));
        return doc.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }
}
