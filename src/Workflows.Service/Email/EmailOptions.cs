using Microsoft.Extensions.Options;

namespace Workflows.Service.Email;

/// <summary>Which sender delivers the outbox.</summary>
public enum EmailProvider
{
    /// <summary>Nothing is delivered: mail stays <c>Pending</c> in the outbox, readable through <c>GET /api/outbox</c>, and no dispatcher runs.</summary>
    None = 0,

    /// <summary>SendGrid Web API v3 (<c>POST /v3/mail/send</c>).</summary>
    SendGrid = 1,

    /// <summary>Any SMTP relay (including SendGrid's relay and a local development mail server).</summary>
    Smtp = 2,
}

/// <summary>Settings of the email feature (section <c>Workflows:Email</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Email";

    /// <summary>The sender (<c>Workflows:Email:Provider</c>).</summary>
    /// <value>Defaults to <see cref="EmailProvider.None"/>: mail is kept in the outbox only.</value>
    public EmailProvider Provider { get; set; } = EmailProvider.None;

    /// <summary>The From address (<c>Workflows:Email:FromAddress</c>); required unless the provider is <see cref="EmailProvider.None"/>.</summary>
    public string? FromAddress { get; set; }

    /// <summary>The From display name (<c>Workflows:Email:FromName</c>).</summary>
    /// <value>Defaults to <c>北京市政策服务平台 Workflows</c>.</value>
    public string FromName { get; set; } = "北京市政策服务平台 Workflows";

    /// <summary>Attempts before a mail is marked failed (<c>Workflows:Email:MaxAttempts</c>).</summary>
    /// <value>Defaults to 8.</value>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles each time (<c>Workflows:Email:FirstRetryDelay</c>, e.g. <c>00:00:30</c>).</summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest computed delay between attempts (<c>Workflows:Email:MaxRetryDelay</c>); a provider's Retry-After may ask for more and is honoured.</summary>
    /// <value>Defaults to 1 hour.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the dispatcher looks for due mail (<c>Workflows:Email:PollInterval</c>).</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most mails claimed per round (<c>Workflows:Email:BatchSize</c>).</summary>
    /// <value>Defaults to 20.</value>
    public int BatchSize { get; set; } = 20;

    /// <summary>Set by <see cref="WorkflowsEmailBuilder.UseSender{TSender}"/>: a sender was supplied in code, so the dispatcher runs even with provider None.</summary>
    public bool CustomSender { get; internal set; }

    /// <summary>How long a claim holds a mail before another sender may take it (<c>Workflows:Email:Lease</c>).</summary>
    /// <value>Defaults to 5 minutes; must exceed the longest send.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Settings of the SendGrid sender (section <c>Workflows:Email:SendGrid</c>).</summary>
public sealed class SendGridOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Email:SendGrid";

    /// <summary>Environment variable read when <c>Workflows:Email:SendGrid:ApiKey</c> is not set.</summary>
    public const string ApiKeyEnvironmentVariable = "SENDGRID_API_KEY";

    /// <summary>The API key (<c>Workflows:Email:SendGrid:ApiKey</c> or the environment variable <c>SENDGRID_API_KEY</c>). Never committed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base address of the API (<c>Workflows:Email:SendGrid:BaseUrl</c>); tests point it at a loopback server.</summary>
    /// <value>Defaults to <c>https://api.sendgrid.com/</c>.</value>
    public Uri BaseUrl { get; set; } = new("https://api.sendgrid.com/");

    /// <summary>Timeout of one request (<c>Workflows:Email:SendGrid:Timeout</c>).</summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a local development server).</summary>
    None = 0,

    /// <summary>Plain connection upgraded by <c>STARTTLS</c> (port 587); refused when the server does not offer it.</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect = 2,
}

