using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>Delivers one outbox mail to a provider.</summary>
public interface IMailSender
{
    /// <summary>Hands <paramref name="mail"/> to the provider. Never throws for a delivery problem: the result says what happened.</summary>
    /// <param name="mail">The mail.</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>Sent, a transient failure (try again) or a permanent one (give up).</returns>
    Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken);
}

/// <summary>The outcome of one delivery attempt.</summary>
public abstract record MailSendResult
{
    private protected MailSendResult()
    {
    }

    /// <summary>The provider accepted the mail.</summary>
    /// <param name="ProviderMessageId">The provider's id for it, if any.</param>
    public sealed record Sent(string? ProviderMessageId) : MailSendResult;

    /// <summary>The attempt failed for a reason that may pass (busy, throttled, network).</summary>
    /// <param name="Error">What went wrong.</param>
    /// <param name="RetryAfter">How long the provider asked to wait, if it said.</param>
    public sealed record Transient(string Error, TimeSpan? RetryAfter = null) : MailSendResult;

    /// <summary>The provider refused the mail for good (bad address, rejected content, bad credentials).</summary>
    /// <param name="Error">What went wrong.</param>
    public sealed record Permanent(string Error) : MailSendResult;
}
