using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;
using Workflows.Programmes.Security;
using Workflows.Service.Auth;
using Workflows.Service.Configuration;
using Workflows.Service.Data;
using Workflows.Service.Email;
using Workflows.Service.Http;
using Workflows.Service.Jobs;
using Workflows.Service.Schedules;

namespace Workflows.Service;

/// <summary>
/// Registers the service: the code both hosts run. Each host calls <see cref="AddWorkflowsService"/> once and serves
/// <see cref="WorkflowsPipeline.Build"/>.
/// </summary>
public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>Room for the multipart framing around an uploaded document.</summary>
    internal const long DocumentsUploadOverhead = 1024 * 1024;

    /// <summary>
    /// Adds everything the API needs: options (validated at start), bearer authentication and role policies,
    /// problem details, idempotency (table in <c>records.db</c>), the mail outbox with the sender chosen by
    /// <c>Workflows:Email:Provider</c>, the schedule runner with the three jobs, OpenAPI, health checks, and a start-up
    /// step that applies the <c>records.db</c> schema.
    /// </summary>
    /// <remarks>
    /// The host registers itself, before or after this call: <see cref="ProgrammeRecords"/> (the records database; its
    /// location is the host's choice; built with the registered <see cref="RecordsSchema"/> services, see
    /// <see cref="AddRecordsSchema"/>), <see cref="Workflows.Durable.Client.DurableTaskClient"/> and the programme services
    /// (<c>ProgrammeOperations</c> and the modules' facades), and <see cref="Documents.IDocumentStore"/>. Registered
    /// with TryAdd, so a host's own registration made BEFORE this call wins: <see cref="TimeProvider"/> (default the
    /// system clock), <see cref="TokenSigningKey"/> (default <c>Workflows:Auth:SigningKey</c>, required then),
    /// <see cref="IMailSender"/> (default by <c>Workflows:Email:Provider</c>). Nothing here polls: the background
    /// loops (outbox, schedules) belong to the host, which calls <see cref="OutboxDispatcher.DispatchDueAsync"/> and
    /// the <see cref="ScheduleRunner"/> from its own loop or timer.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The settings (the email provider is chosen at registration).</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWorkflowsService(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHostedService<RecordsStartup>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddServiceOptions();

        // The outbox table is part of the records' own schema; the service's pieces are one list, shared with the CLI.
        foreach (var piece in WorkflowsRecordsSchema.All)
        {
            services.AddRecordsSchema(piece);
        }

        services.TryAddSingleton(sp =>
        {
            var key = sp.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKey;
            return string.IsNullOrWhiteSpace(key)
                ? throw new InvalidOperationException($"Set '{TokenOptions.SectionName}:SigningKey' (base64, at least 32 bytes): this host keeps no key file.")
                : TokenSigningKey.FromBase64(key);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TokenOptions>>().Value;
            return new TokenSettings(options.Issuer, options.Audience);
        });
        services.TryAddSingleton(sp => new TokenValidator(
            sp.GetRequiredService<TokenSigningKey>(), sp.GetRequiredService<TokenSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DevTokenIssuer(
            sp.GetRequiredService<TokenSigningKey>(), sp.GetRequiredService<TokenSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder().AddWorkflowPolicies();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddOptions<FormOptions>().Configure<IOptions<DocumentOptions>>((form, documents) =>
            form.MultipartBodyLengthLimit = Math.Max(form.MultipartBodyLengthLimit, documents.Value.MaxBytes + DocumentsUploadOverhead));

        services.AddRouting();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddWorkflowsEmail(configuration);
        services.AddWorkflowsSchedules(configuration);
        services.AddWorkflowsJobs(configuration);

        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecuritySchemeTransformer>());
        services.AddHealthChecks().AddCheck<RecordsDatabaseHealthCheck>("records");
        return services;
    }

    /// <summary>
    /// Adds a piece of the <c>records.db</c> schema. The host builds its <see cref="ProgrammeRecords"/> with every
    /// registered piece (<c>new ProgrammeRecords(path, schemas: sp.GetServices&lt;RecordsSchema&gt;())</c>), whose
    /// <see cref="ProgrammeRecords.EnsureSchema"/> applies them in registration order; the start-up step refuses to
    /// start when a registered piece is missing from the records. A piece registered already is not added again.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="schema">The idempotent SQL script.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddRecordsSchema(this IServiceCollection services, RecordsSchema schema)
    {
        // A piece already registered stays once (AddWorkflowsSchedules adds its piece again when called alone).
        if (!services.Any(d => d.ServiceType == typeof(RecordsSchema) && ReferenceEquals(d.ImplementationInstance, schema)))
        {
            services.AddSingleton(schema);
        }

        return services;
    }

    private static void AddServiceOptions(this IServiceCollection services)
    {
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DocumentOptions>, DocumentOptionsValidator>());
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdempotencyOptions>, IdempotencyOptionsValidator>());
        services.AddOptions<Apis.BureauOptions>().BindConfiguration(Apis.BureauOptions.SectionName);
    }
}
