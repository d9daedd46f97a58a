using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;
using Workflows.Programmes.Tests.Calls;
using Workflows.Programmes.Tests.RecordsTables;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.RecordsReplication;

/// <summary>
/// A whole programme cycle with the records replicated through a log on Azurite's Table service, the way the Azure
/// Functions host keeps them; then a new instance built only from the log must hold exactly the same records.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReplicatedLifecycleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Cycle_OnReplicatedRecords_PaysOnce_AndANewInstanceRebuildsTheSameRecords()
    {
        var table = await azurite.NewTableAsync("lifecycle");
        Dictionary<string, List<string>> written;
        long position;
        await using (var f = await LifecycleFixture.StartAsync(ProgrammeCallHappyPathTests.Start, recordsLog: table))
        {
            await ProgrammeCallHappyPathTests.OneApplicationThroughEveryStageAsync(f);
            await f.IdleAsync();
            var replica = f.Records.Replica!;
            await replica.RefreshAsync();
            position = replica.AppliedSequence;
            var snapshot = await replica.Log.LatestSnapshotAsync();
            Assert.True(snapshot is { Sequence: > 1 }, $"the cycle wrote {position} entries; expected a snapshot after the first, found one at {snapshot?.Sequence}");
            written = Dump(replica);
        }

        var folder = Directory.CreateTempSubdirectory("replica-rebuild-").FullName;
        try
        {
            using (var fresh = new RecordsReplica(table, Path.Combine(folder, "records.db")))
            {
                var records = new ProgrammeRecords(fresh);
                Assert.Equal(1L, records.Read(c => Db.Scalar(c, null, "SELECT COUNT(*) FROM ledger_entries;")));
                Assert.Equal(position, fresh.AppliedSequence);
                var rebuilt = Dump(fresh);
                Assert.Equal(written.Keys.Order(StringComparer.Ordinal), rebuilt.Keys.Order(StringComparer.Ordinal));
                foreach (var (name, rows) in written)
                {
                    Assert.True(rows.SequenceEqual(rebuilt[name]), $"table {name} differs after the rebuild");
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every row of every records table (and the AUTOINCREMENT counters), as text, in primary-key order.</summary>
    private static Dictionary<string, List<string>> Dump(RecordsReplica replica)
    {
        using var connection = replica.OpenLocal();
        var tables = Db.Query(connection, null, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' AND name <> 'replica_state' ORDER BY name;", r => r.GetString(0));
        var dump = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in tables)
        {
            var order = name == "sqlite_sequence" ? "name" : "1";
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{name}\" ORDER BY {order};";
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var cells = new string[reader.FieldCount];
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells[i] = reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }

                rows.Add(string.Join('|', cells));
            }

            rows.Sort(StringComparer.Ordinal);
            dump[name] = rows;
        }

        return dump;
    }
}
