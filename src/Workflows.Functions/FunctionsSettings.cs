using Microsoft.Extensions.Configuration;

namespace Workflows.Functions;

/// <summary>
/// Settings of the Functions host that are not the shared service's (keys as in local.settings.sample.json). No Azure
/// package is used here, so tests/Workflows.Functions.Tests compiles this file and tests it.
/// </summary>
public static class FunctionsSettings
{
    /// <summary>The data folder setting (records.db, token-signing.key), shared with the embedded host.</summary>
    public const string DataPath = "Workflows:DataPath";

    /// <summary>
    /// The explicit opt-in to keep <c>records.db</c> on an Azure instance's local disk. Records are SQLite (no Azure
    /// Tables store yet): on Flex Consumption that disk is per instance and ephemeral.
    /// </summary>
    public const string AllowInstanceLocalDatabase = "Workflows:Records:AllowInstanceLocalDatabase";

    /// <summary>The environment variable the Azure Functions platform sets on every instance it runs.</summary>
    public const string AzureInstanceVariable = "WEBSITE_INSTANCE_ID";

    /// <summary>The token signing key setting (base64), shared with the embedded host.</summary>
    public const string SigningKey = "Workflows:Auth:SigningKey";

    /// <summary>The blob container of the documents.</summary>
    public const string DocumentsContainer = "Workflows:Documents:BlobContainer";

    /// <summary>The data folder (<c>Workflows:DataPath</c>, default <c>./app_data</c>), created if missing.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The folder path.</returns>
    public static string DataFolder(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string folder = config[DataPath] is { Length: > 0 } path ? path : "./app_data";
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The records database, <c>records.db</c> in the data folder.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The records database path.</returns>
    public static string RecordsDatabase(IConfiguration config) => Path.Combine(DataFolder(config), "records.db");

    /// <summary>
    /// Stops the host at start on Azure unless instance-local records are explicitly allowed: records are SQLite in
    /// <c>records.db</c> under <c>Workflows:DataPath</c>, and on Azure (Flex Consumption) that disk belongs to one
    /// instance and is lost when the instance is recycled or scaled in; other instances would not see the records.
    /// </summary>
    /// <param name="config">The configuration (<see cref="AllowInstanceLocalDatabase"/>).</param>
    /// <param name="environment">Reads an environment variable (<see cref="AzureInstanceVariable"/> tells Azure).</param>
    /// <exception cref="InvalidOperationException">On Azure without the opt-in; the message names the risk and the key.</exception>
    public static void EnsureRecordsStorageAllowed(IConfiguration config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrEmpty(environment(AzureInstanceVariable)))
        {
            return; // local: func start on a developer machine, one process, a real disk
        }

        string? allowed = config[AllowInstanceLocalDatabase];
        if (bool.TryParse(allowed, out bool yes) && yes)
        {
            return;
        }

        throw new InvalidOperationException(
            "Programme records are kept in a SQLite file (records.db under 'Workflows:DataPath'), and on Azure that disk "
            + "belongs to one instance: records would differ between instances and be lost when an instance is recycled or "
            + "scaled in. Records on Azure Tables are not built yet (see docs/azure-records.md). To run anyway (one instance, "
            + $"or a mounted share as 'Workflows:DataPath'), set '{AllowInstanceLocalDatabase}' to true"
            + (allowed is null ? "." : $"; it is '{allowed}'."));
    }

    /// <summary>
    /// Stops the host at start on Azure when <c>Workflows:Auth:SigningKey</c> is empty: locally the key is generated
    /// into the data folder (as the embedded host does), but on Azure every instance must check tokens with the same
    /// key, and an instance's disk is its own.
    /// </summary>
    /// <param name="config">The configuration (<see cref="SigningKey"/>).</param>
    /// <param name="environment">Reads an environment variable (<see cref="AzureInstanceVariable"/> tells Azure).</param>
    /// <exception cref="InvalidOperationException">On Azure without a key; the message names the setting.</exception>
    public static void EnsureSigningKeyConfigured(IConfiguration config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(environment(AzureInstanceVariable)) && string.IsNullOrWhiteSpace(config[SigningKey]))
        {
            throw new InvalidOperationException(
                $"'{SigningKey}' is empty. On Azure every instance must check bearer tokens with the same key, so it is not "
                + "generated into the instance's own data folder: set it (base64 of at least 32 random bytes; infra/ puts it "
                + "in Key Vault and references it from the app settings).");
        }
    }
}
