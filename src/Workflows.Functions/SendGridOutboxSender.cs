using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;
using Workflows.Programmes.Azure;
using Workflows.Programmes.Outbox;
using Workflows.Service.Email;

namespace Workflows.Functions;

/// <summary>
/// The shared outbox dispatcher's <see cref="IMailSender"/> through the SendGrid package (Web API v3), used when
/// <c>Workflows:Email:Provider</c> is <c>SendGrid</c>; the other providers keep the shared senders. Same settings as
/// the embedded host (<c>Workflows:Email:FromAddress</c>, <c>FromName</c>, <c>SendGrid:ApiKey</c> or
/// <c>SENDGRID_API_KEY</c>, <c>SendGrid:BaseUrl</c>, <c>SendGrid:Timeout</c>); SendGrid's answers are classified by
/// <see cref="SendGridResponses"/> and turned into the outbox's result by <see cref="SendGridMailSender.ToResult"/>, exactly
/// as the shared sender does, so retries and failures follow the outbox's rules.
/// </summary>
public sealed class SendGridOutboxSender : IMailSender
{
    private readonly SendGridClient client;
    private readonly EmailOptions email;
    private readonly string fromAddress;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    /// <summary>Initializes the sender from the shared email settings.</summary>
    /// <param name="email">From address and name.</param>
    /// <param name="sendGrid">API key, base URL and timeout.</param>
    /// <param name="time">Clock for Retry-After dates.</param>
    public SendGridOutboxSender(IOptions<EmailOptions> email, IOptions<SendGridOptions> sendGrid, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(sendGrid);
        var settings = sendGrid.Value;
        string apiKey = settings.ApiKey is { Length: > 0 } key
            ? key
            : Environment.GetEnvironmentVariable(SendGridOptions.ApiKeyEnvironmentVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : throw new InvalidOperationException(
                    $"'Workflows:Email:Provider' is SendGrid but neither '{SendGridOptions.SectionName}:ApiKey' nor {SendGridOptions.ApiKeyEnvironmentVariable} is set.");
        this.client = new SendGridClient(new SendGridClientOptions { ApiKey = apiKey, Host = settings.BaseUrl.ToString().TrimEnd('/') });
        this.email = email.Value;
        this.fromAddress = this.email.FromAddress is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException($"'{EmailOptions.SectionName}:FromAddress' is required to send mail.");
        this.timeout = settings.Timeout;
        this.time = time;
    }

    /// <summary>
    /// Makes this sender the one used for provider <c>SendGrid</c>, keeping the shared registration for the others.
    /// Call after <c>AddWorkflowsService</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="InvalidOperationException">No shared mail sender is registered yet.</exception>
    public static IServiceCollection UseForSendGrid(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var shared = services.LastOrDefault(d => d.ServiceType == typeof(IMailSender))
            ?? throw new InvalidOperationException("Call AddWorkflowsService before SendGridOutboxSender.UseForSendGrid: no IMailSender is registered.");
        services.TryAddSingleton<SendGridOutboxSender>();
        services.Replace(ServiceDescriptor.Singleton<IMailSender>(sp =>
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.Provider == EmailProvider.SendGrid
                ? sp.GetRequiredService<SendGridOutboxSender>()
                : Resolve(shared, sp)));
        return services;
    }

    /// <inheritdoc/>
    public async Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        string outboxId = mail.Id.ToString(CultureInfo.InvariantCulture);
        var message = new SendGridMessage
        {
            From = new EmailAddress(this.fromAddress, this.email.FromName),
            Subject = mail.Subject,
            PlainTextContent = mail.TextBody,
        };
        if (!string.IsNullOrEmpty(mail.HtmlBody))
        {
            message.HtmlContent = mail.HtmlBody;
        }

        message.AddTo(new EmailAddress(mail.To.Address, mail.To.DisplayName));
        message.AddHeader("X-Workflows-Outbox-Id", outboxId);
        message.AddCustomArg("outbox_id", outboxId);
        message.AddCustomArg("idempotency_key", mail.IdempotencyKey);
        message.AddCustomArg("template", mail.TemplateName);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(this.timeout);
        Response response;
        try
        {
            response = await this.client.SendEmailAsync(message, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MailSendResult.Transient($"SendGrid did not answer within {this.timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return new MailSendResult.Transient($"SendGrid request failed: {ex.Message}");
        }

        string? messageId = response.Headers is { } headers && headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
        string? retryAfter = response.Headers?.RetryAfter?.ToString();
        string? body = response.Body is null ? null : await response.Body.ReadAsStringAsync(cancellationToken);
        return SendGridMailSender.ToResult(SendGridResponses.Classify((int)response.StatusCode, retryAfter, messageId, body, this.time.GetUtcNow()));
    }

    private static IMailSender Resolve(ServiceDescriptor shared, IServiceProvider services) =>
        shared.ImplementationInstance as IMailSender
        ?? (IMailSender?)shared.ImplementationFactory?.Invoke(services)
        ?? (IMailSender)ActivatorUtilities.CreateInstance(services, shared.ImplementationType!);
}
