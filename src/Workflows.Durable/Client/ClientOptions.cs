namespace Workflows.Durable.Client;

/// <summary>Options for scheduling a new orchestration instance.</summary>
/// <param name="InstanceId">The instance id; a random id is generated when <c>null</c>.</param>
/// <param name="StartAt">When to start; now when <c>null</c> or in the past.</param>
public record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
{
    /// <summary>Gets the orchestration version recorded for the instance.</summary>
    public string? Version { get; init; }
}

/// <summary>A filter for <see cref="DurableTaskClient.GetAllInstancesAsync(OrchestrationQuery?)"/>.</summary>
/// <param name="CreatedFrom">Only instances created at or after this time.</param>
/// <param name="CreatedTo">Only instances created at or before this time.</param>
/// <param name="Statuses">Only instances in one of these statuses.</param>
/// <param name="TaskHubNames">Not used by the embedded runtime (one hub per database).</param>
public record OrchestrationQuery(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null,
    IEnumerable<string>? TaskHubNames = null)
{
    /// <summary>The default page size.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Gets the instance id prefix to match.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Gets the orchestrator name to match (case-insensitive).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the page size.</summary>
    /// <value>100 by default; 1 to 1,000.</value>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Gets a value indicating whether to fetch inputs, outputs and custom status.</summary>
    public bool FetchInputsAndOutputs { get; init; }

    /// <summary>Gets the continuation token of the page to start from.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>A filter for <see cref="DurableTaskClient.PurgeAllInstancesAsync(PurgeInstancesFilter, CancellationToken)"/>.
/// Only instances in a terminal status (Completed, Failed, Terminated) are purged.</summary>
/// <param name="CreatedFrom">Only instances created at or after this time.</param>
/// <param name="CreatedTo">Only instances created at or before this time.</param>
/// <param name="Statuses">Only instances in one of these terminal statuses.</param>
public record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null);

/// <summary>The result of a purge.</summary>
/// <param name="PurgedInstanceCount">The number of instances purged.</param>
public sealed record PurgeResult(int PurgedInstanceCount);

/// <summary>Options for purging one instance.</summary>
/// <param name="Recursive">Also purge sub-orchestrations started by the instance.</param>
public record PurgeInstanceOptions(bool Recursive = false);

/// <summary>Options for terminating an instance.</summary>
/// <param name="Output">The output (reason) recorded for the terminated instance.</param>
/// <param name="Recursive">Also terminate running sub-orchestrations.</param>
public record TerminateInstanceOptions(object? Output = null, bool Recursive = false);

/// <summary>A page of results.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Values">The items.</param>
/// <param name="ContinuationToken">The token for the next page, or <c>null</c> on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Values, string? ContinuationToken)
    where T : notnull;

/// <summary>A sequence fetched page by page. Enumerate items directly, or pages with <see cref="AsPages"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class AsyncPageable<T> : IAsyncEnumerable<T>
    where T : notnull
{
    private readonly Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage;

    /// <summary>Initializes a pageable from a page fetcher.</summary>
    /// <param name="fetchPage">Fetches a page given a continuation token and a page size hint.</param>
    public AsyncPageable(Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage)
    {
        ArgumentNullException.ThrowIfNull(fetchPage);
        this.fetchPage = fetchPage;
    }

    /// <summary>Enumerates the pages.</summary>
    /// <param name="continuationToken">The token of the first page; <c>null</c> to start at the beginning.</param>
    /// <param name="pageSizeHint">The page size; the query's page size when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages.</returns>
    public async IAsyncEnumerable<Page<T>> AsPages(
        string? continuationToken = null,
        int? pageSizeHint = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = continuationToken;
        do
        {
            Page<T> page = await this.fetchPage(token, pageSizeHint, cancellationToken);
            yield return page;
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (Page<T> page in this.AsPages(cancellationToken: cancellationToken))
        {
            foreach (T item in page.Values)
            {
                yield return item;
            }
        }
    }
}
