using System.Globalization;

namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// A thread-safe <see cref="ITableStore"/> in memory that enforces the Azure Table service's rules
/// (<see cref="TableRules"/>): key characters and length, property names, count and sizes, entity size, transactions
/// of at most 100 operations on one partition naming no row twice, a new ETag on every write, ordinal row-key order and
/// pages of at most 1,000 rows. Rows go in and out as copies.
/// </summary>
/// <param name="time">The clock for <see cref="TableRow.Timestamp"/>; the system clock when null.</param>
public sealed class InMemoryTableStore(TimeProvider? time = null) : ITableStore
{
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    // SortedList: a range query seeks its first key by binary search, so reading the tail of a long partition (the
    // records log) does not walk the whole partition; appends in key order stay cheap.
    private readonly Dictionary<string, SortedList<string, TableRow>> partitions = new(StringComparer.Ordinal);
    private long version;

    /// <summary>Gets the number of rows in all partitions.</summary>
    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.partitions.Values.Sum(p => p.Count);
            }
        }
    }

    /// <inheritdoc/>
    public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TableRules.CheckKey(partitionKey, "PartitionKey");
        TableRules.CheckKey(rowKey, "RowKey");
        lock (this.gate)
        {
            return Task.FromResult(this.Find(partitionKey, rowKey)?.Clone());
        }
    }

    /// <inheritdoc/>
    public Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, TableQuery.MaxPageSize, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        TableRules.CheckKey(query.PartitionKey, "PartitionKey");

        // The continuation is the row key to resume at; it is checked like a key so a foreign token fails clearly.
        string? from = query.RowKeyFrom;
        if (query.Continuation is { } resume)
        {
            TableRules.CheckKey(resume, "continuation");
            if (from is null || string.CompareOrdinal(resume, from) > 0)
            {
                from = resume;
            }
        }

        lock (this.gate)
        {
            if (!this.partitions.TryGetValue(query.PartitionKey, out var partition))
            {
                return Task.FromResult(new TablePage([], null));
            }

            var rows = new List<TableRow>(Math.Min(query.PageSize, partition.Count));
            string? continuation = null;
            var keys = partition.Keys;
            for (var i = from is null ? 0 : LowerBound(keys, from); i < keys.Count; i++)
            {
                var rowKey = keys[i];
                var row = partition.Values[i];
                if (query.RowKeyTo is not null && string.CompareOrdinal(rowKey, query.RowKeyTo) >= 0)
                {
                    break;
                }

                if (rows.Count == query.PageSize)
                {
                    continuation = rowKey;
                    break;
                }

                rows.Add(row.Clone());
            }

            return Task.FromResult(new TablePage(rows, continuation));
        }
    }

    /// <inheritdoc/>
    public Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default) =>
        this.Single(TableOperation.Insert(row), cancellationToken);

    /// <inheritdoc/>
    public Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default) =>
        this.Single(TableOperation.Upsert(row), cancellationToken);

    /// <inheritdoc/>
    public Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default) =>
        this.Single(TableOperation.Update(row, ifMatch), cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default) =>
        this.Single(TableOperation.Delete(partitionKey, rowKey, ifMatch), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        cancellationToken.ThrowIfCancellationRequested();
        if (operations.Count == 0)
        {
            throw new TableInvalidInputException("InvalidInput", "A transaction needs at least one operation.");
        }

        if (operations.Count > TableRules.MaxTransactionOperations)
        {
            throw new TableInvalidInputException(
                "InvalidInput",
                string.Create(CultureInfo.InvariantCulture, $"The transaction has {operations.Count} operations; at most {TableRules.MaxTransactionOperations} are allowed."));
        }

        string partitionKey = operations[0].Row.PartitionKey;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long size = 0;
        for (int i = 0; i < operations.Count; i++)
        {
            var row = operations[i].Row;
            if (!string.Equals(row.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new TableInvalidInputException(
                    "CommandsInBatchActOnDifferentPartitions",
                    $"The transaction writes partition '{row.PartitionKey}' and '{partitionKey}'; all operations of a transaction must be on one partition.",
                    i);
            }

            if (!seen.Add(row.RowKey))
            {
                throw new TableInvalidInputException(
                    "InvalidDuplicateRow",
                    $"The transaction names the row {row} more than once; each row may appear once.",
                    i);
            }

            if (operations[i].Kind == TableOperationKind.Delete)
            {
                TableRules.CheckKey(row.PartitionKey, "PartitionKey", i);
                TableRules.CheckKey(row.RowKey, "RowKey", i);
            }
            else
            {
                TableRules.CheckRow(row, i);
                size += TableRules.PayloadSize(row);
            }
        }

        if (size > TableRules.MaxTransactionSize)
        {
            throw new TableInvalidInputException(
                "RequestBodyTooLarge",
                string.Create(CultureInfo.InvariantCulture, $"The transaction's request body would exceed {TableRules.MaxTransactionSize} bytes (4 MiB): its rows alone hold {size} bytes of text."),
                status: 413);
        }

        lock (this.gate)
        {
            // Rows are distinct, so checking every operation against the current state before applying any is exact.
            for (int i = 0; i < operations.Count; i++)
            {
                this.CheckCondition(operations[i], i);
            }

            var etags = new string?[operations.Count];
            for (int i = 0; i < operations.Count; i++)
            {
                etags[i] = this.Apply(operations[i]);
            }

            return Task.FromResult<IReadOnlyList<string?>>(etags);
        }
    }

    private Task<string> Single(TableOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (operation.Kind == TableOperationKind.Delete)
        {
            TableRules.CheckKey(operation.Row.PartitionKey, "PartitionKey");
            TableRules.CheckKey(operation.Row.RowKey, "RowKey");
        }
        else
        {
            TableRules.CheckRow(operation.Row);
        }

        lock (this.gate)
        {
            this.CheckCondition(operation, null);
            return Task.FromResult(this.Apply(operation) ?? string.Empty);
        }
    }

    private void CheckCondition(TableOperation operation, int? index)
    {
        var row = operation.Row;
        var stored = this.Find(row.PartitionKey, row.RowKey);
        switch (operation.Kind)
        {
            case TableOperationKind.Insert when stored is not null:
                throw new TableEntityExistsException(row.PartitionKey, row.RowKey, index);
            case TableOperationKind.Update or TableOperationKind.Delete when stored is null:
                throw new TableEntityNotFoundException(row.PartitionKey, row.RowKey, index);
            case TableOperationKind.Update or TableOperationKind.Delete
                when operation.IfMatch != TableOperation.AnyETag && !string.Equals(operation.IfMatch, stored!.ETag, StringComparison.Ordinal):
                throw new TableConditionFailedException(row.PartitionKey, row.RowKey, index);
            default:
                break;
        }
    }

    private string? Apply(TableOperation operation)
    {
        var row = operation.Row;
        if (operation.Kind == TableOperationKind.Delete)
        {
            var partition = this.partitions[row.PartitionKey];
            partition.Remove(row.RowKey);
            if (partition.Count == 0)
            {
                this.partitions.Remove(row.PartitionKey);
            }

            return null;
        }

        var copy = row.Clone();
        copy.Timestamp = this.time.GetUtcNow();
        copy.ETag = string.Create(CultureInfo.InvariantCulture, $"W/\"mem{++this.version}\"");
        if (!this.partitions.TryGetValue(row.PartitionKey, out var rows))
        {
            rows = new SortedList<string, TableRow>(StringComparer.Ordinal);
            this.partitions.Add(row.PartitionKey, rows);
        }

        rows[row.RowKey] = copy;
        return copy.ETag;
    }

    private TableRow? Find(string partitionKey, string rowKey) =>
        this.partitions.TryGetValue(partitionKey, out var rows) && rows.TryGetValue(rowKey, out var row) ? row : null;

    private static int LowerBound(IList<string> keys, string from)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (string.CompareOrdinal(keys[middle], from) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
