using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Azure;
using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>
/// Sends through the SendGrid Web API v3 (<c>POST /v3/mail/send</c>) with a plain typed HttpClient (the SendGrid
/// package is not restorable here).
/// </summary>
/// <remarks>
/// Answers are read by <see cref="SendGridResponses.Classify"/>, shared with the Azure Functions sender: 2xx (SendGrid
/// answers 202 Accepted) → sent, with the <c>X-Message-Id</c> header as the provider id; 429 and 5xx → transient,
/// honouring <c>Retry-After</c> (seconds or an HTTP date, measured on the injected clock); any other 4xx → permanent
/// (the request itself is wrong: bad address, bad key, rejected content); the error text is
/// <c>SendGrid answered {status}: {body}</c>. Network errors and timeouts are transient.
/// The outbox id and idempotency key travel as <c>custom_args</c> (they come back in SendGrid's event webhook) and
/// as an <c>X-Workflows-Outbox-Id</c> header.
/// </remarks>
public sealed class SendGridMailSender : IMailSender
{
    /// <summary>Path of the mail send endpoint, relative to <see cref="SendGridOptions.BaseUrl"/>.</summary>
    public const string MailSendPath = "v3/mail/send";

    /// <summary>Name of the HttpClient registered for the sender.</summary>
    public const string HttpClientName = "Workflows.SendGrid";

    private readonly IHttpClientFactory _http;
    private readonly SendGridOptions _options;
    private readonly EmailOptions _email;
    private readonly TimeProvider _time;

    /// <summary>Creates the sender (a singleton: a client is taken from the factory per send, so DNS changes are seen).</summary>
    /// <param name="http">Creates the <see cref="HttpClientName"/> client.</param>
    /// <param name="options">SendGrid settings.</param>
    /// <param name="email">Email settings (the From address).</param>
    /// <param name="time">The clock, to turn an HTTP-date Retry-After into a delay.</param>
    public SendGridMailSender(IHttpClientFactory http, IOptions<SendGridOptions> options, IOptions<EmailOptions> email, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _email = email.Value;
        _time = time;
    }

    /// <inheritdoc/>
    public async Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUrl, MailSendPath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        request.Content = new StringContent(BuildBody(mail).ToJsonString(), Encoding.UTF8, "application/json");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MailSendResult.Transient($"SendGrid did not answer within {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return new MailSendResult.Transient($"SendGrid request failed: {ex.Message}");
        }

        using (response)
        {
            // One reading of SendGrid's answers for both hosts: Workflows.Programmes.Azure.SendGridResponses is also what
            // the Azure Functions sender uses, so the outbox shows the same error text and waits the same Retry-After.
            var body = response.IsSuccessStatusCode ? null : await ReadErrorAsync(response, cancellationToken);
            var delivery = SendGridResponses.Classify(
                (int)response.StatusCode,
                Header(response, "Retry-After"),
                Header(response, "X-Message-Id"),
                body,
                _time.GetUtcNow());
            return ToResult(delivery);
        }
    }

    /// <summary>The outbox result for a classified SendGrid answer.</summary>
    /// <param name="delivery">What <see cref="SendGridResponses.Classify"/> made of the answer.</param>
    /// <returns>Sent, transient (with the Retry-After delay) or permanent.</returns>
    public static MailSendResult ToResult(MailDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Kind switch
        {
            MailDeliveryKind.Sent => new MailSendResult.Sent(delivery.ProviderMessageId),
            MailDeliveryKind.Transient => new MailSendResult.Transient(delivery.Error ?? "SendGrid failed.", delivery.RetryAfter),
            _ => new MailSendResult.Permanent(delivery.Error ?? "SendGrid refused the mail."),
        };
    }

    /// <summary>The v3 request body for <paramref name="mail"/>.</summary>
    /// <param name="mail">The mail.</param>
    /// <returns>The JSON document.</returns>
    public JsonObject BuildBody(OutboxMail mail)
    {
        var to = Address(mail.To.Address, mail.To.DisplayName);
        // text/plain must come first in content; text/html after it.
        var content = new JsonArray(new JsonObject { ["type"] = "text/plain", ["value"] = mail.TextBody });
        if (!string.IsNullOrEmpty(mail.HtmlBody))
        {
            content.Add(new JsonObject { ["type"] = "text/html", ["value"] = mail.HtmlBody });
        }

        var outboxId = mail.Id.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["personalizations"] = new JsonArray(new JsonObject { ["to"] = new JsonArray(to) }),
            ["from"] = Address(_email.FromAddress!, _email.FromName),
            ["subject"] = mail.Subject,
            ["content"] = content,
            ["headers"] = new JsonObject { ["X-Workflows-Outbox-Id"] = outboxId },
            // custom_args values must be strings.
            ["custom_args"] = new JsonObject
            {
                ["outbox_id"] = outboxId,
                ["idempotency_key"] = mail.IdempotencyKey,
                ["template"] = mail.TemplateName,
            },
        };
    }

    private static JsonObject Address(string email, string? name)
    {
        var address = new JsonObject { ["email"] = email };
        if (!string.IsNullOrWhiteSpace(name))
        {
            address["name"] = name;
        }

        return address;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // SendGridResponses trims and cuts the body to its MaxErrorLength.
            return (await response.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ");
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }
}
