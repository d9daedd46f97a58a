using System.Runtime.CompilerServices;

namespace Workflows.Programmes.Records.Tables;

/// <summary>Conveniences over <see cref="ITableStore"/>.</summary>
public static class TableStoreExtensions
{
    /// <summary>Reads every row of the query, page after page, following continuations.</summary>
    /// <param name="store">The store.</param>
    /// <param name="query">The query; its <see cref="TableQuery.Continuation"/> is where to start.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The rows, ascending by row key.</returns>
    public static async IAsyncEnumerable<TableRow> QueryAllAsync(
        this ITableStore store,
        TableQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var next = query;
        while (true)
        {
            var page = await store.QueryAsync(next, cancellationToken);
            foreach (var row in page.Rows)
            {
                yield return row;
            }

            if (page.Continuation is null)
            {
                yield break;
            }

            next = next with { Continuation = page.Continuation };
        }
    }
}
