using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Durable.Client;

namespace Workflows.Durable;

/// <summary>Registers the embedded durable runtime in a service collection.</summary>
public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the embedded durable runtime: a singleton <see cref="EmbeddedDurableTaskRuntime"/>, a singleton
    /// <see cref="DurableTaskClient"/>, and a hosted service that runs the worker. Register tasks with
    /// <see cref="IEmbeddedDurableTaskBuilder.AddTasks"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder.</returns>
    public static IEmbeddedDurableTaskBuilder AddEmbeddedDurableTask(this IServiceCollection services, Action<EmbeddedDurableTaskOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new EmbeddedDurableTaskBuilder(services);
        services.AddOptions<EmbeddedDurableTaskOptions>().Validate(
            o =>
            {
                o.Validate();
                return true;
            });
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(builder.Registry);
        services.TryAddSingleton(sp =>
        {
            EmbeddedDurableTaskOptions options = sp.GetRequiredService<IOptions<EmbeddedDurableTaskOptions>>().Value;
            options.TimeProvider ??= sp.GetService<TimeProvider>();
            return new EmbeddedDurableTaskRuntime(options, sp.GetRequiredService<DurableTaskRegistry>(), sp, sp.GetService<ILoggerFactory>());
        });
        services.TryAddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<EmbeddedDurableTaskRuntime>().Client);
        services.AddHostedService<DurableTaskWorkerService>();
        return builder;
    }

    private sealed class EmbeddedDurableTaskBuilder(IServiceCollection services) : IEmbeddedDurableTaskBuilder
    {
        public IServiceCollection Services { get; } = services;

        public DurableTaskRegistry Registry { get; } = new();

        public IEmbeddedDurableTaskBuilder AddTasks(Action<DurableTaskRegistry> configure)
        {
            ArgumentNullException.ThrowIfNull(configure);
            configure(this.Registry);
            return this;
        }

        public IEmbeddedDurableTaskBuilder Configure(Action<EmbeddedDurableTaskOptions> configure)
        {
            this.Services.Configure(configure);
            return this;
        }
    }
}

/// <summary>Configures the embedded durable runtime added by <see cref="DurableTaskServiceCollectionExtensions.AddEmbeddedDurableTask"/>.</summary>
public interface IEmbeddedDurableTaskBuilder
{
    /// <summary>Gets the services.</summary>
    IServiceCollection Services { get; }

    /// <summary>Registers orchestrators and activities.</summary>
    /// <param name="configure">The registration.</param>
    /// <returns>This builder.</returns>
    IEmbeddedDurableTaskBuilder AddTasks(Action<DurableTaskRegistry> configure);

    /// <summary>Configures options.</summary>
    /// <param name="configure">The configuration.</param>
    /// <returns>This builder.</returns>
    IEmbeddedDurableTaskBuilder Configure(Action<EmbeddedDurableTaskOptions> configure);
}

/// <summary>Runs the embedded worker for the lifetime of the host.</summary>
/// <param name="runtime">The runtime.</param>
public sealed class DurableTaskWorkerService(EmbeddedDurableTaskRuntime runtime) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartWorkerAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopWorkerAsync(cancellationToken);
}
