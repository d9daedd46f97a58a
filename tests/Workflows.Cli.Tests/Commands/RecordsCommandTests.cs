using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Cli;
using Workflows.Cli.Commands;
using Workflows.Programmes;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Tests.RecordsTables;
using Workflows.Service;

namespace Workflows.Cli.Tests.Commands;

/// <summary><c>workflows records</c> against a real Azurite Table service, with a records.db made by <see cref="ProgrammeRecords"/>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordsCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("workflows-cli-records-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        this.folder.Delete(recursive: true);
    }

    [Fact]
    public async Task PublishStatusSnapshotExport_RecordsDb_RoundTripsThroughTheTable()
    {
        string db = this.NewRecordsDb();
        string table = NewTableName("cliround");

        // The connection string from the environment, as an operator would set it.
        var published = this.Run(["records", "publish", "--db", db, "--table", table], environment: azurite.ConnectionString);

        Assert.Equal((0, string.Empty), (published.Exit, published.Err));
        Assert.Contains($"into table '{table}': the records log starts at position 1", published.Out, StringComparison.Ordinal);

        // An instance writes once through the log: position 2.
        var instance = Directory.CreateDirectory(Path.Combine(this.folder.FullName, "instance"));
        using (var log = Workflows.Programmes.Records.Tables.RestTableStore.FromConnectionString(azurite.ConnectionString, table))
        using (var replica = new RecordsReplica(log, Path.Combine(instance.FullName, "records.db"), new RecordsReplicaOptions { InstanceId = "test-instance", SnapshotEvery = 0 }))
        {
            var records = new ProgrammeRecords(replica, ProgrammeModules.All, WorkflowsRecordsSchema.All);
            await records.TransactionAsync((c, tx) => Task.FromResult(Db.Execute(
                c, tx, "INSERT INTO parties (party_id, name, email, kind, updated_at) VALUES ('p-2', '朝阳区第二企业 Ltd', 'b@example.cn', 'enterprise', 2);")));
        }

        SqliteConnection.ClearAllPools();
        var status = this.Run(["records", "status", "--tables", azurite.ConnectionString, "--table", table, "--json"]);

        Assert.Equal(0, status.Exit);
        using (var doc = JsonDocument.Parse(status.Out))
        {
            var root = doc.RootElement;
            Assert.Equal(2, root.GetProperty("head").GetInt64());
            Assert.Equal(ProgrammeRecords.SchemaVersion, root.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(1, root.GetProperty("snapshot").GetProperty("position").GetInt64());
            Assert.StartsWith("workflows records publish", root.GetProperty("snapshot").GetProperty("writer").GetString(), StringComparison.Ordinal);
            var entries = root.GetProperty("entries").EnumerateArray().ToList();
            Assert.Equal([2L, 1L], entries.Select(e => e.GetProperty("position").GetInt64()));
            Assert.Equal("test-instance", entries[0].GetProperty("writer").GetString());
            Assert.True(entries[0].GetProperty("changesetBytes").GetInt32() > 0);
            Assert.Equal(0, entries[1].GetProperty("changesetBytes").GetInt32());
        }

        var snapshot = this.Run(["records", "snapshot", "--tables", azurite.ConnectionString, "--table", table]);

        Assert.Equal((0, string.Empty), (snapshot.Exit, snapshot.Err));
        Assert.Contains($"Snapshot of table '{table}' taken at position 2", snapshot.Out, StringComparison.Ordinal);

        var text = this.Run(["records", "status", "--tables", azurite.ConnectionString, "--table", table]);

        Assert.Equal(0, text.Exit);
        Assert.Contains("Head position: 2", text.Out, StringComparison.Ordinal);
        Assert.Contains("Latest snapshot: position 2", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Workflows.Programmes.Records.Tables.RestTableStore.DevelopmentAccountKey, text.Out, StringComparison.Ordinal);

        var badKeep = this.Run(["records", "prune", "--keep", "0", "--tables", azurite.ConnectionString, "--table", table]);
        Assert.Equal(RecordsCommand.InputError, badKeep.Exit);
        Assert.Contains("--keep must be 1 or more", badKeep.Err, StringComparison.Ordinal);

        // Snapshots at 1 (publish) and 2: keeping one drops the first snapshot and entry 1; the export below reads from 2.
        var prune = this.Run(["records", "prune", "--keep", "1", "--tables", azurite.ConnectionString, "--table", table]);

        Assert.Equal((0, string.Empty), (prune.Exit, prune.Err));
        Assert.Contains("1 log entries and 1 snapshots deleted; the log now starts at position 2", prune.Out, StringComparison.Ordinal);

        string exported = Path.Combine(this.folder.FullName, "exported.db");
        var export = this.Run(["records", "export", "--tables", azurite.ConnectionString, "--table", table, "--out", exported]);

        Assert.Equal((0, string.Empty), (export.Exit, export.Err));
        Assert.Contains("up to position 2", export.Out, StringComparison.Ordinal);
        using var connection = new SqliteConnection($"Data Source={exported};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(["p-1", "p-2"], Query(connection, "SELECT party_id FROM parties ORDER BY party_id;"));
        Assert.Equal(["500000"], Query(connection, "SELECT amount_fen FROM ledger_entries;"));
        Assert.Empty(Query(connection, "SELECT name FROM sqlite_master WHERE name = 'replica_state';"));
        Assert.Equal(["idempotency_keys"], Query(connection, "SELECT name FROM sqlite_master WHERE name = 'idempotency_keys';"));
    }

    [Fact]
    public void Publish_IntoTableHoldingALog_ExitsTwoAndSaysSo()
    {
        string db = this.NewRecordsDb();
        string table = NewTableName("clitwice");
        Assert.Equal(0, this.Run(["records", "publish", "--db", db, "--tables", azurite.ConnectionString, "--table", table]).Exit);

        var again = this.Run(["records", "publish", "--db", db, "--tables", azurite.ConnectionString, "--table", table]);

        Assert.Equal(RecordsCommand.InputError, again.Exit);
        Assert.Empty(again.Out);
        Assert.Contains("error: The table already holds a records log; publish only into a new, empty table.", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_EmptyTable_ExitsTwoSayingThereIsNoLog()
    {
        string table = NewTableName("cliempty");
        using (var store = Workflows.Programmes.Records.Tables.RestTableStore.FromConnectionString(azurite.ConnectionString, table))
        {
            Assert.True(store.CreateTableIfNotExistsAsync().GetAwaiter().GetResult());
        }

        string output = Path.Combine(this.folder.FullName, "none.db");
        var export = this.Run(["records", "export", "--tables", azurite.ConnectionString, "--table", table, "--out", output]);

        Assert.Equal(RecordsCommand.InputError, export.Exit);
        Assert.Contains($"table '{table}' holds no records log", export.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Status_MissingTable_ExitsThreeSayingTheTableDoesNotExist()
    {
        var status = this.Run(["records", "status", "--tables", azurite.ConnectionString, "--table", NewTableName("climissing")]);

        Assert.Equal(RecordsCommand.ServiceError, status.Exit);
        Assert.Contains("error: the table service failed: The table does not exist", status.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_BadConnectionString_ExitsTwoNamingTheProblemWithoutTheKey()
    {
        var status = this.Run(["records", "status", "--tables", "DefaultEndpointsProtocol=https;AccountName=bjdistrict;AccountKey=bm90LWEta2V5*"]);

        Assert.Equal(RecordsCommand.InputError, status.Exit);
        Assert.Equal("error: --tables: AccountKey in the storage connection string is not valid base64.\n", status.Err.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("bm90LWEta2V5", status.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_BadConnectionStringFromEnvironment_NamesTheVariable()
    {
        var status = this.Run(["records", "status"], environment: "TableEndpoint=https://bjdistrict.table.core.windows.net");

        Assert.Equal(RecordsCommand.InputError, status.Exit);
        Assert.Contains($"error: {RecordsCommand.ConnectionVariable}: The storage connection string has neither AccountKey nor SharedAccessSignature", status.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_NoConnectionString_ExitsTwoNamingOptionAndVariable()
    {
        var status = this.Run(["records", "status"]);

        Assert.Equal(RecordsCommand.InputError, status.Exit);
        Assert.Contains("give --tables or set the environment variable WORKFLOWS_RECORDS_TABLES", status.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_MissingDatabase_ExitsTwoNamingTheFile()
    {
        string missing = Path.Combine(this.folder.FullName, "missing.db");

        var publish = this.Run(["records", "publish", "--db", missing, "--tables", azurite.ConnectionString]);

        Assert.Equal(RecordsCommand.InputError, publish.Exit);
        Assert.Contains($"--db: there is no file '{missing}'", publish.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Records_ListsTheCommandsAndTheEnvironmentVariable()
    {
        var help = this.Run(["records", "--help"]);

        Assert.Equal(0, help.Exit);
        foreach (string word in new[] { "publish", "export", "status", "snapshot", "WORKFLOWS_RECORDS_TABLES" })
        {
            Assert.Contains(word, help.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WorkflowsRecordsSchema_All_IsExactlyWhatTheServiceRegisters()
    {
        var services = new ServiceCollection();
        services.AddWorkflowsService(new ConfigurationBuilder().Build());

        var registered = services.Where(d => d.ServiceType == typeof(RecordsSchema)).Select(d => d.ImplementationInstance).ToList();

        Assert.Equal(WorkflowsRecordsSchema.All, registered);
        Assert.Equal(["idempotency", "schedules"], WorkflowsRecordsSchema.All.Select(s => s.Name));
    }

    private static string NewTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    /// <summary>A records.db as the embedded host leaves it: every table, one party and one ledger row.</summary>
    private string NewRecordsDb()
    {
        string path = Path.Combine(this.folder.FullName, $"records-{Guid.NewGuid():N}.db");
        var records = new ProgrammeRecords(path, ProgrammeModules.All, WorkflowsRecordsSchema.All);
        records.EnsureSchema();
        records.Transaction((c, tx) =>
        {
            Db.Execute(c, tx, "INSERT INTO parties (party_id, name, email, kind, updated_at) VALUES ('p-1', '海淀区示范企业 Ltd', 'a@example.cn', 'enterprise', 1);");
            Db.Execute(
                c,
                tx,
                "INSERT INTO ledger_entries (applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source) VALUES ('p-1', '001-rd-growth', 2025, 1, 500000, 2025, 1, 'test');");
        });
        SqliteConnection.ClearAllPools();
        return path;
    }

    private (int Exit, string Out, string Err) Run(string[] args, string? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = CliApp.Run(args, output, error, CliRunner.Sources, name => name == RecordsCommand.ConnectionVariable ? environment : null);
        return (exit, output.ToString(), error.ToString());
    }
}
