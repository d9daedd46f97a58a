using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Workflows.Durable.Client;

namespace Workflows.Durable.Core;

internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static readonly EmptyServiceProvider Instance = new();

    public object? GetService(Type serviceType) => null;
}

internal static class Ids
{
    public static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}

internal sealed class DurableEngine : IAsyncDisposable
{
    public DurableEngine(EmbeddedDurableTaskOptions options, DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        this.Options = options;
        _ = registry;
        _ = services;
        _ = loggerFactory;
    }

    public EmbeddedDurableTaskOptions Options { get; }

    public bool IsWorkerRunning => false;

    public Task StartWorkerAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task StopWorkerAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task WaitForIdleAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class EmbeddedDurableTaskClient(DurableEngine engine) : DurableTaskClient("embedded")
{
    private readonly DurableEngine engine = engine;

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotImplementedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotImplementedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default) => throw new NotImplementedException();

    internal DurableEngine Engine => this.engine;
}
