using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Durable.Client;

namespace Workflows.Durable;

/// <summary>
/// The embedded durable runtime on one SQLite file: a <see cref="Client"/> usable at once, and a worker that runs
/// orchestrations and activities once <see cref="StartWorkerAsync"/> is called. Only one worker per database file
/// may run at a time (an OS file lock beside the database enforces it); a second one is refused with a message that
/// names the owner. Clients in other processes may use the same file at any time.
/// </summary>
public sealed class EmbeddedDurableTaskRuntime : IAsyncDisposable
{
    private readonly Core.DurableEngine engine;

    /// <summary>Initializes a runtime; the database is created or opened on first use.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="registry">The orchestrators and activities.</param>
    /// <param name="services">Resolves constructor dependencies of orchestrators and activities registered by type.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public EmbeddedDurableTaskRuntime(
        EmbeddedDurableTaskOptions options,
        DurableTaskRegistry registry,
        IServiceProvider? services = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        options.Validate();
        this.engine = new Core.DurableEngine(options, registry, services ?? Core.EmptyServiceProvider.Instance, loggerFactory ?? NullLoggerFactory.Instance);
        this.Client = new Core.EmbeddedDurableTaskClient(this.engine);
    }

    /// <summary>Gets the client.</summary>
    public DurableTaskClient Client { get; }

    internal Core.DurableEngine Engine => this.engine;

    /// <summary>Gets the options.</summary>
    public EmbeddedDurableTaskOptions Options => this.engine.Options;

    /// <summary>Gets a value indicating whether the worker is running.</summary>
    public bool IsWorkerRunning => this.engine.IsWorkerRunning;

    /// <summary>Creates a runtime and starts its worker.</summary>
    /// <param name="options">The options.</param>
    /// <param name="configureTasks">Registers orchestrators and activities.</param>
    /// <param name="services">Resolves constructor dependencies.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The started runtime.</returns>
    public static async Task<EmbeddedDurableTaskRuntime> StartAsync(
        EmbeddedDurableTaskOptions options,
        Action<DurableTaskRegistry> configureTasks,
        IServiceProvider? services = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureTasks);
        var registry = new DurableTaskRegistry();
        configureTasks(registry);
        var runtime = new EmbeddedDurableTaskRuntime(options, registry, services, loggerFactory);
        try
        {
            await runtime.StartWorkerAsync(cancellationToken);
            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates a client-only handle on a database (no worker): for tools that schedule or inspect instances while a
    /// worker runs in another process. Orchestrator names are not checked against a registry.
    /// </summary>
    /// <param name="options">The options; only the database, clock, limits and converter are used.</param>
    /// <returns>The runtime with <see cref="Client"/>; do not start its worker unless you mean to run work here.</returns>
    public static EmbeddedDurableTaskRuntime OpenClientOnly(EmbeddedDurableTaskOptions options)
        => new(options, new DurableTaskRegistry { }.MarkClientOnly());

    /// <summary>
    /// Acquires the database's worker lock, recovers pending work (messages, due timers, activities whose owner died)
    /// and starts processing.
    /// </summary>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>A task that completes when the worker runs.</returns>
    /// <exception cref="InvalidOperationException">Another live worker holds the database.</exception>
    public Task StartWorkerAsync(CancellationToken cancellationToken = default) => this.engine.StartWorkerAsync(cancellationToken);

    /// <summary>Stops the worker: running episodes finish and commit; running activities are abandoned (they run again later).</summary>
    /// <param name="cancellationToken">Cancels the graceful wait.</param>
    /// <returns>A task that completes when the worker stopped and released the lock.</returns>
    public Task StopWorkerAsync(CancellationToken cancellationToken = default) => this.engine.StopWorkerAsync(cancellationToken);

    /// <summary>
    /// Waits until this worker has nothing to do now: no queued or running episodes, no activities running or whose results
    /// are not yet committed and handed to their orchestration, no commits pending in the pipeline, and no timer due at the
    /// current <see cref="TimeProvider"/> time (a due timer whose wake-up has not run yet is run by the wait).
    /// Timers due in the future do not count. Useful with a fake clock: advance, then wait for idle (see the README).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when idle.</returns>
    public Task WaitForIdleAsync(CancellationToken cancellationToken = default) => this.engine.WaitForIdleAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => this.engine.DisposeAsync();
}
