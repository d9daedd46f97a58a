using Microsoft.Extensions.Configuration;

namespace Workflows.Functions;

/// <summary>Settings shared with the embedded host (keys as in local.settings.sample.json).</summary>
public static class FunctionsSettings
{
    /// <summary>Setting keys of the three schedules; the embedded host reads the same keys.</summary>
    public const string AnnualAssessments = "Workflows:Schedules:AnnualAssessments";

    /// <summary>Cron of the instalment run.</summary>
    public const string Instalments = "Workflows:Schedules:Instalments";

    /// <summary>Cron of the deadline sweep.</summary>
    public const string DeadlineSweep = "Workflows:Schedules:DeadlineSweep";

    /// <summary>
    /// The records database. ProgrammeRecords is SQLite-only (no interface to put Azure Tables behind), so the
    /// Functions app keeps records.db under <c>Workflows:DataPath</c>; on Azure this must be a single-instance app or a
    /// mounted share until the records get a storage interface.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The records database path.</returns>
    public static string RecordsDatabase(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string folder = config["Workflows:DataPath"] is { Length: > 0 } path ? path : "./app_data";
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "records.db");
    }
}
