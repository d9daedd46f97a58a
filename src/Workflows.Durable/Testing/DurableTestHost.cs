using Microsoft.Extensions.Logging;
using Workflows.Durable.Client;

namespace Workflows.Durable.Testing;

/// <summary>Options of <see cref="DurableTestHost"/>.</summary>
public sealed class DurableTestHostOptions
{
    /// <summary>Gets or sets the database file; a fresh temporary file (deleted on dispose) when <c>null</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Gets or sets the clock; a new <see cref="ManualTimeProvider"/> at <see cref="ManualTimeProvider.DefaultStart"/> when <c>null</c>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the services that resolve constructor dependencies of tasks registered by type.</summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>Gets or sets the logger factory.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets further runtime configuration (applied after the test defaults: synchronous=NORMAL).</summary>
    public Action<EmbeddedDurableTaskOptions>? ConfigureRuntime { get; set; }
}

/// <summary>
/// Starts a worker and a client on a temporary database in one line, with a fake clock:
/// <c>await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator&lt;MyOrchestrator&gt;());</c>
/// </summary>
public sealed class DurableTestHost : IAsyncDisposable
{
    private readonly Action<DurableTaskRegistry> configureTasks;
    private readonly DurableTestHostOptions options;
    private readonly bool deleteDatabase;
    private EmbeddedDurableTaskRuntime runtime;

    private DurableTestHost(Action<DurableTaskRegistry> configureTasks, DurableTestHostOptions options, string databasePath, bool deleteDatabase, TimeProvider timeProvider, EmbeddedDurableTaskRuntime runtime)
    {
        this.configureTasks = configureTasks;
        this.options = options;
        this.DatabasePath = databasePath;
        this.deleteDatabase = deleteDatabase;
        this.TimeProvider = timeProvider;
        this.runtime = runtime;
    }

    /// <summary>Gets the client.</summary>
    public DurableTaskClient Client => this.runtime.Client;

    /// <summary>Gets the runtime.</summary>
    public EmbeddedDurableTaskRuntime Runtime => this.runtime;

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the clock as a <see cref="ManualTimeProvider"/>, or <c>null</c> when another clock was given.</summary>
    public ManualTimeProvider? ManualTime => this.TimeProvider as ManualTimeProvider;

    /// <summary>Gets the database file path.</summary>
    public string DatabasePath { get; }

    /// <summary>Starts a test host.</summary>
    /// <param name="configureTasks">Registers orchestrators and activities.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The started host.</returns>
    public static async Task<DurableTestHost> StartAsync(Action<DurableTaskRegistry> configureTasks, DurableTestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureTasks);
        options ??= new DurableTestHostOptions();
        bool temporary = options.DatabasePath is null;
        string path = options.DatabasePath ?? Path.Combine(Path.GetTempPath(), "workflows-durable-" + Core.Ids.RandomHex(12) + ".db");
        TimeProvider time = options.TimeProvider ?? new ManualTimeProvider();
        EmbeddedDurableTaskRuntime runtime = await StartRuntimeAsync(configureTasks, options, path, time, cancellationToken);
        return new DurableTestHost(configureTasks, options, path, temporary, time, runtime);
    }

    /// <summary>Waits until the worker has nothing to do now (see <see cref="EmbeddedDurableTaskRuntime.WaitForIdleAsync"/>).</summary>
    /// <param name="timeout">The longest wait; 10 seconds by default.</param>
    /// <returns>A task that completes when idle.</returns>
    /// <exception cref="TimeoutException">The worker did not become idle in time.</exception>
    public async Task WaitForIdleAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await this.runtime.WaitForIdleAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The durable test host did not become idle within {timeout ?? TimeSpan.FromSeconds(10)}.");
        }
    }

    /// <summary>Simulates a restart: stops the worker, discards all in-memory state and opens the same database again.</summary>
    /// <param name="cancellationToken">Cancels the restart.</param>
    /// <returns>A task that completes when the new worker runs.</returns>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await this.runtime.DisposeAsync();
        this.runtime = await StartRuntimeAsync(this.configureTasks, this.options, this.DatabasePath, this.TimeProvider, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.runtime.DisposeAsync();
        if (this.deleteDatabase)
        {
            foreach (string suffix in new[] { string.Empty, "-wal", "-shm", ".lock" })
            {
                try
                {
                    File.Delete(this.DatabasePath + suffix);
                }
                catch (IOException)
                {
                    // A leftover temp file is harmless.
                }
            }
        }
    }

    private static Task<EmbeddedDurableTaskRuntime> StartRuntimeAsync(Action<DurableTaskRegistry> configureTasks, DurableTestHostOptions options, string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var runtimeOptions = new EmbeddedDurableTaskOptions
        {
            DatabasePath = path,
            TimeProvider = time,
            Synchronous = SqliteSynchronousMode.Normal,
        };
        options.ConfigureRuntime?.Invoke(runtimeOptions);
        return EmbeddedDurableTaskRuntime.StartAsync(runtimeOptions, configureTasks, options.Services, options.LoggerFactory, cancellationToken);
    }
}
