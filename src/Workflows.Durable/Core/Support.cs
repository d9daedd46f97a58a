using System.Security.Cryptography;
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

    public static string NewInstanceId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

internal static class StatusExtensions
{
    public static bool IsTerminal(this OrchestrationRuntimeStatus s) =>
        s is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Canceled;
}

internal sealed record InstanceRow(
    string InstanceId,
    string Name,
    string Version,
    OrchestrationRuntimeStatus Status,
    long CreatedAt,
    long LastUpdatedAt,
    string? Input,
    string? Output,
    string? CustomStatus,
    string? Failure,
    long Generation,
    string? ParentInstanceId,
    int? ParentTaskId,
    long? ParentGeneration,
    int HistoryCount);

/// <summary>A bounded least-recently-used cache of live executors.</summary>
internal sealed class ExecutorCache(int capacity)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<OrchestrationExecutor>> map = new(StringComparer.Ordinal);
    private readonly LinkedList<OrchestrationExecutor> order = new();

    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.map.Count;
            }
        }
    }

    public OrchestrationExecutor? Take(string instanceId)
    {
        lock (this.gate)
        {
            if (this.map.Remove(instanceId, out LinkedListNode<OrchestrationExecutor>? node))
            {
                this.order.Remove(node);
                return node.Value;
            }

            return null;
        }
    }

    public void Put(OrchestrationExecutor executor)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (this.gate)
        {
            if (this.map.Remove(executor.InstanceId, out LinkedListNode<OrchestrationExecutor>? old))
            {
                this.order.Remove(old);
            }

            this.map[executor.InstanceId] = this.order.AddFirst(executor);
            while (this.map.Count > capacity && this.order.Last is { } last)
            {
                this.order.RemoveLast();
                this.map.Remove(last.Value.InstanceId);
            }
        }
    }

    public void Remove(string instanceId) => this.Take(instanceId);

    public void Clear()
    {
        lock (this.gate)
        {
            this.map.Clear();
            this.order.Clear();
        }
    }
}
