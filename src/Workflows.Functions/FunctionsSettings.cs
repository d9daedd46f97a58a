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
    /// Where the records live: <c>Tables</c> (a local SQLite copy per instance, every write appended to a shared log in one
    /// Azure table) or <c>File</c> (<c>records.db</c> in the data folder). Default: <c>Tables</c> on Azure, <c>File</c> locally.
    /// </summary>
    public const string RecordsStoreKey = "Workflows:Records:Store";

    /// <summary>The Azure table of the records log (default <see cref="DefaultRecordsTable"/>).</summary>
    public const string RecordsTableKey = "Workflows:Records:Table";

    /// <summary>The default table of the records log.</summary>
    public const string DefaultRecordsTable = "records";

    /// <summary>
    /// The file of this instance's local copy of the replicated records (default
    /// <c>{temp}/workflows-records/{WEBSITE_INSTANCE_ID or local}/records.db</c>). Instance-local disk is right: it is a cache.
    /// </summary>
    public const string RecordsLocalCopyPathKey = "Workflows:Records:LocalCopyPath";

    /// <summary>
    /// The explicit opt-in to keep records in <c>records.db</c> on an Azure instance's local disk (<see cref="RecordsStore.File"/>
    /// on Azure): on Flex Consumption that disk is per instance and ephemeral.
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
    /// Where the records live (<see cref="RecordsStoreKey"/>): <see cref="RecordsStore.Tables"/> or
    /// <see cref="RecordsStore.File"/>, case-insensitive; when unset, <see cref="RecordsStore.Tables"/> on Azure
    /// (<see cref="AzureInstanceVariable"/> set) and <see cref="RecordsStore.File"/> locally (<c>func start</c>).
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="environment">Reads an environment variable (<see cref="AzureInstanceVariable"/> tells Azure).</param>
    /// <returns>The store.</returns>
    /// <exception cref="InvalidOperationException">Any other value; the message quotes it and names the two allowed.</exception>
    public static RecordsStore Records(IConfiguration config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        string? value = config[RecordsStoreKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return OnAzure(environment) ? RecordsStore.Tables : RecordsStore.File;
        }

        if (string.Equals(value.Trim(), nameof(RecordsStore.Tables), StringComparison.OrdinalIgnoreCase))
        {
            return RecordsStore.Tables;
        }

        if (string.Equals(value.Trim(), nameof(RecordsStore.File), StringComparison.OrdinalIgnoreCase))
        {
            return RecordsStore.File;
        }

        throw new InvalidOperationException(
            $"'{RecordsStoreKey}' is '{value}'; it must be '{nameof(RecordsStore.Tables)}' (records replicated through a log in "
            + $"an Azure table, for Azure) or '{nameof(RecordsStore.File)}' (records.db in the data folder, for one local process).");
    }

    /// <summary>
    /// The table of the records log (<see cref="RecordsTableKey"/>, default <see cref="DefaultRecordsTable"/>), checked
    /// against Azure's table-name rules: 3 to 63 letters and digits, starting with a letter, and not the reserved name
    /// <c>tables</c>.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The table name.</returns>
    /// <exception cref="InvalidOperationException">The name breaks a rule; the message quotes it and names the rule.</exception>
    public static string RecordsTable(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? value = config[RecordsTableKey];
        if (value is null || value.Length == 0)
        {
            return DefaultRecordsTable;
        }

        string? problem =
            value.Length is < 3 or > 63 ? $"it has {value.Length} characters, and a table name has 3 to 63"
            : !value.All(char.IsAsciiLetterOrDigit) ? "a table name has only letters and digits (A-Z, a-z, 0-9)"
            : !char.IsAsciiLetter(value[0]) ? "a table name starts with a letter"
            : string.Equals(value, "tables", StringComparison.OrdinalIgnoreCase) ? "'tables' is reserved by the Table service"
            : null;
        return problem is null
            ? value
            : throw new InvalidOperationException($"'{RecordsTableKey}' is '{value}', which Azure Table Storage refuses: {problem}.");
    }

    /// <summary>
    /// The local copy of the replicated records (<see cref="RecordsLocalCopyPathKey"/>, default
    /// <c>{temp}/workflows-records/{instance}/records.db</c>, where the instance is <see cref="AzureInstanceVariable"/> or
    /// <c>local</c>); its folder is created if missing.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The file path.</returns>
    public static string RecordsLocalCopy(IConfiguration config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        string path = config[RecordsLocalCopyPathKey] is { Length: > 0 } set
            ? set
            : Path.Combine(Path.GetTempPath(), "workflows-records", FolderName(environment(AzureInstanceVariable)), "records.db");
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>The name this instance writes into the records log: <see cref="AzureInstanceVariable"/>, else the machine name.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The instance name.</returns>
    public static string InstanceId(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment(AzureInstanceVariable) is { Length: > 0 } id ? id : Environment.MachineName;
    }

    /// <summary>
    /// Stops the host at start on Azure when the records would be <c>records.db</c> on the instance's own disk
    /// (<see cref="RecordsStore.File"/>) without the explicit opt-in: on Azure (Flex Consumption) that disk belongs to one
    /// instance and is lost when the instance is recycled or scaled in; other instances would not see the records.
    /// <see cref="RecordsStore.Tables"/> (the default on Azure) needs no opt-in. Also rejects a bad
    /// <see cref="RecordsStoreKey"/> and, for <see cref="RecordsStore.Tables"/>, a bad <see cref="RecordsTableKey"/>.
    /// </summary>
    /// <param name="config">The configuration (<see cref="RecordsStoreKey"/>, <see cref="AllowInstanceLocalDatabase"/>).</param>
    /// <param name="environment">Reads an environment variable (<see cref="AzureInstanceVariable"/> tells Azure).</param>
    /// <exception cref="InvalidOperationException">A setting is invalid, or File on Azure without the opt-in; the message names the key.</exception>
    public static void EnsureRecordsStorageAllowed(IConfiguration config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        if (Records(config, environment) == RecordsStore.Tables)
        {
            _ = RecordsTable(config);
            return;
        }

        if (!OnAzure(environment))
        {
            return; // local: func start on a developer machine, one process, a real disk
        }

        string? allowed = config[AllowInstanceLocalDatabase];
        if (bool.TryParse(allowed, out bool yes) && yes)
        {
            return;
        }

        throw new InvalidOperationException(
            $"'{RecordsStoreKey}' is '{nameof(RecordsStore.File)}': records would be a SQLite file (records.db under "
            + "'Workflows:DataPath') on this instance's own disk, so they would differ between instances and be lost when an "
            + $"instance is recycled or scaled in. Set '{RecordsStoreKey}' to '{nameof(RecordsStore.Tables)}' (the default on "
            + "Azure: records replicated through a log in an Azure table; see docs/azure-records.md). To keep the file anyway "
            + $"(one instance, or a mounted share as 'Workflows:DataPath'), set '{AllowInstanceLocalDatabase}' to true"
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

    private static bool OnAzure(Func<string, string?> environment) => !string.IsNullOrEmpty(environment(AzureInstanceVariable));

    private static string FolderName(string? instance)
    {
        if (string.IsNullOrEmpty(instance))
        {
            return "local";
        }

        char[] invalid = Path.GetInvalidFileNameChars();
        return new string(instance.Select(c => Array.IndexOf(invalid, c) >= 0 ? '_' : c).ToArray());
    }
}

/// <summary>Where the Functions host keeps the programme records (<see cref="FunctionsSettings.RecordsStoreKey"/>).</summary>
public enum RecordsStore
{
    /// <summary>A local SQLite copy per instance, every write appended to a shared log in one Azure table (for Azure).</summary>
    Tables,

    /// <summary><c>records.db</c> in the data folder (one local process; on Azure only with the explicit opt-in).</summary>
    File,
}
