using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Host.Data;
using Workflows.Programmes.Records;
using Workflows.Programmes.Security;

namespace Workflows.Host;

/// <summary>
/// Prepares the data folder at start: creates it, loads or generates the token signing key, and applies the
/// <c>records.db</c> schema (the host's pieces and the programme records'), so a bad setting or an unwritable folder stops the host before it listens.
/// </summary>
/// <param name="services">Resolves the pieces.</param>
/// <param name="logger">Logs where things are.</param>
internal sealed class HostStartup(IServiceProvider services, ILogger<HostStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = services.GetRequiredService<DataFolder>();
        logger.DataFolderReady(folder.Root);

        _ = services.GetRequiredService<TokenSigningKey>();
        logger.SigningKeyLoaded(string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKey)
            ? SigningKeyStore.KeyFileName + " in the data folder"
            : "settings (Workflows:Auth:SigningKey)");

        var records = services.GetRequiredService<RecordsDatabase>();
        await records.EnsureCreatedAsync(cancellationToken);
        logger.RecordsDatabaseReady(records.Path, services.GetServices<RecordsSchema>().Count());

        // The programme tables (same file) are checked now, so a schema from a newer version stops the host here.
        services.GetService<ProgrammeRecords>()?.EnsureSchema();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
