// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker.Extensions.DurableTask 1.14.1 (as pinned in
// src/Workflows.Functions): the three binding attributes. Checked against Azure/azure-functions-durable-extension:
// src/Worker.Extensions.DurableTask/OrchestrationTriggerAttribute.cs, ActivityTriggerAttribute.cs,
// DurableClientAttribute.cs. Left out: the [InputConverter]/[ConverterFallbackBehavior] markers on ActivityTrigger, the
// EditorBrowsable(Never) OrchestrationTrigger.LargePayloadPurge, and the package's extension methods
// (DurableTaskClientExtensions.CreateCheckStatusResponse..., FunctionContext extensions) - add them here, checked, if the
// Functions code starts to use them.

using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OrchestrationTriggerAttribute : TriggerBindingAttribute
{
    public string? Orchestration { get; set; }
}

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ActivityTriggerAttribute : TriggerBindingAttribute
{
    public string? Activity { get; set; }
}

public sealed class DurableClientAttribute : InputBindingAttribute
{
    public string? TaskHub { get; set; }

    public string? ConnectionName { get; set; }
}
