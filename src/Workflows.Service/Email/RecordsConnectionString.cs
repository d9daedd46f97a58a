using Microsoft.Data.Sqlite;

namespace Workflows.Service.Email;

/// <summary>
/// Finds the records database for the outbox and the schedule runner when the host does not hand one over:
/// setting <c>ConnectionStrings:Records</c>, else <c>app_data/records.db</c>.
/// </summary>
public static class RecordsConnectionString
{
    /// <summary>The connection-string name: setting <c>ConnectionStrings:Records</c>.</summary>
    public const string Name = "Records";

    /// <summary>Used when the setting is absent: the file in the host's default data folder.</summary>
    public const string Default = "Data Source=app_data/records.db";

    /// <summary>The connection string from settings (or the default), with the folder of a file database created.</summary>
    /// <param name="configuration">Settings.</param>
    /// <returns>A Microsoft.Data.Sqlite connection string.</returns>
    public static string Resolve(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(Name);
        return Prepare(string.IsNullOrWhiteSpace(value) ? Default : value);
    }

    /// <summary>A connection string for the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A connection string with a 30-second busy wait.</returns>
    public static string ForFile(string path) =>
        Prepare(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());

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
