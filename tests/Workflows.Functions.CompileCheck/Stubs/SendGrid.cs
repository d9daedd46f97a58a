// API-shape stub of the NuGet package SendGrid 9.29.3 (as pinned in src/Workflows.Functions): the client, its options,
// Response and the message helpers the outbox sender uses. Checked against sendgrid/sendgrid-csharp:
// src/SendGrid/BaseClient.cs (SendEmailAsync lives on BaseClient), SendGridClient.cs (constructors), BaseClientOptions.cs,
// SendGridClientOptions.cs, Response.cs, Helpers/Mail/SendGridMessage.cs (AddTo / AddHeader(s) / AddCustomArg overloads),
// Helpers/Mail/Model/EmailAddress.cs. Uncertain: the stored SendGridClientOptions.cs predates the BaseClient split
// (9.25); in 9.29 it derives from BaseClientOptions (Host/Version/UrlPath/RequestHeaders there, ApiKey on the derived
// class), which SendGridClient(SendGridClientOptions) : base(options) in the stored SendGridClient.cs requires.
// The package is not nullable-annotated, hence #nullable disable (oblivious reference types, as the real assembly).
// Left out: everything not used (ISendGridClient, RequestAsync, reliability settings, attachments, personalizations).
#nullable disable
#pragma warning disable IDE0060 // placeholders ignore their parameters

using System.Net;
using System.Net.Http.Headers;
using SendGrid.Helpers.Mail;

namespace SendGrid
{
    public abstract class BaseClient
    {
        protected BaseClient(BaseClientOptions options)
        {
        }

        public Task<Response> SendEmailAsync(SendGridMessage msg, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");
    }

    public class SendGridClient : BaseClient
    {
        public SendGridClient(IWebProxy webProxy, string apiKey, string host = null, Dictionary<string, string> requestHeaders = null, string version = null, string urlPath = null, bool httpErrorAsException = false)
            : base(null)
        {
        }

        public SendGridClient(HttpClient httpClient, string apiKey, string host = null, Dictionary<string, string> requestHeaders = null, string version = null, string urlPath = null, bool httpErrorAsException = false)
            : base(null)
        {
        }

        public SendGridClient(string apiKey, string host = null, Dictionary<string, string> requestHeaders = null, string version = null, string urlPath = null)
            : base(null)
        {
        }

        public SendGridClient(SendGridClientOptions options)
            : base(options)
        {
        }

        public SendGridClient(HttpClient httpClient, SendGridClientOptions options)
            : base(options)
        {
        }
    }

    public class BaseClientOptions
    {
        public Dictionary<string, string> RequestHeaders { get; set; } = new Dictionary<string, string>();

        public string Host { get; set; }

        public string Version { get; set; } = "v3";

        public string UrlPath { get; set; }

        public AuthenticationHeaderValue Auth { get; set; }
    }

    public class SendGridClientOptions : BaseClientOptions
    {
        public string ApiKey { get; set; }
    }

    public class Response
    {
        public Response(HttpStatusCode statusCode, HttpContent responseBody, HttpResponseHeaders responseHeaders)
        {
            this.StatusCode = statusCode;
            this.Body = responseBody;
            this.Headers = responseHeaders;
        }

        public HttpStatusCode StatusCode { get; set; }

        public HttpContent Body { get; set; }

        public HttpResponseHeaders Headers { get; set; }
    }
}

namespace SendGrid.Helpers.Mail
{
    public class EmailAddress
    {
        public EmailAddress()
        {
        }

        public EmailAddress(string email, string name = null)
        {
            this.Email = email;
            this.Name = name;
        }

        public string Name { get; set; }

        public string Email { get; set; }
    }

    public class Personalization
    {
    }

    public class SendGridMessage
    {
        public EmailAddress From { get; set; }

        public string Subject { get; set; }

        public string PlainTextContent { get; set; }

        public string HtmlContent { get; set; }

        public string TemplateId { get; set; }

        public Dictionary<string, string> Headers { get; set; }

        public Dictionary<string, string> CustomArgs { get; set; }

        public EmailAddress ReplyTo { get; set; }

        public void AddTo(string email, string name = null) => throw new NotSupportedException("compile-check stub");

        public void AddTo(EmailAddress email, int personalizationIndex = 0, Personalization personalization = null) =>
            throw new NotSupportedException("compile-check stub");

        // Adds to the personalization's headers (personalizations[i].headers), not to the message-level Headers.
        public void AddHeader(string headerKey, string headerValue, int personalizationIndex = 0, Personalization personalization = null) =>
            throw new NotSupportedException("compile-check stub");

        public void AddHeaders(Dictionary<string, string> headers, int personalizationIndex = 0, Personalization personalization = null) =>
            throw new NotSupportedException("compile-check stub");

        public void AddCustomArg(string customArgKey, string customArgValue, int personalizationIndex = 0, Personalization personalization = null) =>
            throw new NotSupportedException("compile-check stub");
    }
}
