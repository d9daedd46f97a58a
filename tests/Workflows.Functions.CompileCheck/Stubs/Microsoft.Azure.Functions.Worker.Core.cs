// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker.Core (2.x, brought in by
// Microsoft.Azure.Functions.Worker 2.1.0): the invocation context and the worker options. Checked against
// Azure/azure-functions-dotnet-worker: src/DotNetWorker.Core/Context/FunctionContext.cs, Context/BindingContext.cs,
// Hosting/WorkerOptions.cs; FunctionContext.CancellationToken (public virtual, get-only) from the API reference
// (learn.microsoft.com, FunctionContext.CancellationToken). FunctionContext's members whose types are not stubbed
// (TraceContext, RetryContext, FunctionDefinition, Features) and WorkerOptions' InputConverters/Capabilities are left out.

using Azure.Core.Serialization;

namespace Microsoft.Azure.Functions.Worker;

public abstract class FunctionContext
{
    public abstract string InvocationId { get; }

    public abstract string FunctionId { get; }

    public abstract BindingContext BindingContext { get; }

    public abstract IServiceProvider InstanceServices { get; set; }

    public abstract IDictionary<object, object> Items { get; set; }

    public virtual CancellationToken CancellationToken { get; } = CancellationToken.None;
}

public abstract class BindingContext
{
    public abstract IReadOnlyDictionary<string, object?> BindingData { get; }
}

public class WorkerOptions
{
    public ObjectSerializer? Serializer { get; set; }

    public bool IncludeEmptyEntriesInMessagePayload { get; set; }
}