/// <summary>Settings of the SMTP sender (section <c>Workflows:Email:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Email:Smtp";

    /// <summary>The relay's host name (<c>Workflows:Email:Smtp:Host</c>), e.g. <c>smtp.sendgrid.net</c> or <c>localhost</c>.</summary>
    public string? Host { get; set; }

    /// <summary>The relay's port (<c>Workflows:Email:Smtp:Port</c>).</summary>
    /// <value>Defaults to 587.</value>
    public int Port { get; set; } = 587;

    /// <summary>Connection security (<c>Workflows:Email:Smtp:Security</c>).</summary>
    /// <value>Defaults to <see cref="SmtpSecurity.StartTls"/>.</value>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User for AUTH (<c>Workflows:Email:Smtp:UserName</c>); no AUTH when empty. For SendGrid's relay it is <c>apikey</c>.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for AUTH (<c>Workflows:Email:Smtp:Password</c>). Never committed.</summary>
    public string? Password { get; set; }

    /// <summary>Name this client gives in EHLO (<c>Workflows:Email:Smtp:ClientName</c>).</summary>
    /// <value>Defaults to the machine name.</value>
    public string ClientName { get; set; } = Environment.MachineName;

    /// <summary>Timeout of the whole conversation for one mail (<c>Workflows:Email:Smtp:Timeout</c>).</summary>
    /// <value>Defaults to 60 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Checks the email settings at start, naming the setting at fault.</summary>
internal sealed class EmailOptionsValidator(IOptions<SendGridOptions> sendGrid, IOptions<SmtpOptions> smtp) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"'Workflows:Email:Provider' = '{options.Provider}' is not one of None, SendGrid, Smtp.");
        }

        if (options.Provider != EmailProvider.None || options.CustomSender)
        {
            if (string.IsNullOrWhiteSpace(options.FromAddress) || !options.FromAddress.Contains('@', StringComparison.Ordinal))
            {
                errors.Add($"'Workflows:Email:FromAddress' must be a mail address when 'Workflows:Email:Provider' is {options.Provider}.");
            }

            if (options.MaxAttempts < 1)
            {
                errors.Add("'Workflows:Email:MaxAttempts' must be at least 1.");
            }

            if (options.FirstRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay)
            {
                errors.Add("'Workflows:Email:FirstRetryDelay' must be positive and not above 'Workflows:Email:MaxRetryDelay'.");
            }

            if (options.PollInterval <= TimeSpan.Zero)
            {
                errors.Add("'Workflows:Email:PollInterval' must be positive.");
            }

            if (options.BatchSize is < 1 or > 500)
            {
                errors.Add("'Workflows:Email:BatchSize' must be 1 to 500.");
            }

            if (options.Lease <= TimeSpan.Zero)
            {
                errors.Add("'Workflows:Email:Lease' must be positive.");
            }
        }

        if (options.Provider == EmailProvider.SendGrid)
        {
            var sg = sendGrid.Value;
            if (string.IsNullOrWhiteSpace(sg.ApiKey))
            {
                errors.Add($"'Workflows:Email:Provider' is SendGrid but no API key is set: set 'Workflows:Email:SendGrid:ApiKey' or the environment variable {SendGridOptions.ApiKeyEnvironmentVariable}.");
            }

            if (!sg.BaseUrl.IsAbsoluteUri)
            {
                errors.Add("'Workflows:Email:SendGrid:BaseUrl' must be an absolute URL.");
            }
        }

        if (options.Provider == EmailProvider.Smtp)
        {
            var s = smtp.Value;
            if (string.IsNullOrWhiteSpace(s.Host))
            {
                errors.Add("'Workflows:Email:Provider' is Smtp but 'Workflows:Email:Smtp:Host' is not set.");
            }

            if (s.Port is < 1 or > 65535)
            {
                errors.Add($"'Workflows:Email:Smtp:Port' = {s.Port} is not a port number.");
            }

            if (!string.IsNullOrEmpty(s.UserName) && string.IsNullOrEmpty(s.Password))
            {
                errors.Add("'Workflows:Email:Smtp:UserName' is set but 'Workflows:Email:Smtp:Password' is not.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
