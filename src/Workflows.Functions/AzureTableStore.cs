using Azure;
using Azure.Data.Tables;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Functions;

/// <summary>
/// <see cref="ITableStore"/> over one table of Azure Table Storage (Azure.Data.Tables 12.x <see cref="TableClient"/>):
/// delegation and mapping only. The service enforces the rules that <see cref="InMemoryTableStore"/> imitates, and the
/// same conformance suite (tests/Workflows.Programmes.Tests/Records/Tables) describes what this class must do.
/// </summary>
/// <remarks>
/// Mapping decisions, checked against sdk/tables/Azure.Data.Tables/src in Azure/azure-sdk-for-net but not run here
/// (the package does not restore on the build machines), so each could be wrong:
/// <list type="bullet">
/// <item>Every write is a replace (<see cref="TableUpdateMode.Replace"/>, <see cref="TableTransactionActionType.UpsertReplace"/>,
/// <see cref="TableTransactionActionType.UpdateReplace"/>); the SDK's default is merge, which <see cref="ITableStore"/> does not offer.</item>
/// <item><see cref="TableClient.DeleteEntityAsync(string, string, ETag, CancellationToken)"/> returns the 404 response instead of throwing
/// (TableClient.cs: <c>case 404: case 204: return message.Response</c>), so a 404 status is turned into
/// <see cref="TableEntityNotFoundException"/> here.</item>
/// <item>ETags: <c>*</c> becomes <see cref="ETag.All"/>; any other text is passed as <c>new ETag(text)</c>, and the stored ETag is
/// read from the response's <c>ETag</c> header (writes) or the entity's <c>odata.etag</c> (reads), both as <see cref="ETag.ToString()"/>.</item>
/// <item>Types: the SDK writes <c>long</c> as an annotated Edm.Int64 string, <c>double</c>, <c>Guid</c>, <c>DateTimeOffset</c> and
/// <c>byte[]</c> with their Edm annotations (DictionaryTableExtensions.ToOdataAnnotatedDictionary), and reads them back as
/// <c>long</c>, <c>double</c>, <c>Guid</c>, <c>DateTimeOffset</c> and <c>byte[]</c>; un-annotated JSON numbers come back as <c>int</c>
/// when they have no fraction (Azure.Core's JsonElement GetObject), so a whole double written by another client without an
/// annotation would read as Int32. How the SDK serialises NaN and the infinities was not verified.</item>
/// <item>Errors: <see cref="RequestFailedException.Status"/> and <see cref="RequestFailedException.ErrorCode"/> choose the exception;
/// <see cref="TableTransactionFailedException.FailedTransactionActionIndex"/> names the failing operation of a transaction.
/// Other failures (authentication, throttling, a missing table) are left as the SDK's exception.</item>
/// <item>The continuation is the SDK's token ("NextPartitionKey NextRowKey"), passed back to
/// <c>AsPages(continuationToken, pageSize)</c> unchanged.</item>
/// </list>
/// </remarks>
/// <param name="table">The table client (its table must exist; see <see cref="CreateTableIfNotExistsAsync"/>).</param>
public sealed class AzureTableStore(TableClient table) : ITableStore
{
    /// <summary>Creates the table when it does not exist yet (once, at host start).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public Task CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        table.CreateIfNotExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, null, cancellationToken);
            return response.HasValue && response.Value is { } entity ? ToRow(entity) : null;
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, partitionKey, rowKey, null);
        }
    }

    /// <inheritdoc/>
    public async Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, TableQuery.MaxPageSize, nameof(query));

        // CreateQueryFilter quotes and escapes the interpolated keys.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.PartitionKey}");
        if (query.RowKeyFrom is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {from}");
        }

        if (query.RowKeyTo is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {to}");
        }

        try
        {
            var pages = table.QueryAsync<TableEntity>(filter, query.PageSize, null, cancellationToken).AsPages(query.Continuation, query.PageSize);
            await foreach (var page in pages)
            {
                // One page per call: leaving the loop stops the pageable before it requests the next page.
                return new TablePage(page.Values.Select(ToRow).ToList(), page.ContinuationToken);
            }

            return new TablePage([], null);
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, query.PartitionKey, query.RowKeyFrom ?? string.Empty, null);
        }
    }

    /// <inheritdoc/>
    public async Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            return ETagOf(await table.AddEntityAsync(ToEntity(row), cancellationToken));
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, row.PartitionKey, row.RowKey, null);
        }
    }

    /// <inheritdoc/>
    public async Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            return ETagOf(await table.UpsertEntityAsync(ToEntity(row), TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, row.PartitionKey, row.RowKey, null);
        }
    }

    /// <inheritdoc/>
    public async Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            return ETagOf(await table.UpdateEntityAsync(ToEntity(row), ToETag(ifMatch), TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, row.PartitionKey, row.RowKey, null);
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default)
    {
        Response response;
        try
        {
            response = await table.DeleteEntityAsync(partitionKey, rowKey, ToETag(ifMatch), cancellationToken);
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, partitionKey, rowKey, null);
        }

        if (response.Status == 404)
        {
            throw new TableEntityNotFoundException(partitionKey, rowKey);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            // The SDK throws InvalidOperationException for an empty batch; the store contract says InvalidInput.
            throw new TableInvalidInputException("InvalidInput", "A transaction needs at least one operation.");
        }

        var actions = operations.Select(operation => operation.Kind switch
        {
            TableOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(operation.Row)),
            TableOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(operation.Row)),
            TableOperationKind.Update => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(operation.Row), ToETag(operation.IfMatch!)),
            _ => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(operation.Row.PartitionKey, operation.Row.RowKey), ToETag(operation.IfMatch!)),
        }).ToList();

        try
        {
            var responses = (await table.SubmitTransactionAsync(actions, cancellationToken)).Value;

            // The SDK returns one response per action, in the order submitted.
            return responses.Select((r, i) => operations[i].Kind == TableOperationKind.Delete ? null : ETagOf(r)).ToList();
        }
        catch (TableTransactionFailedException ex) when (IsMapped(ex))
        {
            var failed = ex.FailedTransactionActionIndex is { } i && i < operations.Count ? operations[i].Row : operations[0].Row;
            throw Map(ex, failed.PartitionKey, failed.RowKey, ex.FailedTransactionActionIndex);
        }
        catch (RequestFailedException ex) when (IsMapped(ex))
        {
            throw Map(ex, operations[0].Row.PartitionKey, operations[0].Row.RowKey, null);
        }
    }

    private static ETag ToETag(string ifMatch) => ifMatch == TableOperation.AnyETag ? ETag.All : new ETag(ifMatch);

    private static string ETagOf(Response response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table service answered a write without an ETag header.");

    private static TableEntity ToEntity(TableRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (name, value) in row.Properties)
        {
            // Value is string, bool, int, long, double, DateTimeOffset (UTC), Guid or byte[]: the CLR types the SDK annotates.
            entity[name] = value.Value;
        }

        return entity;
    }

    private static TableRow ToRow(TableEntity entity)
    {
        var row = new TableRow(entity.PartitionKey, entity.RowKey) { ETag = entity.ETag.ToString(), Timestamp = entity.Timestamp };
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || value is null)
            {
                continue;
            }

            row[name] = value switch
            {
                string s => s,
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                DateTimeOffset at => at,
                DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
                Guid g => g,
                byte[] bytes => bytes,
                _ => throw new InvalidOperationException($"The property '{name}' of ({entity.PartitionKey}, {entity.RowKey}) has the unsupported type {value.GetType()}."),
            };
        }

        return row;
    }

    private static bool IsMapped(RequestFailedException ex) => ex.Status is 400 or 412 or 413
        || (ex.Status == 409 && ex.ErrorCode == "EntityAlreadyExists")
        || (ex.Status == 404 && ex.ErrorCode is "ResourceNotFound" or "EntityNotFound");

    private static TableStoreException Map(RequestFailedException ex, string partitionKey, string rowKey, int? index) => ex.Status switch
    {
        409 => new TableEntityExistsException(partitionKey, rowKey, index, ex),
        412 => new TableConditionFailedException(partitionKey, rowKey, index, ex),
        404 => new TableEntityNotFoundException(partitionKey, rowKey, index, ex),
        _ => new TableInvalidInputException(ex.ErrorCode ?? "InvalidInput", ex.Message, index, ex.Status, ex),
    };
}
