using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Service.Data;

/// <summary>
/// Applies the <c>records.db</c> schema at start (<see cref="ProgrammeRecords.EnsureSchema"/>: the programme tables, then
/// the service's pieces registered as <see cref="RecordsSchema"/>), so a schema from a newer version, a records
/// registration that lacks a registered piece or an unwritable file stops the host before it serves a request.
/// </summary>
/// <param name="services">Resolves the records and the registered schema pieces.</param>
/// <param name="logger">Logs where the database is.</param>
internal sealed class RecordsStartup(IServiceProvider services, ILogger<RecordsStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var records = services.GetRequiredService<ProgrammeRecords>();
        var registered = services.GetServices<RecordsSchema>().ToList();
        var missing = registered.Where(r => !records.Schemas.Any(s => s.Name == r.Name)).Select(r => r.Name).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The registered ProgrammeRecords were built without the records.db schema {string.Join(", ", missing.Select(m => $"'{m}'"))}; " +
                "build them with every registered piece: new ProgrammeRecords(path, schemas: sp.GetServices<RecordsSchema>()).");
        }

        records.EnsureSchema();
        logger.RecordsDatabaseReady(PathOf(records), records.Schemas.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string PathOf(ProgrammeRecords records)
    {
        var dataSource = new SqliteConnectionStringBuilder(records.ConnectionString).DataSource;
        return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? dataSource : Path.GetFullPath(dataSource);
    }
}
