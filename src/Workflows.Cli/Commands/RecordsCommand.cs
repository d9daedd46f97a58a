using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Workflows.Programmes;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Replication;
using Workflows.Programmes.Records.Tables;
using Workflows.Service;

namespace Workflows.Cli.Commands;

/// <summary>
/// <c>workflows records publish|export|status|snapshot|prune</c>: moves records between a <c>records.db</c> file and the
/// replicated records log of the Azure Functions host (one Azure table), and inspects that log. The table is named by
/// an Azure Storage connection string in <c>--tables</c> or, so that it is not typed on a command line, in the
/// environment variable <see cref="ConnectionVariable"/>; it is never printed.
/// </summary>
public static class RecordsCommand
{
    /// <summary>The environment variable read when <c>--tables</c> is not given.</summary>
    public const string ConnectionVariable = "WORKFLOWS_RECORDS_TABLES";

    /// <summary>Exit code for bad input or a refused state (bad connection string, missing file, a table that is not empty or holds no log).</summary>
    public const int InputError = 2;

    /// <summary>Exit code when the table service cannot be reached or refuses the request (network, credentials, missing table).</summary>
    public const int ServiceError = 3;

    private const string DefaultTable = "records";

    /// <summary>Creates the command.</summary>
    /// <param name="context">Shared services (the environment).</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "records",
            $"The replicated records of the Azure Functions host: a records log in one Azure table. The table comes from --tables or the environment variable {ConnectionVariable} (an Azure Storage connection string: UseDevelopmentStorage=true, DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…, or TableEndpoint=…;SharedAccessSignature=…); it is never printed. " +
            "Exit codes: 0 done, 1 command-line syntax error, 2 bad input or refused (bad connection string, missing file, table not empty or holding no log), 3 the table service failed or refused (network, credentials, missing table).");
        command.Subcommands.Add(Publish(context));
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(Status(context));
        command.Subcommands.Add(Snapshot(context));
        command.Subcommands.Add(Prune(context));
        return command;
    }

    private static (Option<string?> Tables, Option<string> Table) TableOptions() =>
        (new Option<string?>("--tables") { Description = $"Azure Storage connection string of the table service; default: the environment variable {ConnectionVariable}." },
         new Option<string>("--table") { Description = "The table holding the records log.", DefaultValueFactory = _ => DefaultTable });

    private static Command Publish(CliContext context)
    {
        var (tables, table) = TableOptions();
        var db = new Option<string>("--db") { Description = "The records database file (records.db of the embedded host); copied, never changed.", Required = true };
        var command = new Command(
            "publish",
            "Starts the records log in a new, empty table from an existing records.db (moving an embedded host's records to Azure): the database, brought to this build's schema, becomes the first snapshot. Creates the table when missing; refuses a table that already holds a log.")
        {
            db, tables, table,
        };
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async () =>
        {
            string file = parse.GetValue(db)!;
            if (!File.Exists(file))
            {
                throw new CliInputException($"--db: there is no file '{file}'");
            }

            using var store = OpenStore(parse, context, tables, table);
            try
            {
                await store.CreateTableIfNotExistsAsync(cancellationToken);
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                // A shared access signature scoped to one table may not create tables; the table may exist already, and
                // when it does not the publish's first read says so.
            }

            var records = NewRecords(file);
            var snapshot = await RecordsReplica.PublishAsync(store, file, records.ReplicationSchema, Writer("publish"), cancellationToken: cancellationToken);
            SqliteConnection.ClearAllPools();
            parse.InvocationConfiguration.Output.WriteLine(
                $"Published {Path.GetFileName(file)} into table '{store.TableName}': the records log starts at position {snapshot.Sequence.ToString(CultureInfo.InvariantCulture)} " +
                $"(snapshot of {snapshot.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes, schema version {snapshot.SchemaVersion.ToString(CultureInfo.InvariantCulture)}).");
            return 0;
        }));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var (tables, table) = TableOptions();
        var output = new Option<string>("--out") { Description = "The database file to write; it must not exist.", Required = true };
        var command = new Command(
            "export",
            "Writes the records the log holds now into a plain records.db (a backup, an inspection, or going back to the embedded host). Reads only; nothing is written to the table.")
        {
            output, tables, table,
        };
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async () =>
        {
            string file = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(file))
            {
                throw new CliInputException($"--out: '{file}' exists already; export writes a new file");
            }

            using var store = OpenStore(parse, context, tables, table);
            await RequireLogAsync(store, cancellationToken);
            long position = await WithReplicaAsync(store, readOnly: true, replica => replica.ExportAsync(file, cancellationToken));
            parse.InvocationConfiguration.Output.WriteLine(
                $"Exported the records log of table '{store.TableName}' up to position {position.ToString(CultureInfo.InvariantCulture)} into {file}.");
            return 0;
        }));
        return command;
    }

    private static Command Snapshot(CliContext context)
    {
        var (tables, table) = TableOptions();
        var command = new Command(
            "snapshot",
            "Takes a snapshot of the records now and stores it with the log, so new instances start from it instead of replaying the entries since the last one. A log of an older schema version is first moved to this build's version, as a new instance would.")
        {
            tables, table,
        };
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async () =>
        {
            using var store = OpenStore(parse, context, tables, table);
            await RequireLogAsync(store, cancellationToken);
            var snapshot = await WithReplicaAsync(store, readOnly: false, replica => replica.SnapshotAsync(cancellationToken));
            parse.InvocationConfiguration.Output.WriteLine(
                $"Snapshot of table '{store.TableName}' taken at position {snapshot.Sequence.ToString(CultureInfo.InvariantCulture)} " +
                $"({snapshot.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes, schema version {snapshot.SchemaVersion.ToString(CultureInfo.InvariantCulture)}).");
            return 0;
        }));
        return command;
    }

    private static Command Prune(CliContext context)
    {
        var (tables, table) = TableOptions();
        var keep = new Option<int>("--keep") { Description = "How many of the newest snapshots to keep (1 or more).", DefaultValueFactory = _ => 2 };
        var command = new Command(
            "prune",
            "Deletes what no new instance needs: every snapshot but the newest --keep, and the log entries before the oldest snapshot kept. The records themselves (and their audit trail) are not touched; an instance whose copy is older rebuilds from the newest snapshot.")
        {
            keep, tables, table,
        };
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async () =>
        {
            var keepCount = parse.GetValue(keep);
            if (keepCount < 1)
            {
                throw new CliInputException($"--keep must be 1 or more; it is {keepCount.ToString(CultureInfo.InvariantCulture)}");
            }

            using var store = OpenStore(parse, context, tables, table);
            await RequireLogAsync(store, cancellationToken);
            var result = await new RecordsLog(store).PruneAsync(keepCount, cancellationToken);
            parse.InvocationConfiguration.Output.WriteLine(result.KeptFrom == 0
                ? $"Table '{store.TableName}' has no snapshot yet; nothing was deleted (take one with 'workflows records snapshot')."
                : $"Pruned table '{store.TableName}': {result.Entries.ToString("N0", CultureInfo.InvariantCulture)} log entries and {result.Snapshots.ToString("N0", CultureInfo.InvariantCulture)} snapshots deleted; the log now starts at position {result.KeptFrom.ToString(CultureInfo.InvariantCulture)}.");
            return 0;
        }));
        return command;
    }

    private static Command Status(CliContext context)
    {
        var (tables, table) = TableOptions();
        var last = new Option<int>("--last") { Description = "How many of the newest log entries to list (0 to 100).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var command = new Command(
            "status",
            "The records log: its head position, the schema version of the last entry, the latest snapshot, and the newest entries' writers and times. Reads only.")
        {
            tables, table, last, json,
        };
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async () =>
        {
            int count = parse.GetValue(last);
            if (count is < 0 or > 100)
            {
                throw new CliInputException($"--last: {count.ToString(CultureInfo.InvariantCulture)} is not between 0 and 100");
            }

            using var store = OpenStore(parse, context, tables, table);
            var log = new RecordsLog(store);
            var snapshot = await log.LatestSnapshotAsync(cancellationToken);
            var newest = new Queue<LogEntry>();
            LogEntry? head = null;
            await foreach (var entry in log.ReadFromAsync(Math.Max(1, snapshot?.Sequence ?? 1), cancellationToken))
            {
                head = entry;
                newest.Enqueue(entry);
                if (newest.Count > count)
                {
                    newest.Dequeue();
                }
            }

            var entries = newest.Reverse().ToList();
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(parse, new JsonObject
                {
                    ["table"] = store.TableName,
                    ["endpoint"] = store.ServiceEndpoint.AbsoluteUri,
                    ["empty"] = head is null && snapshot is null,
                    ["head"] = head?.Sequence ?? snapshot?.Sequence ?? 0,
                    ["schemaVersion"] = head?.SchemaVersion ?? snapshot?.SchemaVersion,
                    ["snapshot"] = snapshot is null ? null : new JsonObject
                    {
                        ["position"] = snapshot.Sequence,
                        ["schemaVersion"] = snapshot.SchemaVersion,
                        ["size"] = snapshot.Size,
                        ["at"] = Iso(snapshot.At),
                        ["writer"] = snapshot.Writer,
                    },
                    ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                    {
                        ["position"] = e.Sequence,
                        ["schemaVersion"] = e.SchemaVersion,
                        ["at"] = Iso(e.At),
                        ["writer"] = e.Writer,
                        ["changesetBytes"] = e.Changeset.Length,
                    })]),
                });
                return 0;
            }

            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"Table '{store.TableName}' at {store.ServiceEndpoint.AbsoluteUri}");
            if (head is null && snapshot is null)
            {
                o.WriteLine("No records log: the table is empty (start one with 'workflows records publish').");
                return 0;
            }

            o.WriteLine($"Head position: {(head?.Sequence ?? snapshot!.Sequence).ToString(CultureInfo.InvariantCulture)} (schema version {(head?.SchemaVersion ?? snapshot!.SchemaVersion).ToString(CultureInfo.InvariantCulture)})");
            o.WriteLine(snapshot is null
                ? "Latest snapshot: none"
                : $"Latest snapshot: position {snapshot.Sequence.ToString(CultureInfo.InvariantCulture)}, {snapshot.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes, schema version {snapshot.SchemaVersion.ToString(CultureInfo.InvariantCulture)}, taken {Iso(snapshot.At)} by {snapshot.Writer}");
            if (entries.Count > 0)
            {
                o.WriteLine("Newest entries:");
                foreach (var e in entries)
                {
                    o.WriteLine($"  {e.Sequence.ToString(CultureInfo.InvariantCulture),8}  {Iso(e.At)}  {e.Writer}  ({(e.Changeset.Length == 0 ? "marker" : e.Changeset.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes")}, schema version {e.SchemaVersion.ToString(CultureInfo.InvariantCulture)})");
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The records with every table the hosts have: all modules and the service's pieces.</summary>
    private static ProgrammeRecords NewRecords(string connectionStringOrPath) =>
        new(connectionStringOrPath, ProgrammeModules.All, WorkflowsRecordsSchema.All);

    private static RestTableStore OpenStore(ParseResult parse, CliContext context, Option<string?> tables, Option<string> table)
    {
        string? connection = parse.GetValue(tables);
        string source = "--tables";
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = context.GetEnvironmentVariable(ConnectionVariable);
            source = ConnectionVariable;
        }

        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new CliInputException($"no table service: give --tables or set the environment variable {ConnectionVariable} to an Azure Storage connection string");
        }

        try
        {
            return RestTableStore.FromConnectionString(connection, parse.GetValue(table)!);
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new CliInputException(e.ParamName == "table" ? $"--table: {message}" : $"{source}: {message}");
        }
    }

    private static async Task RequireLogAsync(RestTableStore store, CancellationToken cancellationToken)
    {
        var log = new RecordsLog(store);
        if (await log.LatestSnapshotAsync(cancellationToken) is null && await log.GetAsync(1, cancellationToken) is null)
        {
            throw new CliInputException($"table '{store.TableName}' holds no records log (start one with 'workflows records publish')");
        }
    }

    /// <summary>Runs <paramref name="work"/> on a replica of the log in a temporary folder, deleted afterwards.</summary>
    private static async Task<T> WithReplicaAsync<T>(RestTableStore store, bool readOnly, Func<RecordsReplica, Task<T>> work)
    {
        var folder = Directory.CreateTempSubdirectory("workflows-records-");
        try
        {
            using var replica = new RecordsReplica(
                store,
                Path.Combine(folder.FullName, "records.db"),
                new RecordsReplicaOptions { ReadOnly = readOnly, SnapshotEvery = 0, InstanceId = Writer(readOnly ? "export" : "snapshot") });
            _ = new ProgrammeRecords(replica, ProgrammeModules.All, WorkflowsRecordsSchema.All);
            return await work(replica);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary copy is harmless; the next clean-up of the temp folder takes it.
            }
        }
    }

    private static string Writer(string command) => $"workflows records {command} ({Environment.MachineName})";

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs a command body: bad input exits 2, a failing or refusing table service 3, each with one line on standard error.</summary>
    private static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body();
        }
        catch (CliInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return InputError;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or SqliteException)
        {
            // The replica's refusals (a table already holding a log, a newer schema, a diverged copy) and file errors.
            await error.WriteLineAsync($"error: {e.Message}");
            return InputError;
        }
        catch (Exception e) when (e is HttpRequestException or TableStoreException or TaskCanceledException)
        {
            await error.WriteLineAsync($"error: the table service failed: {e.Message}");
            return ServiceError;
        }
    }
}
