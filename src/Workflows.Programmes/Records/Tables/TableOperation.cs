namespace Workflows.Programmes.Records.Tables;

/// <summary>What a <see cref="TableOperation"/> does.</summary>
public enum TableOperationKind
{
    /// <summary>Insert; fails with <see cref="TableEntityExistsException"/> when the row exists.</summary>
    Insert,

    /// <summary>Insert or replace the whole row, unconditionally.</summary>
    Upsert,

    /// <summary>Replace the whole row if its ETag matches (or unconditionally with <c>*</c>); the row must exist.</summary>
    Update,

    /// <summary>Delete the row if its ETag matches (or unconditionally with <c>*</c>); the row must exist.</summary>
    Delete,
}

/// <summary>One write in <see cref="ITableStore.SubmitTransactionAsync"/>.</summary>
public sealed record TableOperation
{
    /// <summary>The condition that matches any existing row.</summary>
    public const string AnyETag = "*";

    private TableOperation(TableOperationKind kind, TableRow row, string? ifMatch)
    {
        this.Kind = kind;
        this.Row = row;
        this.IfMatch = ifMatch;
    }

    /// <summary>Gets what the operation does.</summary>
    public TableOperationKind Kind { get; }

    /// <summary>Gets the row written (for <see cref="TableOperationKind.Delete"/>, only its keys matter).</summary>
    public TableRow Row { get; }

    /// <summary>Gets the ETag condition of an update or delete (<see cref="AnyETag"/> for none); null for insert and upsert.</summary>
    public string? IfMatch { get; }

    /// <summary>Inserts <paramref name="row"/>.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The operation.</returns>
    public static TableOperation Insert(TableRow row) => new(TableOperationKind.Insert, Required(row), null);

    /// <summary>Inserts or replaces <paramref name="row"/>.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The operation.</returns>
    public static TableOperation Upsert(TableRow row) => new(TableOperationKind.Upsert, Required(row), null);

    /// <summary>Replaces <paramref name="row"/> if the stored ETag is <paramref name="ifMatch"/>.</summary>
    /// <param name="row">The new content.</param>
    /// <param name="ifMatch">The ETag that was read, or <see cref="AnyETag"/>.</param>
    /// <returns>The operation.</returns>
    public static TableOperation Update(TableRow row, string ifMatch) => new(TableOperationKind.Update, Required(row), RequiredETag(ifMatch));

    /// <summary>Deletes the row if the stored ETag is <paramref name="ifMatch"/>.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="ifMatch">The ETag that was read, or <see cref="AnyETag"/>.</param>
    /// <returns>The operation.</returns>
    public static TableOperation Delete(string partitionKey, string rowKey, string ifMatch) =>
        new(TableOperationKind.Delete, new TableRow(partitionKey, rowKey), RequiredETag(ifMatch));

    private static TableRow Required(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row;
    }

    private static string RequiredETag(string ifMatch)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        return ifMatch;
    }
}
