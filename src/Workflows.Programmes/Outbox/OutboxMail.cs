namespace Workflows.Programmes.Outbox;

/// <summary>Delivery state of one outbox row.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for a sender (also the resting state when no provider is configured: mail is kept, readable through the API).</summary>
    Pending = 0,

    /// <summary>Claimed by a sender under a lease; returns to claimable when the lease runs out.</summary>
    Sending = 1,

    /// <summary>Accepted by the provider.</summary>
    Sent = 2,

    /// <summary>Given up: a permanent error or too many attempts. Kept and visible, never dropped.</summary>
    Failed = 3,
}

/// <summary>A mail address with an optional display name.</summary>
/// <param name="Address">The address, e.g. <c>zhang.san@example.cn</c>.</param>
/// <param name="DisplayName">The name shown to the reader, e.g. <c>北京某某科技有限公司</c>; may be null.</param>
public sealed record OutboxAddress(string Address, string? DisplayName = null);

/// <summary>
/// One mail in the transactional outbox. Written by an activity in the same SQLite transaction as the
/// state change it announces, delivered later by a background sender.
/// </summary>
public sealed record OutboxMail
{
    /// <summary>Row id assigned by the store; 0 before the mail is enqueued.</summary>
    public long Id { get; init; }

    /// <summary>
    /// Unique key of the event the mail announces, e.g. <c>application/42/submitted</c>. A second
    /// enqueue with the same key is a no-op, which makes activities that run twice safe.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The recipient.</summary>
    public required OutboxAddress To { get; init; }

    /// <summary>Subject line (Chinese is fine: senders encode it).</summary>
    public required string Subject { get; init; }

    /// <summary>Plain-text body.</summary>
    public required string TextBody { get; init; }

    /// <summary>Optional HTML body sent as an alternative to <see cref="TextBody"/>.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>Name of the template that produced the mail, for tracing and filtering.</summary>
    public required string TemplateName { get; init; }

    /// <summary>When the mail was enqueued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Delivery state.</summary>
    /// <value>Defaults to <see cref="OutboxStatus.Pending"/>.</value>
    public OutboxStatus Status { get; init; } = OutboxStatus.Pending;

    /// <summary>How many delivery attempts have finished (success or failure).</summary>
    public int Attempts { get; init; }

    /// <summary>Earliest time the next attempt may start (UTC).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Error text of the last failed attempt, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>When the provider accepted the mail (UTC), if it did.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The provider's id for the accepted mail (SendGrid's X-Message-Id, the SMTP queue reply), if any.</summary>
    public string? ProviderMessageId { get; init; }
}

/// <summary>A mail claimed by one sender. The lease token must accompany every mark, so a sender whose lease expired cannot overwrite the next sender's result.</summary>
/// <param name="Mail">The claimed mail (status <see cref="OutboxStatus.Sending"/>).</param>
/// <param name="LeaseToken">Opaque token of this claim.</param>
/// <param name="LeaseUntil">When the claim expires and the row becomes claimable again.</param>
public sealed record ClaimedMail(OutboxMail Mail, string LeaseToken, DateTimeOffset LeaseUntil);

/// <summary>One page of outbox rows, newest first.</summary>
/// <param name="Items">The rows on this page.</param>
/// <param name="Total">Number of rows matching the filter across all pages.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record OutboxPage(IReadOnlyList<OutboxMail> Items, int Total, int Page, int PageSize);
