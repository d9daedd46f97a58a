// API-shape stub of the NuGet package Azure.Data.Tables 12.x (12.11, the line current with Azure.Core 1.4x; the net8.0
// assembly is the one a net10.0 app binds to): TableClient, TableEntity and the transaction types that AzureTableStore
// uses, and the two TableClient constructors Program.cs uses for the records log (connection string + table name;
// endpoint + table name + TokenCredential; both re-checked in the listing below for the Tables records store). Checked against the package's public API listing in Azure/azure-sdk-for-net:
// sdk/tables/Azure.Data.Tables/api/Azure.Data.Tables.net8.0.cs (commit 49ef7982). For every TableClient method called,
// the whole async overload set is declared (QueryAsync over a filter string and over an Expression; DeleteEntityAsync by
// keys and by entity). Not nullable-annotated (the listing declares `string filter = null`), hence #nullable disable.
// Left out: TableServiceClient, SAS, TableClientOptions' base class (Azure.Core.ClientOptions), the sync methods,
// TableEntity's typed getters other than those listed, and everything else not used.
#nullable disable
#pragma warning disable IDE0060 // placeholders ignore their parameters

using System.Collections;
using System.Linq.Expressions;
using Azure.Core;
using Azure.Data.Tables.Models;

namespace Azure.Data.Tables
{
    public interface ITableEntity
    {
        ETag ETag { get; set; }

        string PartitionKey { get; set; }

        string RowKey { get; set; }

        DateTimeOffset? Timestamp { get; set; }
    }

    public class TableClientOptions
    {
    }

    public class TableClient
    {
        protected TableClient()
        {
        }

        public TableClient(string connectionString, string tableName)
        {
        }

        public TableClient(string connectionString, string tableName, TableClientOptions options = null)
        {
        }

        public TableClient(Uri endpoint, TableClientOptions options = null)
        {
        }

        public TableClient(Uri endpoint, string tableName, TokenCredential tokenCredential, TableClientOptions options = null)
        {
        }

        public virtual string AccountName => throw new NotSupportedException("compile-check stub");

        public virtual string Name => throw new NotSupportedException("compile-check stub");

        public virtual Uri Uri => throw new NotSupportedException("compile-check stub");

        public static string CreateQueryFilter(FormattableString filter) => throw new NotSupportedException("compile-check stub");

        public static string CreateQueryFilter<T>(Expression<Func<T, bool>> filter) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> AddEntityAsync<T>(T entity, CancellationToken cancellationToken = default)
            where T : ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<TableItem>> CreateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<TableItem>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> DeleteAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> DeleteEntityAsync(ITableEntity entity, ETag ifMatch = default, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<T>> GetEntityAsync<T>(string partitionKey, string rowKey, IEnumerable<string> select = null, CancellationToken cancellationToken = default)
            where T : class, ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual Task<NullableResponse<T>> GetEntityIfExistsAsync<T>(string partitionKey, string rowKey, IEnumerable<string> select = null, CancellationToken cancellationToken = default)
            where T : class, ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual AsyncPageable<T> QueryAsync<T>(Expression<Func<T, bool>> filter, int? maxPerPage = null, IEnumerable<string> select = null, CancellationToken cancellationToken = default)
            where T : class, ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual AsyncPageable<T> QueryAsync<T>(string filter = null, int? maxPerPage = null, IEnumerable<string> select = null, CancellationToken cancellationToken = default)
            where T : class, ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
            where T : ITableEntity => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
            where T : ITableEntity => throw new NotSupportedException("compile-check stub");
    }

    public sealed class TableEntity : ITableEntity, IDictionary<string, object>
    {
        public TableEntity()
        {
        }

        public TableEntity(IDictionary<string, object> values)
        {
        }

        public TableEntity(string partitionKey, string rowKey)
        {
        }

        public int Count => throw new NotSupportedException("compile-check stub");

