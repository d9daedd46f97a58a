using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Tests.RecordsAccess;

public sealed class ProgrammeRecordsAccessTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"records-access-{Environment.ProcessId}-{Path.GetRandomFileName()}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(this.folder))
        {
            Directory.Delete(this.folder, recursive: true);
        }
    }

    private string PathOf(string name) => Path.Combine(this.folder, name);

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }

    private static RecordsSchema Notes() => new("notes", "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");

    [Fact]
    public void Read_WorkThatWrites_FailsWithSqliteReadonlyErrorAndWritesNothing()
    {
        var records = new ProgrammeRecords(this.PathOf("records.db"), schemas: [Notes()]);

        var error = Assert.Throws<SqliteException>(() => records.Read(c =>
        {
            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT INTO notes (text) VALUES ('sneaked in');";
            return insert.ExecuteNonQuery();
        }));

        Assert.Contains("readonly", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, records.Read(c => Count(c, "notes")));
    }

    [Fact]
    public async Task ReadAsync_WorkThatWrites_FailsWithSqliteReadonlyError()
    {
        var records = new ProgrammeRecords(this.PathOf("records.db"), schemas: [Notes()]);

        var error = await Assert.ThrowsAsync<SqliteException>(() => records.ReadAsync(async c =>
        {
            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT INTO notes (text) VALUES ('sneaked in');";
            return await insert.ExecuteNonQueryAsync();
        }));

        Assert.Contains("readonly", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Transaction_AfterReadsOnThePooledConnection_Writes()
    {
        // Pooled (the default for a path): the write reuses the very connection the read had, which must not stay query_only.
        var records = new ProgrammeRecords(this.PathOf("records.db"), schemas: [Notes()]);
        Assert.True(new SqliteConnectionStringBuilder(records.ConnectionString).Pooling);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1L, records.Read(c =>
            {
                using var pragma = c.CreateCommand();
                pragma.CommandText = "PRAGMA query_only;";
                return (long)pragma.ExecuteScalar()!;
            }));
            records.Transaction((c, t) =>
            {
                using var pragma = c.CreateCommand();
                pragma.Transaction = t;
                pragma.CommandText = "PRAGMA query_only;";
                Assert.Equal(0L, (long)pragma.ExecuteScalar()!);
                using var insert = c.CreateCommand();
                insert.Transaction = t;
                insert.CommandText = "INSERT INTO notes (text) VALUES ('written');";
                insert.ExecuteNonQuery();
            });
        }

        Assert.Equal(3L, records.Read(c => Count(c, "notes")));
    }

    [Fact]
    public void EnsureSchema_ExtraSchemas_CreatedAfterTheModulesWithUpgradeInTheSameTransaction()
    {
        var upgraded = 0;
        var records = new ProgrammeRecords(
            this.PathOf(Path.Combine("nested", "records.db")),
            schemas:
            [
                Notes(),
                new RecordsSchema("tags", "CREATE TABLE IF NOT EXISTS tags (name TEXT PRIMARY KEY);", (c, t) =>
                {
                    upgraded++;
                    using var insert = c.CreateCommand();
                    insert.Transaction = t;
                    insert.CommandText = "INSERT OR IGNORE INTO tags (name) VALUES ('seeded');";
                    insert.ExecuteNonQuery();
                }),
                Notes(),
            ]);

        records.EnsureSchema();
        records.EnsureSchema();

        Assert.Equal(["notes", "tags"], records.Schemas.Select(s => s.Name));
        Assert.Equal(1, upgraded);
        Assert.True(File.Exists(this.PathOf(Path.Combine("nested", "records.db"))));
        Assert.Equal((0L, 1L, 0L), records.Read(c => (Count(c, "notes"), Count(c, "tags"), Count(c, "outbox_mail"))));
    }

    [Fact]
    public void EnsureSchema_ExtraSchemaFails_NamesItAndCreatesNoTable()
    {
        var records = new ProgrammeRecords(this.PathOf("records.db"), schemas: [Notes(), new RecordsSchema("broken", "CREATE TABLE oops (;")]);

        var error = Assert.Throws<InvalidOperationException>(records.EnsureSchema);

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
        using var raw = new SqliteConnection(records.ConnectionString);
        raw.Open();
        using var tables = raw.CreateCommand();
        tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table';";
        Assert.Equal(0L, (long)tables.ExecuteScalar()!);
    }

    [Fact]
    public void Constructor_TwoSchemasOneNameDifferentScripts_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProgrammeRecords(
            this.PathOf("records.db"), schemas: [Notes(), new RecordsSchema("notes", "CREATE TABLE IF NOT EXISTS notes2 (id INTEGER);")]));

        Assert.Contains("'notes'", error.Message, StringComparison.Ordinal);
    }
}
