using Microsoft.Extensions.Options;
using Workflows.Host.Data;
using Workflows.Programmes.Security;
using Workflows.Service.Configuration;

namespace Workflows.Host;

/// <summary>
/// Prepares the data folder at start: creates it and loads or generates the token signing key, so a bad setting or an
/// unwritable folder stops the host before it listens. The <c>records.db</c> schema is applied next by the service's
/// own start-up step.
/// </summary>
/// <param name="services">Resolves the pieces.</param>
/// <param name="logger">Logs where things are.</param>
internal sealed class HostStartup(IServiceProvider services, ILogger<HostStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = services.GetRequiredService<DataFolder>();
        logger.DataFolderReady(folder.Root);

        _ = services.GetRequiredService<TokenSigningKey>();
        logger.SigningKeyLoaded(string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKey)
            ? SigningKeyStore.KeyFileName + " in the data folder"
            : "settings (Workflows:Auth:SigningKey)");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
