using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Service.Data;

/// <summary>
/// A piece of the <c>records.db</c> schema contributed by one feature (idempotency keys, outbox, audit,
/// programme records). Scripts run at every start, in registration order, so they must be idempotent
/// (<c>CREATE TABLE IF NOT EXISTS</c>, <c>CREATE INDEX IF NOT EXISTS</c>).
/// </summary>
/// <param name="Name">A short name for logs and errors, e.g. <c>idempotency</c>.</param>
/// <param name="Script">The SQL to run.</param>
public sealed record RecordsSchema(string Name, string Script);

/// <summary>
/// Opens connections to <c>records.db</c> (the database of <see cref="ProgrammeRecords"/>, whose location the host
/// chooses): WAL journal, foreign keys on, a busy wait instead of "database is locked" errors.
/// </summary>
public sealed class RecordsDatabase
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<RecordsSchema> _schemas;

    /// <summary>Creates the accessor; <see cref="EnsureCreatedAsync"/> applies the schema.</summary>
    /// <param name="records">The programme records; this is the same database.</param>
    /// <param name="schemas">The schema pieces registered with <see cref="WorkflowsServiceCollectionExtensions.AddRecordsSchema"/>.</param>
    public RecordsDatabase(ProgrammeRecords records, IEnumerable<RecordsSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(records);
        var dataSource = new SqliteConnectionStringBuilder(records.ConnectionString).DataSource;
        Path = string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? dataSource : System.IO.Path.GetFullPath(dataSource);
        _connectionString = new SqliteConnectionStringBuilder(records.ConnectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        _schemas = schemas.ToList();
    }

    /// <summary>The absolute path of the database file (as given when it is not a file).</summary>
    public string Path { get; }

    /// <summary>Opens a new connection; the caller disposes it.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>An open connection.</returns>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 30000;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the file if needed, switches it to WAL and runs every registered schema script.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the schema is in place.</returns>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var schema in _schemas)
        {
            using var command = connection.CreateCommand();
            command.CommandText = schema.Script;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException($"The records.db schema '{schema.Name}' failed: {ex.Message}", ex);
            }
        }
    }
}
