using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Records;
using Workflows.Service.Auth;
using Workflows.Service.Configuration;

namespace Workflows.Service.Http;

/// <summary>Marks an endpoint that starts work: an <c>Idempotency-Key</c> header makes repeats safe.</summary>
public sealed class IdempotentEndpointMetadata
{
    /// <summary>The single instance endpoints carry.</summary>
    public static IdempotentEndpointMetadata Instance { get; } = new();
}

/// <summary>Adds idempotency to endpoints.</summary>
public static class IdempotencyEndpointExtensions
{
    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The response header set on a replayed response.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>
    /// Makes the endpoint honour <c>Idempotency-Key</c>: the first response (status, body, content type,
    /// Location) is stored in <c>records.db</c> per user and key; a repeat with the same key and the same
    /// request returns it again without running the handler; the same key with a different request gets 422;
    /// a repeat while the first is still running gets 409. Requests without the header run normally.
    /// Server errors (5xx) are not stored, so the client may retry them with the same key.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint builder type.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotentEndpointMetadata.Instance);
}

/// <summary>The <c>records.db</c> table of idempotency keys.</summary>
internal static class IdempotencySchema
{
    public static RecordsSchema Schema { get; } = new(
        "idempotency",
        """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            scope TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status_code INTEGER NULL,
            content_type TEXT NULL,
            location TEXT NULL,
            body BLOB NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (scope, idempotency_key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_idempotency_keys_created_at ON idempotency_keys (created_at);
        """);
}

/// <summary>Runs the <see cref="IdempotencyEndpointExtensions.WithIdempotency{TBuilder}"/> contract.</summary>
/// <param name="next">The rest of the pipeline.</param>
internal sealed class IdempotencyMiddleware(RequestDelegate next)
{
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(
        HttpContext context,
        ProgrammeRecords records,
        IOptionsMonitor<IdempotencyOptions> options,
        TimeProvider timeProvider,
        IProblemDetailsService problems,
        ILogger<IdempotencyMiddleware> logger)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is null
            || !context.Request.Headers.TryGetValue(IdempotencyEndpointExtensions.HeaderName, out var keyValues))
        {
            await next(context);
            return;
        }

        var key = keyValues.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status400BadRequest, "The Idempotency-Key header is not valid.",
                $"An Idempotency-Key is 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice).");
            return;
        }

        var scope = context.User.GetUserId() ?? "public";
        var requestHash = await HashRequestAsync(context.Request, context.RequestAborted);
        var now = timeProvider.GetUtcNow();
        var expiredBefore = (now - options.CurrentValue.Retention).ToUnixTimeMilliseconds();

        // Only the database work runs in the transaction (it may run again on a replication retry); the response and
        // the handler run after it.
        var existing = await records.TransactionAsync<StoredResponse?>(
            async (connection, transaction) =>
            {
                using (var purge = connection.CreateCommand())
                {
                    purge.Transaction = transaction;
                    purge.CommandText = "DELETE FROM idempotency_keys WHERE created_at < $expired";
                    purge.Parameters.AddWithValue("$expired", expiredBefore);
                    await purge.ExecuteNonQueryAsync(context.RequestAborted);
                }

                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, created_at)
                    VALUES ($scope, $key, $hash, $now)
                    ON CONFLICT (scope, idempotency_key) DO NOTHING
                    """;
                insert.Parameters.AddWithValue("$scope", scope);
                insert.Parameters.AddWithValue("$key", key);
                insert.Parameters.AddWithValue("$hash", requestHash);
                insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                if (await insert.ExecuteNonQueryAsync(context.RequestAborted) == 1)
                {
                    return null;
                }

                using var select = connection.CreateCommand();
                select.Transaction = transaction;
                select.CommandText = """
                    SELECT request_hash, status_code, content_type, location, body
                    FROM idempotency_keys WHERE scope = $scope AND idempotency_key = $key
                    """;
                select.Parameters.AddWithValue("$scope", scope);
                select.Parameters.AddWithValue("$key", key);
                await using var reader = await select.ExecuteReaderAsync(context.RequestAborted);
                await reader.ReadAsync(context.RequestAborted);
                return new StoredResponse(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? [] : (byte[])reader.GetValue(4));
            },
            context.RequestAborted);

        if (existing is { } stored)
        {
            if (stored.RequestHash != requestHash)
            {
                logger.IdempotencyKeyReused(key);
                await WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for a different request.",
                    "This Idempotency-Key was already used with a different method, path or body. Use a new key for a new request.");
                return;
            }

            if (stored.Status is not { } status)
            {
                await WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still running.",
                    "Wait for the first request to finish, then repeat it to get its response.");
                return;
            }

            logger.IdempotentReplay(key, status);
            context.Response.StatusCode = status;
            context.Response.Headers[IdempotencyEndpointExtensions.ReplayedHeaderName] = "true";
            if (stored.ContentType is not null)
            {
                context.Response.ContentType = stored.ContentType;
            }

            if (stored.Location is not null)
            {
                context.Response.Headers.Location = stored.Location;
            }

            await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
            return;
        }

        await RunAndStoreAsync(context, records, scope, key);
    }

    private async Task RunAndStoreAsync(HttpContext context, ProgrammeRecords records, string scope, string key)
    {
        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var stored = false;
        try
        {
            // The handler runs outside any records transaction: it may send, call out, start orchestrations.
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                var status = context.Response.StatusCode;
                var contentType = context.Response.ContentType;
                var location = context.Response.Headers.Location.ToString();
                var body = captured.ToArray();
                await records.TransactionAsync(
                    async (connection, transaction) =>
                    {
                        using var update = connection.CreateCommand();
                        update.Transaction = transaction;
                        update.CommandText = """
                            UPDATE idempotency_keys
                            SET status_code = $status, content_type = $type, location = $location, body = $body
                            WHERE scope = $scope AND idempotency_key = $key
                            """;
                        update.Parameters.AddWithValue("$status", status);
                        update.Parameters.AddWithValue("$type", (object?)contentType ?? DBNull.Value);
                        update.Parameters.AddWithValue("$location", location.Length > 0 ? location : DBNull.Value);
                        update.Parameters.AddWithValue("$body", body);
                        update.Parameters.AddWithValue("$scope", scope);
                        update.Parameters.AddWithValue("$key", key);
                        return await update.ExecuteNonQueryAsync(CancellationToken.None);
                    },
                    CancellationToken.None);
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (!stored)
            {
                // A failed first attempt must not block the retry the key exists for.
                await records.TransactionAsync(
                    async (connection, transaction) =>
                    {
                        using var delete = connection.CreateCommand();
                        delete.Transaction = transaction;
                        delete.CommandText = "DELETE FROM idempotency_keys WHERE scope = $scope AND idempotency_key = $key";
                        delete.Parameters.AddWithValue("$scope", scope);
                        delete.Parameters.AddWithValue("$key", key);
                        return await delete.ExecuteNonQueryAsync(CancellationToken.None);
                    },
                    CancellationToken.None);
            }
        }

        if (captured.Length > 0)
        {
            captured.Position = 0;
            await captured.CopyToAsync(originalBody, context.RequestAborted);
        }
    }

    internal static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n{request.ContentType}\n"));
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed record StoredResponse(string RequestHash, int? Status, string? ContentType, string? Location, byte[] Body);

    private static async Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
