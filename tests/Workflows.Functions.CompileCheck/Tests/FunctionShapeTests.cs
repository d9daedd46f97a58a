using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>Rules every [Function] method must follow for the isolated worker to index and run it.</summary>
public partial class FunctionShapeTests
{
    [Fact]
    public void CompiledFunctions_Found_OrchestrationActivityHttpAndTimer()
    {
        Assert.NotEmpty(CompiledFunctions.WithTrigger<OrchestrationTriggerAttribute>());
        Assert.NotEmpty(CompiledFunctions.WithTrigger<ActivityTriggerAttribute>());
        Assert.NotEmpty(CompiledFunctions.WithTrigger<HttpTriggerAttribute>());
        Assert.NotEmpty(CompiledFunctions.WithTrigger<TimerTriggerAttribute>());
    }

    [Fact]
    public void FunctionNames_UniqueIgnoringCase()
    {
        // The Functions host treats function names case-insensitively; a duplicate fails the whole app at start-up.
        var duplicates = CompiledFunctions.All
            .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' on {string.Join(" and ", g.Select(f => f.Where))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "Function names used more than once: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void FunctionNames_ValidHostFunctionNames()
    {
        var invalid = CompiledFunctions.All.Where(f => !FunctionName().IsMatch(f.Name)).Select(f => $"'{f.Name}' ({f.Where})").ToList();

        Assert.True(invalid.Count == 0, "Function names must start with a letter and hold only letters, digits, '_' and '-' (at most 128): " + string.Join(", ", invalid));
    }

    [Fact]
    public void EveryFunction_ExactlyOneTriggerParameter()
    {
        var wrong = CompiledFunctions.All
            .Select(f => (f, Count: CompiledFunctions.TriggersOf(f.Method).Count))
            .Where(x => x.Count != 1)
            .Select(x => $"{x.f.Where} has {x.Count}")
            .ToList();

        Assert.True(wrong.Count == 0, "Every [Function] needs exactly one trigger parameter: " + string.Join(", ", wrong));
    }

    [Fact]
    public void EveryFunction_PublicMethodOfPublicClass()
    {
        var hidden = CompiledFunctions.All
            .Where(f => !f.Method.IsPublic || f.Method.DeclaringType is not { IsPublic: true, IsAbstract: false } || f.Method.IsGenericMethodDefinition)
            .Select(f => f.Where)
            .ToList();

        Assert.True(hidden.Count == 0, "The worker only indexes public, non-generic methods of public concrete classes: " + string.Join(", ", hidden));
    }

    [Fact]
    public void DurableClientParameters_TypedDurableTaskClient()
    {
        var wrong = CompiledFunctions.All
            .SelectMany(f => f.Method.GetParameters().Where(p => p.IsDefined(typeof(DurableClientAttribute))).Select(p => (f, p)))
            .Where(x => x.p.ParameterType != typeof(DurableTaskClient))
            .Select(x => $"{x.f.Where}({x.p.ParameterType.Name} {x.p.Name})")
            .ToList();

        Assert.True(wrong.Count == 0, "[DurableClient] binds Microsoft.DurableTask.Client.DurableTaskClient in the isolated worker: " + string.Join(", ", wrong));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex FunctionName();
}
