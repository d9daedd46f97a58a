using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Durable.Core;

internal sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> body) : TaskOrchestrator<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => body(context, input);
}

internal sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> body) : TaskActivity<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => body(context, input);
}

internal static class TypeActivator
{
    public static object Create(IServiceProvider services, Type type) => ActivatorUtilities.CreateInstance(services, type);
}
