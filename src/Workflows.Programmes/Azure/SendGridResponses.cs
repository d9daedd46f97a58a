using System.Globalization;

namespace Workflows.Programmes.Azure;

/// <summary>What a mail provider's answer means for an outbox entry.</summary>
public enum MailDeliveryKind
{
    /// <summary>Accepted by the provider: mark Sent.</summary>
    Sent,

    /// <summary>Try again later (429, 5xx, no answer): mark for retry, honouring RetryAfter when given.</summary>
    Transient,

    /// <summary>Rejected for good (other 4xx): mark Failed, never dropped.</summary>
    Permanent,
}

/// <summary>The outbox decision for one send attempt.</summary>
/// <param name="Kind">Sent, transient or permanent.</param>
/// <param name="Error">The error text for the outbox (null when sent).</param>
/// <param name="RetryAfter">The provider's requested wait, for transient results.</param>
/// <param name="ProviderMessageId">The provider's message id, for sent mail.</param>
public sealed record MailDelivery(MailDeliveryKind Kind, string? Error, TimeSpan? RetryAfter = null, string? ProviderMessageId = null);

/// <summary>
/// Maps a SendGrid Web API v3 answer to the outbox's retry rules: 2xx → sent (X-Message-Id kept); 429 and 5xx →
/// transient, honouring Retry-After (delta seconds or an HTTP date); any other status → permanent. Both senders use
/// it: Workflows.Service.Email.SendGridMailSender (HttpClient, embedded host) and the Functions app's sender over the
/// SendGrid package.
/// </summary>
public static class SendGridResponses
{
    /// <summary>Longest error body kept in the outbox.</summary>
    public const int MaxErrorLength = 500;

    /// <summary>Classifies one answer.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="retryAfter">The Retry-After header value, if any.</param>
    /// <param name="messageId">The X-Message-Id header value, if any.</param>
    /// <param name="body">The response body (error details), if any.</param>
    /// <param name="now">The current instant, to turn an HTTP-date Retry-After into a delay.</param>
    /// <returns>The outbox decision.</returns>
    public static MailDelivery Classify(int statusCode, string? retryAfter, string? messageId, string? body, DateTimeOffset now)
    {
        if (statusCode is >= 200 and <= 299)
        {
            return new MailDelivery(MailDeliveryKind.Sent, null, null, string.IsNullOrWhiteSpace(messageId) ? null : messageId.Trim());
        }

        string detail = string.IsNullOrWhiteSpace(body) ? string.Empty : ": " + Truncate(body.Trim());
        string error = string.Create(CultureInfo.InvariantCulture, $"SendGrid answered {statusCode}{detail}");
        return IsTransient(statusCode)
            ? new MailDelivery(MailDeliveryKind.Transient, error, ParseRetryAfter(retryAfter, now))
            : new MailDelivery(MailDeliveryKind.Permanent, error);
    }

    /// <summary>Gets whether a failed answer is worth retrying: 429 (rate limited) and 5xx; any other failure is permanent.</summary>
    /// <param name="statusCode">The HTTP status code of a failed answer.</param>
    /// <returns>True for a transient failure.</returns>
    public static bool IsTransient(int statusCode) => statusCode == 429 || statusCode >= 500;

    /// <summary>Reads a Retry-After header: delta seconds or an HTTP date (RFC 7231); past dates give zero.</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current instant.</param>
    /// <returns>The delay, or null when absent or unreadable.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return seconds > (long)TimeSpan.MaxValue.TotalSeconds ? null : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var delay = at - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength] + "…";
}
