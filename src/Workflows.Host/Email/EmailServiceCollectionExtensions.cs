using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Outbox;

namespace Workflows.Host.Email;

/// <summary>Returned by <see cref="EmailServiceCollectionExtensions.AddWorkflowsEmail"/>.</summary>
public sealed class WorkflowsEmailBuilder
{
    internal WorkflowsEmailBuilder(IServiceCollection services, EmailProvider provider)
    {
        Services = services;
        Provider = provider;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The provider chosen by <c>Workflows:Email:Provider</c> when the services were added.</summary>
    public EmailProvider Provider { get; }

    /// <summary>Replaces the configured sender (tests, another provider) and makes sure the dispatcher runs.</summary>
    /// <typeparam name="TSender">The sender type.</typeparam>
    /// <returns>This builder.</returns>
    public WorkflowsEmailBuilder UseSender<TSender>()
        where TSender : class, IMailSender
    {
        Services.RemoveAll<IMailSender>();
        Services.AddSingleton<IMailSender, TSender>();
        EmailServiceCollectionExtensions.AddDispatcher(Services);
        return this;
    }
}

/// <summary>DI entry point of the email feature.</summary>
public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox (<see cref="SqliteOutbox"/> over the records database), the email settings (validated at start:
    /// a bad setting stops the host with a message naming it), the sender chosen by <c>Workflows:Email:Provider</c>
    /// (<c>None</c> | <c>SendGrid</c> | <c>Smtp</c>) and, unless the provider is <c>None</c>, the
    /// <see cref="OutboxDispatcher"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Settings.</param>
    /// <param name="recordsConnectionString">
    /// Gives the records database connection string (e.g. from the host's data folder); when null,
    /// <see cref="RecordsConnectionString.Resolve"/> reads <c>ConnectionStrings:Records</c>.
    /// </param>
    /// <returns>A builder.</returns>
    public static WorkflowsEmailBuilder AddWorkflowsEmail(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string>? recordsConnectionString = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SendGridOptions>()
            .Bind(configuration.GetSection(SendGridOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.ApiKey))
                {
                    o.ApiKey = configuration[SendGridOptions.ApiKeyEnvironmentVariable] ?? Environment.GetEnvironmentVariable(SendGridOptions.ApiKeyEnvironmentVariable);
                }
            });
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            var connectionString = recordsConnectionString is null
                ? RecordsConnectionString.Resolve(configuration)
                : RecordsConnectionString.Prepare(recordsConnectionString(sp));
            return new SqliteOutbox(connectionString, sp.GetRequiredService<IOptions<EmailOptions>>().Value.Lease);
        });

        // The provider decides which services exist, so it is read now; its other settings are validated at start.
        var provider = ReadProvider(configuration);
        switch (provider)
        {
            case EmailProvider.SendGrid:
                services.AddHttpClient(SendGridMailSender.HttpClientName);
                services.TryAddSingleton<SendGridMailSender>();
                services.TryAddSingleton<IMailSender>(sp => sp.GetRequiredService<SendGridMailSender>());
                AddDispatcher(services);
                break;
            case EmailProvider.Smtp:
                services.TryAddSingleton<SmtpMailSender>();
                services.TryAddSingleton<IMailSender>(sp => sp.GetRequiredService<SmtpMailSender>());
                AddDispatcher(services);
                break;
            default:
                // Outbox only: mail is kept Pending and readable through the API; nothing is delivered.
                break;
        }

        return new WorkflowsEmailBuilder(services, provider);
    }

    internal static void AddDispatcher(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(OutboxDispatcher)))
        {
            return;
        }

        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
    }

    private static EmailProvider ReadProvider(IConfiguration configuration)
    {
        var text = configuration[$"{EmailOptions.SectionName}:{nameof(EmailOptions.Provider)}"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return EmailProvider.None;
        }

        if (Enum.TryParse<EmailProvider>(text, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !int.TryParse(text, out _))
        {
            return provider;
        }

        throw new InvalidOperationException($"Setting 'Workflows:Email:Provider' = '{text}' is not one of None, SendGrid, Smtp.");
    }
}
