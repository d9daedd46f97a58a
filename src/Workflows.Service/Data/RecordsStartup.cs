using Workflows.Programmes.Records;

namespace Workflows.Service.Data;

/// <summary>
/// Applies the <c>records.db</c> schema at start (the service's pieces, then the programme records' tables), so a
/// schema from a newer version or an unwritable file stops the host before it serves a request.
/// </summary>
/// <param name="services">Resolves the database and the records.</param>
/// <param name="logger">Logs where the database is.</param>
internal sealed class RecordsStartup(IServiceProvider services, ILogger<RecordsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var records = services.GetRequiredService<RecordsDatabase>();
        await records.EnsureCreatedAsync(cancellationToken);
        logger.RecordsDatabaseReady(records.Path, services.GetServices<RecordsSchema>().Count());
        services.GetRequiredService<ProgrammeRecords>().EnsureSchema();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
