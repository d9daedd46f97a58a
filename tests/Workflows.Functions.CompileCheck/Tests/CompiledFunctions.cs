using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>A method of the compiled Functions sources that carries [Function], with its trigger.</summary>
internal sealed record CompiledFunction(string Name, MethodInfo Method, ParameterInfo? TriggerParameter, TriggerBindingAttribute? Trigger)
{
    public string Where => $"{this.Method.DeclaringType?.Name}.{this.Method.Name}";

    public T? TriggerAs<T>()
        where T : TriggerBindingAttribute => this.Trigger as T;
}

/// <summary>Reads the functions of src/Workflows.Functions as compiled into this assembly, the way the worker indexes them.</summary>
internal static class CompiledFunctions
{
    /// <summary>Types that came from src/Workflows.Functions (namespace Workflows.Functions and the global namespace of Program.cs).</summary>
    public static IReadOnlyList<Type> FunctionsTypes { get; } = typeof(CompiledFunctions).Assembly.GetTypes()
        .Where(t => t.Namespace is null or "Workflows.Functions" || (t.Namespace?.StartsWith("Workflows.Functions.", StringComparison.Ordinal) == true
            && !t.Namespace.StartsWith("Workflows.Functions.CompileCheck", StringComparison.Ordinal)))
        .Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
        .ToList();

    public static IReadOnlyList<CompiledFunction> All { get; } = FunctionsTypes
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
        .Where(x => x.Function is not null)
        .Select(x =>
        {
            var triggers = x.Method.GetParameters()
                .Select(p => (Parameter: p, Trigger: p.GetCustomAttributes().OfType<TriggerBindingAttribute>().FirstOrDefault()))
                .Where(p => p.Trigger is not null)
                .ToList();
            return new CompiledFunction(x.Function!.Name, x.Method, triggers.FirstOrDefault().Parameter, triggers.FirstOrDefault().Trigger);
        })
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<CompiledFunction> WithTrigger<T>()
        where T : TriggerBindingAttribute => All.Where(f => f.Trigger is T);

    /// <summary>Trigger attributes on every parameter of a function (a function must have exactly one).</summary>
    public static IReadOnlyList<TriggerBindingAttribute> TriggersOf(MethodInfo method) =>
        method.GetParameters().SelectMany(p => p.GetCustomAttributes().OfType<TriggerBindingAttribute>()).ToList();
}
