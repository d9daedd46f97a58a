namespace Workflows.Service;

/// <summary>
/// The service's structured log messages. Event ids: 1000–1099 start-up (1000–1001 are the embedded host's own),
/// 1100–1199 auth, 1200–1299 documents, 1300–1399 HTTP frame (errors, idempotency), 1400–1499 durable management API.
/// Later API files take the next free hundred.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1002, LogLevel.Information, "records.db ready at {Path} ({SchemaCount} schema scripts)")]
    public static partial void RecordsDatabaseReady(this ILogger logger, string path, int schemaCount);

    [LoggerMessage(1100, LogLevel.Information, "Bearer token rejected: {Reason}")]
    public static partial void TokenRejected(this ILogger logger, string reason);

    [LoggerMessage(1200, LogLevel.Information, "Document {DocumentId} stored: {Size} bytes, {ContentType}, sha256 {Sha256}, owner {OwnerId}")]
    public static partial void DocumentStored(this ILogger logger, string documentId, long size, string contentType, string sha256, string ownerId);

    [LoggerMessage(1201, LogLevel.Information, "Document upload refused ({Reason}): {Message}")]
    public static partial void DocumentRefused(this ILogger logger, string reason, string message);

    [LoggerMessage(1202, LogLevel.Information, "Document {DocumentId} deleted by {UserId}")]
    public static partial void DocumentDeleted(this ILogger logger, string documentId, string userId);

    [LoggerMessage(1300, LogLevel.Error, "Unhandled exception for {Method} {Path}")]
    public static partial void UnhandledException(this ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(1301, LogLevel.Information, "Idempotency-Key {IdempotencyKey} replayed with status {StatusCode}")]
    public static partial void IdempotentReplay(this ILogger logger, string idempotencyKey, int statusCode);

    [LoggerMessage(1302, LogLevel.Warning, "Idempotency-Key {IdempotencyKey} reused for a different request")]
    public static partial void IdempotencyKeyReused(this ILogger logger, string idempotencyKey);

    [LoggerMessage(1400, LogLevel.Information, "Orchestration {InstanceId} of {Name} started over the management API")]
    public static partial void OrchestrationStarted(this ILogger logger, string instanceId, string name);

    [LoggerMessage(1401, LogLevel.Information, "Management API: {Operation} on instance {InstanceId}")]
    public static partial void InstanceOperation(this ILogger logger, string operation, string instanceId);

    [LoggerMessage(1402, LogLevel.Information, "Management API: purged {Count} instances by filter")]
    public static partial void InstancesPurged(this ILogger logger, int count);
}
