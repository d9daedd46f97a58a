using Microsoft.Azure.Functions.Worker;
using Workflows.Programmes.Azure;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>Every task Workflows.Programmes registers has exactly one function of its name with the right trigger.</summary>
public class DurableFunctionsTests
{
    public static TheoryData<string> OrchestratorNames => [.. ProgrammeTaskCatalogue.Default.OrchestratorNames];

    public static TheoryData<string> ActivityNames => [.. ProgrammeTaskCatalogue.Default.ActivityNames];

    [Theory]
    [MemberData(nameof(OrchestratorNames))]
    public void RegisteredOrchestrator_ExactlyOneOrchestrationTriggerFunction(string name)
    {
        var named = CompiledFunctions.All.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();

        var function = Assert.Single(named);
        var trigger = function.TriggerAs<OrchestrationTriggerAttribute>();
        Assert.True(trigger is not null, $"Function '{name}' ({function.Where}) must take its context with [OrchestrationTrigger]; it has {function.Trigger?.GetType().Name ?? "no trigger"}.");
        Assert.Equal(typeof(Microsoft.DurableTask.TaskOrchestrationContext), function.TriggerParameter!.ParameterType);
        Assert.True(trigger.Orchestration is null || string.Equals(trigger.Orchestration, name, StringComparison.OrdinalIgnoreCase), $"[OrchestrationTrigger(Orchestration = \"{trigger.Orchestration}\")] on '{name}' renames the orchestration.");
    }

    [Theory]
    [MemberData(nameof(ActivityNames))]
    public void RegisteredActivity_ExactlyOneActivityTriggerFunction(string name)
    {
        var named = CompiledFunctions.All.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();

        var function = Assert.Single(named);
        var trigger = function.TriggerAs<ActivityTriggerAttribute>();
        Assert.True(trigger is not null, $"Function '{name}' ({function.Where}) must take its input with [ActivityTrigger]; it has {function.Trigger?.GetType().Name ?? "no trigger"}.");
        Assert.True(trigger.Activity is null || string.Equals(trigger.Activity, name, StringComparison.OrdinalIgnoreCase), $"[ActivityTrigger(Activity = \"{trigger.Activity}\")] on '{name}' renames the activity.");
    }

    [Fact]
    public void EveryDurableTriggerFunction_NamesARegisteredTaskOfItsKind()
    {
        var catalogue = ProgrammeTaskCatalogue.Default;
        var orchestrators = catalogue.OrchestratorNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var activities = catalogue.ActivityNames.ToHashSet(StringComparer.OrdinalIgnoreCase);

        var stray = CompiledFunctions.WithTrigger<OrchestrationTriggerAttribute>().Where(f => !orchestrators.Contains(f.Name))
            .Concat(CompiledFunctions.WithTrigger<ActivityTriggerAttribute>().Where(f => !activities.Contains(f.Name)))
            .Select(f => $"'{f.Name}' ({f.Where}, {f.Trigger!.GetType().Name})")
            .ToList();

        Assert.True(stray.Count == 0, "Durable functions whose name is not registered as a task of that kind (the dispatcher throws KeyNotFoundException at run time): " + string.Join(", ", stray));
    }

    [Fact]
    public void DurableFunctions_ReturnTaskOfOutput()
    {
        var wrong = CompiledFunctions.WithTrigger<OrchestrationTriggerAttribute>()
            .Concat(CompiledFunctions.WithTrigger<ActivityTriggerAttribute>())
            .Where(f => f.Method.ReturnType != typeof(Task<object?>))
            .Select(f => $"{f.Where} returns {f.Method.ReturnType.Name}")
            .ToList();

        Assert.True(wrong.Count == 0, "Orchestrator and activity functions return the task's output as Task<object?>: " + string.Join(", ", wrong));
    }
}
