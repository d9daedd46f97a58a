using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>
/// Delivers due outbox mail through the configured <see cref="IMailSender"/>, on the injected <see cref="TimeProvider"/>,
/// one pass at a time: the embedded host calls <see cref="DispatchDueAsync"/> from its polling loop, a timer host (Azure
/// Functions) from a timer.
/// </summary>
/// <remarks>
/// Each pass claims up to <see cref="EmailOptions.BatchSize"/> due mails (leased, so several hosts may dispatch from
/// one database), sends them one by one and marks each: sent; a transient failure retried after
/// <see cref="EmailOptions.FirstRetryDelay"/> doubled per attempt up to <see cref="EmailOptions.MaxRetryDelay"/>
/// (or after the provider's Retry-After when it gave one); failed after <see cref="EmailOptions.MaxAttempts"/>
/// attempts or a permanent error. A failed mail stays in the outbox, visible through <c>GET /api/outbox?status=Failed</c>.
/// With <c>Workflows:Email:Provider</c> = <c>None</c> (and no custom sender) <see cref="IsEnabled"/> is false and hosts
/// do not call it: mail stays <c>Pending</c>, readable through the API.
/// </remarks>
public sealed partial class OutboxDispatcher
{
    private readonly SqliteOutbox _outbox;
    private readonly IMailSender _sender;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDispatcher> _logger;

    /// <summary>Creates the dispatcher (resolved from DI).</summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="sender">The configured sender.</param>
    /// <param name="options">Email settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logger.</param>
    public OutboxDispatcher(SqliteOutbox outbox, IMailSender sender, IOptions<EmailOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox;
        _sender = sender;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>Whether mail is delivered at all: false with provider <c>None</c> and no custom sender.</summary>
    public bool IsEnabled => _options.Provider != EmailProvider.None || _options.CustomSender;

    /// <summary>How long a polling host waits between passes that found less than a full batch.</summary>
    public TimeSpan PollInterval => _options.PollInterval;

    /// <summary>The most mails one pass claims; a pass that claimed this many may be followed at once by another.</summary>
    public int BatchSize => _options.BatchSize;

    /// <summary>One pass: claims one batch of due mail and delivers it.</summary>
    /// <param name="cancellationToken">Stops between mails; a mail being sent when it fires is left to its lease.</param>
    /// <returns>How many mails were claimed; 0 also when records.db was busy (nothing claimed, the next pass retries).</returns>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedMail> claimed;
        try
        {
            claimed = _outbox.ClaimDue(_time.GetUtcNow(), _options.BatchSize);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            // Another writer (a request, another dispatcher) held records.db and SQLite refused to wait (a read that
            // turns into a write can deadlock, so no busy wait applies). Nothing was claimed: the next pass tries again.
            LogClaimBusy(ex.Message);
            return 0;
        }

        foreach (var claim in claimed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await DeliverAsync(claim, cancellationToken);
        }

        return claimed.Count;
    }

    /// <summary>The computed wait after <paramref name="attemptsDone"/> failed attempts.</summary>
    /// <param name="attemptsDone">Attempts finished so far (at least 1).</param>
    /// <returns><see cref="EmailOptions.FirstRetryDelay"/> × 2^(attempts − 1), at most <see cref="EmailOptions.MaxRetryDelay"/>.</returns>
    public TimeSpan Backoff(int attemptsDone)
    {
        var exponent = Math.Clamp(attemptsDone - 1, 0, 30);
        var ticks = _options.FirstRetryDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task DeliverAsync(ClaimedMail claim, CancellationToken cancellationToken)
    {
        var mail = claim.Mail;
        MailSendResult result;
        try
        {
            result = await _sender.SendAsync(mail, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A sender bug must not lose the mail: treat it like a transient failure.
            result = new MailSendResult.Transient($"{ex.GetType().Name}: {ex.Message}");
        }

        var now = _time.GetUtcNow();
        var attempts = mail.Attempts + 1;
        bool kept;
        switch (result)
        {
            case MailSendResult.Sent sent:
                kept = _outbox.MarkSent(mail.Id, claim.LeaseToken, now, sent.ProviderMessageId);
                LogSent(mail.Id, mail.IdempotencyKey, attempts, sent.ProviderMessageId);
                break;
            case MailSendResult.Permanent permanent:
                kept = _outbox.MarkFailed(mail.Id, claim.LeaseToken, permanent.Error);
                LogFailed(mail.Id, mail.IdempotencyKey, attempts, permanent.Error);
                break;
            case MailSendResult.Transient transient when attempts >= _options.MaxAttempts:
                var error = $"Gave up after {attempts} attempts; last: {transient.Error}";
                kept = _outbox.MarkFailed(mail.Id, claim.LeaseToken, error);
                LogFailed(mail.Id, mail.IdempotencyKey, attempts, error);
                break;
            case MailSendResult.Transient transient:
                var wait = transient.RetryAfter ?? Backoff(attempts);
                kept = _outbox.MarkRetry(mail.Id, claim.LeaseToken, now + wait, transient.Error);
                LogRetry(mail.Id, mail.IdempotencyKey, attempts, now + wait, transient.Error);
                break;
            default:
                throw new InvalidOperationException($"Unknown send result {result.GetType().Name}.");
        }

        if (!kept)
        {
            LogLeaseLost(mail.Id, claim.LeaseUntil);
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Mail {OutboxId} ({IdempotencyKey}) sent on attempt {Attempt}, provider id {ProviderMessageId}")]
    private partial void LogSent(long outboxId, string idempotencyKey, int attempt, string? providerMessageId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Mail {OutboxId} ({IdempotencyKey}) attempt {Attempt} failed, retry at {NextAttemptAt:o}: {Error}")]
    private partial void LogRetry(long outboxId, string idempotencyKey, int attempt, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Mail {OutboxId} ({IdempotencyKey}) failed for good after {Attempt} attempt(s): {Error}")]
    private partial void LogFailed(long outboxId, string idempotencyKey, int attempt, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Mail {OutboxId}: lease (until {LeaseUntil:o}) was lost before the result was recorded; another sender owns it")]
    private partial void LogLeaseLost(long outboxId, DateTimeOffset leaseUntil);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Outbox claim skipped, records.db busy ({Reason}); the next pass tries again")]
    private partial void LogClaimBusy(string reason);
}
