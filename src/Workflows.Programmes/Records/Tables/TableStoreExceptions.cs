namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// A request the table service refused. <see cref="Status"/> and <see cref="ErrorCode"/> are the service's HTTP status
/// and error code. Nothing was written when one is thrown (for a transaction: none of its operations).
/// </summary>
public abstract class TableStoreException : Exception
{
    /// <summary>Initializes the error.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorCode">The service's error code.</param>
    /// <param name="message">What was refused and why.</param>
    /// <param name="operationIndex">The failing operation of a transaction, or null.</param>
    /// <param name="innerException">The cause, e.g. the Azure SDK's exception.</param>
    protected TableStoreException(int status, string errorCode, string message, int? operationIndex, Exception? innerException)
        : base(operationIndex is { } i ? $"Operation {i} of the transaction: {message}" : message, innerException)
    {
        this.Status = status;
        this.ErrorCode = errorCode;
        this.OperationIndex = operationIndex;
    }

    /// <summary>Gets the HTTP status (400, 404, 409, 412, 413).</summary>
    public int Status { get; }

    /// <summary>Gets the service's error code, e.g. <c>EntityAlreadyExists</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>Gets the zero-based index of the operation that failed a transaction, or null outside a transaction (or when the service did not say).</summary>
    public int? OperationIndex { get; }
}

/// <summary>An insert found the row already there (409 <c>EntityAlreadyExists</c>). For an idempotent insert this means "already done".</summary>
public sealed class TableEntityExistsException : TableStoreException
{
    /// <summary>Initializes the error.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="operationIndex">The failing operation of a transaction, or null.</param>
    /// <param name="innerException">The cause.</param>
    public TableEntityExistsException(string partitionKey, string rowKey, int? operationIndex = null, Exception? innerException = null)
        : base(409, "EntityAlreadyExists", $"The row ({partitionKey}, {rowKey}) already exists.", operationIndex, innerException)
    {
    }
}

/// <summary>An update or delete named an ETag that is no longer the row's (412 <c>UpdateConditionNotSatisfied</c>): another writer got there first; read again and decide again.</summary>
public sealed class TableConditionFailedException : TableStoreException
{
    /// <summary>Initializes the error.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="operationIndex">The failing operation of a transaction, or null.</param>
    /// <param name="innerException">The cause.</param>
    public TableConditionFailedException(string partitionKey, string rowKey, int? operationIndex = null, Exception? innerException = null)
        : base(412, "UpdateConditionNotSatisfied", $"The row ({partitionKey}, {rowKey}) changed since its ETag was read.", operationIndex, innerException)
    {
    }
}

/// <summary>An update or delete named a row that does not exist (404 <c>ResourceNotFound</c>).</summary>
public sealed class TableEntityNotFoundException : TableStoreException
{
    /// <summary>Initializes the error.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="operationIndex">The failing operation of a transaction, or null.</param>
    /// <param name="innerException">The cause.</param>
    public TableEntityNotFoundException(string partitionKey, string rowKey, int? operationIndex = null, Exception? innerException = null)
        : base(404, "ResourceNotFound", $"The row ({partitionKey}, {rowKey}) does not exist.", operationIndex, innerException)
    {
    }
}

/// <summary>
/// The request breaks one of the service's rules (400, or 413 for a too-large transaction): a forbidden key character,
/// a key over 1 KiB, a bad property name, too many properties, a too-large value or entity, a transaction over 100
/// operations, across partitions or naming a row twice. <see cref="TableStoreException.ErrorCode"/> is the service's code and the
/// message names the rule.
/// </summary>
public sealed class TableInvalidInputException : TableStoreException
{
    /// <summary>Initializes the error.</summary>
    /// <param name="errorCode">The service's code, e.g. <c>InvalidInput</c>, <c>PropertyNameInvalid</c>, <c>EntityTooLarge</c>.</param>
    /// <param name="message">The rule broken, naming the key or property.</param>
    /// <param name="operationIndex">The failing operation of a transaction, or null.</param>
    /// <param name="status">The HTTP status: 400, or 413 for a request body over 4 MiB.</param>
    /// <param name="innerException">The cause.</param>
    public TableInvalidInputException(string errorCode, string message, int? operationIndex = null, int status = 400, Exception? innerException = null)
        : base(status, errorCode, message, operationIndex, innerException)
    {
    }
}
