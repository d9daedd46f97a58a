using Microsoft.Extensions.Configuration;
using SendGrid;
using SendGrid.Helpers.Mail;
using Workflows.Programmes.Azure;
using Workflows.Programmes.Outbox;

namespace Workflows.Functions;

/// <summary>Sends one outbox mail; the answer follows the outbox's Sent/Transient/Permanent rules.</summary>
public interface IOutboxMailSender
{
    /// <summary>Sends the mail.</summary>
    /// <param name="mail">The outbox entry.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The outbox decision.</returns>
    Task<MailDelivery> SendAsync(OutboxMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// Mail through the SendGrid package (Web API v3), same settings as the embedded host
/// (<c>Workflows:Email:Provider</c>, <c>FromAddress</c>, <c>FromName</c>, <c>SendGrid:ApiKey</c>, <c>SendGrid:BaseUrl</c>).
/// With provider None every mail stays in the outbox (transient, like the embedded host).
/// </summary>
public sealed class SendGridOutboxSender : IOutboxMailSender
{
    private readonly SendGridClient? client;
    private readonly EmailAddress from;
    private readonly TimeProvider time;

    private SendGridOutboxSender(SendGridClient? client, EmailAddress from, TimeProvider time)
    {
        this.client = client;
        this.from = from;
        this.time = time;
    }

    /// <summary>Creates the sender from configuration.</summary>
    /// <param name="config">Configuration.</param>
    /// <param name="time">Clock for Retry-After dates.</param>
    /// <returns>The sender.</returns>
    public static SendGridOutboxSender Create(IConfiguration config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var from = new EmailAddress(config["Workflows:Email:FromAddress"] ?? "noreply@example.cn", config["Workflows:Email:FromName"]);
        if (!string.Equals(config["Workflows:Email:Provider"], "SendGrid", StringComparison.OrdinalIgnoreCase))
        {
            return new SendGridOutboxSender(null, from, time);
        }

        string apiKey = config["Workflows:Email:SendGrid:ApiKey"] is { Length: > 0 } key
            ? key
            : Environment.GetEnvironmentVariable("SENDGRID_API_KEY")
              ?? throw new InvalidOperationException("'Workflows:Email:Provider' is SendGrid but 'Workflows:Email:SendGrid:ApiKey' (or SENDGRID_API_KEY) is empty.");
        var options = new SendGridClientOptions { ApiKey = apiKey };
        if (config["Workflows:Email:SendGrid:BaseUrl"] is { Length: > 0 } baseUrl)
        {
            options.Host = baseUrl.TrimEnd('/');
        }

        return new SendGridOutboxSender(new SendGridClient(options), from, time);
    }

    /// <inheritdoc/>
    public async Task<MailDelivery> SendAsync(OutboxMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (this.client is null)
        {
            return new MailDelivery(MailDeliveryKind.Transient, "'Workflows:Email:Provider' is None: mail is kept in the outbox.");
        }

        var message = new SendGridMessage
        {
            From = this.from,
            Subject = mail.Subject,
            PlainTextContent = mail.TextBody,
            HtmlContent = mail.HtmlBody,
        };
        message.AddTo(new EmailAddress(mail.To.Address, mail.To.DisplayName));
        message.AddCustomArg("outbox_key", mail.IdempotencyKey);

        Response response;
        try
        {
            response = await this.client.SendEmailAsync(message, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new MailDelivery(MailDeliveryKind.Transient, $"SendGrid request failed: {ex.Message}");
        }

        string? messageId = response.Headers is { } headers && headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
        string? retryAfter = response.Headers?.RetryAfter?.ToString();
        string? body = response.Body is null ? null : await response.Body.ReadAsStringAsync(cancellationToken);
        return SendGridResponses.Classify((int)response.StatusCode, retryAfter, messageId, body, this.time.GetUtcNow());
    }
}
