using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workflows.Programmes.Records;

namespace Workflows.Service.Http;

/// <summary>Healthy when <c>records.db</c> answers a query.</summary>
/// <param name="records">The records database.</param>
internal sealed class RecordsDatabaseHealthCheck(ProgrammeRecords records) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await records.ReadAsync(
                async connection =>
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    return await command.ExecuteScalarAsync(cancellationToken);
                },
                cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("records.db cannot be opened.", ex);
        }
    }
}
