using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Programmes.Tests.Support;

/// <summary>
/// The records of the lifecycle and feature tests: a local <c>records.db</c>, or, when the environment variable
/// <c>WORKFLOWS_TEST_RECORDS</c> is <c>replicated</c>, records replicated through a log in an in-memory table (the
/// Azure Functions host's records). CI runs this project both ways (.ci/run). <c>replicated-races</c> also makes every
/// write lose its first race for the log (as if another instance had written first), so every transaction's work runs
/// twice: work with effects outside the database shows up.
/// </summary>
internal static class TestRecords
{
    public const string Variable = "WORKFLOWS_TEST_RECORDS";

    public static bool Replicated => Mode is "replicated" or "replicated-races";

    private static string? Mode => Environment.GetEnvironmentVariable(Variable)?.ToLowerInvariant();

    /// <summary>Records at <paramref name="path"/>: replicated through <paramref name="log"/> when given or when the variable asks for it.</summary>
    public static ProgrammeRecords Create(string path, TimeProvider? clock = null, ITableStore? log = null, int snapshotEvery = 500)
    {
        log ??= Mode switch
        {
            "replicated" => new InMemoryTableStore(clock),
            "replicated-races" => new LosingFirstRaceStore(new InMemoryTableStore(clock)),
            _ => null,
        };
        return log is null
            ? new ProgrammeRecords(path)
            : new ProgrammeRecords(new RecordsReplica(log, path, new RecordsReplicaOptions { InstanceId = "tests", SnapshotEvery = snapshotEvery }, clock));
    }

    /// <summary>Releases the replica (if any) and deletes the database files.</summary>
    public static void Delete(ProgrammeRecords records, string path)
    {
        records.Replica?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", ".lock" })
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (IOException)
            {
                // a file still open elsewhere stays in the temp folder
            }
        }
    }
}

/// <summary>Passes every call to another store; fakes override what they change.</summary>
internal abstract class DelegatingTableStore(ITableStore inner) : ITableStore
{
    protected ITableStore Inner => inner;

    public virtual Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) => inner.GetAsync(partitionKey, rowKey, cancellationToken);

    public virtual Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public virtual Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default) => inner.InsertAsync(row, cancellationToken);

    public Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default) => inner.UpsertAsync(row, cancellationToken);

    public Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default) => inner.UpdateAsync(row, ifMatch, cancellationToken);

    public Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default) => inner.DeleteAsync(partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default) => inner.SubmitTransactionAsync(operations, cancellationToken);
}

/// <summary>Refuses the first append at every log position with 409, as if another instance had taken it first.</summary>
internal sealed class LosingFirstRaceStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private readonly HashSet<string> refused = [];

    public override Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        lock (this.refused)
        {
            if (row.PartitionKey == RecordsLog.LogPartition && this.refused.Add(row.RowKey))
            {
                throw new TableEntityExistsException(row.PartitionKey, row.RowKey);
            }
        }

        return this.Inner.InsertAsync(row, cancellationToken);
    }
}
