namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// One Azure-Tables-shaped table: rows addressed by (partition key, row key), optimistic concurrency by ETag, and
/// all-or-nothing transactions within one partition. Implemented by <see cref="InMemoryTableStore"/> (tests), by
/// <see cref="RestTableStore"/> (the records tools; Azurite and Azure over HTTP) and by the Azure.Data.Tables adapter of the
/// Functions host. The first two pass the same conformance suite here, the second on Azurite.
/// </summary>
/// <remarks>
/// <para>
/// Every write replaces the whole row: there is no merge. To change some properties, read the row, change it and
/// <see cref="UpdateAsync"/> it with the ETag that was read; a <see cref="TableConditionFailedException"/> means someone
/// else wrote in between.
/// </para>
/// <para>
/// Errors: <see cref="TableEntityExistsException"/> (409), <see cref="TableConditionFailedException"/> (412),
/// <see cref="TableEntityNotFoundException"/> (404), <see cref="TableInvalidInputException"/> (400/413). When one is
/// thrown nothing was written. <see cref="OperationCanceledException"/> on cancellation; then the write may or may
/// not have happened, as with a lost connection.
/// </para>
/// </remarks>
public interface ITableStore
{
    /// <summary>Reads one row.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A copy of the row with its ETag and Timestamp, or null when it does not exist.</returns>
    /// <exception cref="TableInvalidInputException">A key breaks the key rules.</exception>
    Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of a partition, ascending by row key (ordinal).</summary>
    /// <param name="query">The partition, the optional row-key range, the page size and the continuation.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The page; its <see cref="TablePage.Continuation"/> is null when no rows follow.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page size is not between 1 and 1,000.</exception>
    Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default);

    /// <summary>Inserts a row that must not exist yet.</summary>
    /// <param name="row">The row (its ETag and Timestamp are ignored).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new ETag.</returns>
    /// <exception cref="TableEntityExistsException">The row exists.</exception>
    /// <exception cref="TableInvalidInputException">The row breaks a rule of the service.</exception>
    Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default);

    /// <summary>Inserts the row, or replaces the whole stored row (properties not in <paramref name="row"/> are removed).</summary>
    /// <param name="row">The row.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new ETag.</returns>
    /// <exception cref="TableInvalidInputException">The row breaks a rule of the service.</exception>
    Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default);

    /// <summary>Replaces the whole stored row if its ETag is <paramref name="ifMatch"/>.</summary>
    /// <param name="row">The new content.</param>
    /// <param name="ifMatch">The ETag that was read, or <see cref="TableOperation.AnyETag"/> (<c>*</c>) for any.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new ETag.</returns>
    /// <exception cref="TableConditionFailedException">The stored ETag differs.</exception>
    /// <exception cref="TableEntityNotFoundException">The row does not exist.</exception>
    /// <exception cref="TableInvalidInputException">The row breaks a rule of the service.</exception>
    Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes the row if its ETag is <paramref name="ifMatch"/>.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="ifMatch">The ETag that was read, or <see cref="TableOperation.AnyETag"/> (<c>*</c>) for any.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the row is gone.</returns>
    /// <exception cref="TableConditionFailedException">The stored ETag differs.</exception>
    /// <exception cref="TableEntityNotFoundException">The row does not exist.</exception>
    Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies 1 to 100 operations on rows of ONE partition, all or nothing (an entity group transaction).
    /// No row may appear twice.
    /// </summary>
    /// <param name="operations">The operations, applied in order.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>For each operation, the row's new ETag (null for a delete).</returns>
    /// <exception cref="TableStoreException">An operation failed; <see cref="TableStoreException.OperationIndex"/> names it and nothing was written.</exception>
    /// <exception cref="TableInvalidInputException">The transaction is empty, has more than 100 operations, spans partitions or names a row twice.</exception>
    Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default);
}
