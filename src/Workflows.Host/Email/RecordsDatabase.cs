using Microsoft.Data.Sqlite;

namespace Workflows.Host.Email;

/// <summary>Where the records database (outbox, schedule progress, programme records) lives.</summary>
public static class RecordsDatabase
{
    /// <summary>The connection-string name: setting <c>ConnectionStrings:Records</c>.</summary>
    public const string ConnectionStringName = "Records";

    /// <summary>Used when the setting is absent: a file under the host's data folder.</summary>
    public const string DefaultConnectionString = "Data Source=app_data/records.db";

    /// <summary>
    /// The connection string from settings (or the default), after creating the folder of a file database so the
    /// first open does not fail on a fresh machine.
    /// </summary>
    /// <param name="configuration">Settings.</param>
    /// <returns>A Microsoft.Data.Sqlite connection string.</returns>
    public static string ResolveConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        return Prepare(string.IsNullOrWhiteSpace(value) ? DefaultConnectionString : value);
    }

    /// <summary>Creates the folder of a file database named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The same connection string.</returns>
    public static string Prepare(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && !dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return connectionString;
    }
}
