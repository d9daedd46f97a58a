using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workflows.Service.Data;

namespace Workflows.Service.Http;

/// <summary>Healthy when <c>records.db</c> answers a query.</summary>
/// <param name="database">The database.</param>
internal sealed class RecordsDatabaseHealthCheck(RecordsDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("records.db cannot be opened.", ex);
        }
    }
}
