using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests;

internal static class TestUtil
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<OrchestrationMetadata> CompleteAsync(this DurableTestHost host, string instanceId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        }
        catch (OperationCanceledException)
        {
            OrchestrationMetadata? m = await host.Client.GetInstanceAsync(instanceId, true);
            string history = string.Join(Environment.NewLine, ReadHistoryJson(host.DatabasePath, instanceId));
            throw new TimeoutException($"Instance {instanceId} did not complete within {Timeout}; it is {m?.RuntimeStatus} (custom status {m?.SerializedCustomStatus}). History:{Environment.NewLine}{history}");
        }
    }

    public static async Task<OrchestrationMetadata> StatusAsync(this DurableTestHost host, string instanceId)
        => await host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"instance {instanceId} missing");

    /// <summary>Lets the worker settle, moves the fake clock, and lets it settle again.</summary>
    public static async Task AdvanceAsync(this DurableTestHost host, TimeSpan delta)
    {
        await host.WaitForIdleAsync(Timeout);
        host.ManualTime!.Advance(delta);
        await host.WaitForIdleAsync(Timeout);
    }

    public static async Task<OrchestrationMetadata> StartAndCompleteAsync(this DurableTestHost host, string name, object? input = null)
    {
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(name, input);
        return await host.CompleteAsync(id);
    }

    public static DurableTestHostOptions Options(int? cacheSize = null, Action<EmbeddedDurableTaskOptions>? more = null, string? path = null, ILoggerFactory? loggerFactory = null)
        => new()
        {
            DatabasePath = path,
            LoggerFactory = loggerFactory,
            ConfigureRuntime = o =>
            {
                if (cacheSize is int size)
                {
                    o.CacheSize = size;
                }

                more?.Invoke(o);
            },
        };

    public static List<string> ReadHistoryJson(string databasePath, string instanceId)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT event FROM history WHERE instance_id = $id ORDER BY generation, seq";
        cmd.Parameters.AddWithValue("$id", instanceId);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    public static long Count(string databasePath, string sql)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    public static string TempDb() => Path.Combine(Path.GetTempPath(), "wf-durable-test-" + Guid.NewGuid().ToString("N") + ".db");

    public static void DeleteDb(string path)
    {
        foreach (string suffix in new[] { "", "-wal", "-shm", ".lock" })
        {
            File.Delete(path + suffix);
        }
    }
}

/// <summary>A logger factory that records every message written.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public List<string> Messages { get; } = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.Messages)
            {
                owner.Messages.Add(formatter(state, exception));
            }
        }
    }
}
