using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Programmes.Tests.Support;

/// <summary>
/// The records of the lifecycle and feature tests: a local <c>records.db</c>, or, when the environment variable
/// <c>WORKFLOWS_TEST_RECORDS</c> is <c>replicated</c>, records replicated through a log in an in-memory table (the
/// Azure Functions host's records). CI runs this project both ways (.ci/run).
/// </summary>
internal static class TestRecords
{
    public const string Variable = "WORKFLOWS_TEST_RECORDS";

    public static bool Replicated => string.Equals(Environment.GetEnvironmentVariable(Variable), "replicated", StringComparison.OrdinalIgnoreCase);

    /// <summary>Records at <paramref name="path"/>: replicated through <paramref name="log"/> when given or when the variable asks for it.</summary>
    public static ProgrammeRecords Create(string path, TimeProvider? clock = null, ITableStore? log = null, int snapshotEvery = 500)
    {
        log ??= Replicated ? new InMemoryTableStore(clock) : null;
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
