namespace Workflows.Host;

/// <summary>The embedded host's own log messages (event ids 1000–1001; the service has the rest of 1000–1499).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Workflows host data folder: {DataFolder}")]
    public static partial void DataFolderReady(this ILogger logger, string dataFolder);

    [LoggerMessage(1001, LogLevel.Information, "Token signing key loaded from {Source}")]
    public static partial void SigningKeyLoaded(this ILogger logger, string source);
}
