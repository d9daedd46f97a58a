using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Service.Email;

/// <summary>Returned by <see cref="EmailServiceCollectionExtensions.AddWorkflowsEmail"/>.</summary>
public sealed class WorkflowsEmailBuilder
{
    internal WorkflowsEmailBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Replaces the sender chosen by <c>Workflows:Email:Provider</c> (tests, another provider); the dispatcher then runs whatever the provider setting says.</summary>
    /// <typeparam name="TSender">The sender type.</typeparam>
    /// <returns>This builder.</returns>
    public WorkflowsEmailBuilder UseSender<TSender>()
        where TSender : class, IMailSender
    {
        Services.RemoveAll<IMailSender>();
        Services.AddSingleton<IMailSender, TSender>();
        Services.PostConfigure<EmailOptions>(o => o.CustomSender = true);
        return this;
    }
}

/// <summary>DI entry point of the email feature.</summary>
public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox (<see cref="SqliteOutbox"/> over the records database), the email settings (validated at start:
    /// a bad setting stops the host with a message naming it), both senders and the <see cref="OutboxDispatcher"/> (one pass per call: nothing polls until a host calls it).
    /// <c>Workflows:Email:Provider</c> (<c>None</c> | <c>SendGrid</c> | <c>Smtp</c>) is read when the host starts, so
    /// settings added late (e.g. by a test factory) count; with <c>None</c> the dispatcher is not enabled.
    /// </summary>
    /// <remarks>The outbox reads and writes through the registered <see cref="ProgrammeRecords"/> (the host registers it).</remarks>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Settings.</param>
    /// <returns>A builder.</returns>
    public static WorkflowsEmailBuilder AddWorkflowsEmail(this IServiceCollection services, IConfiguration configuration)
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

        services.TryAddSingleton(sp => new SqliteOutbox(
            sp.GetRequiredService<ProgrammeRecords>(), sp.GetRequiredService<IOptions<EmailOptions>>().Value.Lease));

        services.AddHttpClient(SendGridMailSender.HttpClientName);
        services.TryAddSingleton<SendGridMailSender>();
        services.TryAddSingleton<SmtpMailSender>();
        services.TryAddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Provider switch
        {
            EmailProvider.SendGrid => sp.GetRequiredService<SendGridMailSender>(),
            EmailProvider.Smtp => sp.GetRequiredService<SmtpMailSender>(),
            _ => new OutboxOnlySender(),
        });

        // One pass at a time; the host that polls (or a timer) calls it.
        services.TryAddSingleton<OutboxDispatcher>();

        return new WorkflowsEmailBuilder(services);
    }

    /// <summary>Provider <c>None</c>: never asked to send, because the dispatcher does not run.</summary>
    private sealed class OutboxOnlySender : IMailSender
    {
        public Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken) =>
            Task.FromResult<MailSendResult>(new MailSendResult.Transient("'Workflows:Email:Provider' is None: mail is kept in the outbox."));
    }
}
