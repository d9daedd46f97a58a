namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// A query of one partition, in ascending ordinal row-key order, optionally limited to a row-key range.
/// </summary>
/// <param name="PartitionKey">The partition.</param>
/// <param name="RowKeyFrom">Smallest row key returned (inclusive), or null for the start of the partition.</param>
/// <param name="RowKeyTo">Row keys returned are below this one (exclusive), or null for the end of the partition.</param>
/// <param name="PageSize">Most rows per page, 1 to <see cref="MaxPageSize"/>.</param>
/// <param name="Continuation">The <see cref="TablePage.Continuation"/> of the previous page of the same query, or null for the first page.</param>
public sealed record TableQuery(
    string PartitionKey,
    string? RowKeyFrom = null,
    string? RowKeyTo = null,
    int PageSize = TableQuery.MaxPageSize,
    string? Continuation = null)
{
    /// <summary>The service's page limit: at most 1,000 entities per response.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>A query of the row keys that start with <paramref name="prefix"/>.</summary>
    /// <param name="partitionKey">The partition.</param>
    /// <param name="prefix">The row-key prefix; not empty.</param>
    /// <param name="pageSize">Most rows per page.</param>
    /// <returns>The query from <paramref name="prefix"/> (inclusive) to the prefix with its last character incremented (exclusive).</returns>
    /// <exception cref="ArgumentException">The prefix is empty or ends in U+FFFF.</exception>
    public static TableQuery WithPrefix(string partitionKey, string prefix, int pageSize = MaxPageSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        char last = prefix[^1];
        if (last == char.MaxValue)
        {
            throw new ArgumentException("A row-key prefix cannot end in U+FFFF: no key bounds it from above.", nameof(prefix));
        }

        return new TableQuery(partitionKey, prefix, string.Concat(prefix.AsSpan(0, prefix.Length - 1), [(char)(last + 1)]), pageSize);
    }
}

/// <summary>
/// One page of a <see cref="TableQuery"/>. A page can hold fewer rows than asked for (even none) while more follow:
/// only a null <see cref="Continuation"/> means the query is done.
/// </summary>
/// <param name="Rows">The rows, ascending by row key.</param>
/// <param name="Continuation">An opaque token for the next page, or null when there is none. Only valid with the same store and query.</param>
public sealed record TablePage(IReadOnlyList<TableRow> Rows, string? Continuation);