        public ETag ETag { get => throw new NotSupportedException("compile-check stub"); set => throw new NotSupportedException("compile-check stub"); }

        public ICollection<string> Keys => throw new NotSupportedException("compile-check stub");

        public string PartitionKey { get => throw new NotSupportedException("compile-check stub"); set => throw new NotSupportedException("compile-check stub"); }

        public string RowKey { get => throw new NotSupportedException("compile-check stub"); set => throw new NotSupportedException("compile-check stub"); }

        public DateTimeOffset? Timestamp { get => throw new NotSupportedException("compile-check stub"); set => throw new NotSupportedException("compile-check stub"); }

        bool ICollection<KeyValuePair<string, object>>.IsReadOnly => throw new NotSupportedException("compile-check stub");

        ICollection<object> IDictionary<string, object>.Values => throw new NotSupportedException("compile-check stub");

        public object this[string key] { get => throw new NotSupportedException("compile-check stub"); set => throw new NotSupportedException("compile-check stub"); }

        public void Add(string key, object value) => throw new NotSupportedException("compile-check stub");

        public void Clear() => throw new NotSupportedException("compile-check stub");

        public bool ContainsKey(string key) => throw new NotSupportedException("compile-check stub");

        public byte[] GetBinary(string key) => throw new NotSupportedException("compile-check stub");

        public bool? GetBoolean(string key) => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset? GetDateTimeOffset(string key) => throw new NotSupportedException("compile-check stub");

        public double? GetDouble(string key) => throw new NotSupportedException("compile-check stub");

        public Guid? GetGuid(string key) => throw new NotSupportedException("compile-check stub");

        public int? GetInt32(string key) => throw new NotSupportedException("compile-check stub");

        public long? GetInt64(string key) => throw new NotSupportedException("compile-check stub");

        public string GetString(string key) => throw new NotSupportedException("compile-check stub");

        public bool Remove(string key) => throw new NotSupportedException("compile-check stub");

        public bool TryGetValue(string key, out object value) => throw new NotSupportedException("compile-check stub");

        void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => throw new NotSupportedException("compile-check stub");

        bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) => throw new NotSupportedException("compile-check stub");

        void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) => throw new NotSupportedException("compile-check stub");

        bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item) => throw new NotSupportedException("compile-check stub");

        IEnumerator<KeyValuePair<string, object>> IEnumerable<KeyValuePair<string, object>>.GetEnumerator() => throw new NotSupportedException("compile-check stub");

        IEnumerator IEnumerable.GetEnumerator() => throw new NotSupportedException("compile-check stub");
    }

    public class TableTransactionAction
    {
        public TableTransactionAction(TableTransactionActionType actionType, ITableEntity entity)
        {
        }

        public TableTransactionAction(TableTransactionActionType actionType, ITableEntity entity, ETag etag = default)
        {
        }

        public TableTransactionActionType ActionType => throw new NotSupportedException("compile-check stub");

        public ITableEntity Entity => throw new NotSupportedException("compile-check stub");

        public ETag ETag => throw new NotSupportedException("compile-check stub");
    }

    public enum TableTransactionActionType
    {
        Add = 0,
        UpdateMerge = 1,
        UpdateReplace = 2,
        Delete = 3,
        UpsertMerge = 4,
        UpsertReplace = 5,
    }

    public class TableTransactionFailedException : RequestFailedException
    {
        public TableTransactionFailedException(RequestFailedException requestFailedException)
            : base(string.Empty)
        {
        }

        public int? FailedTransactionActionIndex => throw new NotSupportedException("compile-check stub");
    }

    public enum TableUpdateMode
    {
        Merge = 0,
        Replace = 1,
    }
}

namespace Azure.Data.Tables.Models
{
    // Only the type is needed (CreateIfNotExistsAsync's result); its constructor is not declared public here.
    public class TableItem
    {
        private TableItem()
        {
        }

        public string Name => throw new NotSupportedException("compile-check stub");
    }
}
