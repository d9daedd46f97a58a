using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Host.Auth;
using Workflows.Host.Configuration;
using Workflows.Host.Data;
using Workflows.Host.Documents;
using Workflows.Host.Email;
using Workflows.Host.Runtime;
using Workflows.Host.Schedules;
using Workflows.Programmes.Outbox;
using Workflows.Host.Http;
using Workflows.Host.Jobs;
using Workflows.Programmes.Security;

namespace Workflows.Host;

/// <summary>Registers the host's services. <c>Program.cs</c> calls <see cref="AddWorkflowsHost"/> once.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything the host needs: options (validated at start), the data folder, <c>records.db</c>,
    /// bearer authentication and role policies, documents, problem details, idempotency, OpenAPI, health
    /// checks and the clock.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The settings (the email provider is chosen at registration).</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddWorkflowsHost(this IServiceCollection services, IConfiguration configuration)
    {
        // First, so the data folder, key and schema are ready before any other hosted service starts.
        services.AddHostedService<HostStartup>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddWorkflowsOptions();

        services.TryAddSingleton<DataFolder>();
        services.TryAddSingleton<RecordsDatabase>();
        services.AddRecordsSchema(IdempotencySchema.Schema);

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TokenOptions>>().Value;
            return SigningKeyStore.LoadOrCreate(sp.GetRequiredService<DataFolder>().Root, options.SigningKey);
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

        services.TryAddSingleton<IDocumentStore, FileSystemDocumentStore>();
        services.AddOptions<FormOptions>().Configure<IOptions<DocumentOptions>>((form, documents) =>
            form.MultipartBodyLengthLimit = Math.Max(form.MultipartBodyLengthLimit, documents.Value.MaxBytes + DocumentsUploadOverhead));

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        // The lifecycle orchestrations and activities are added with services.AddDurableTasks(...).
        services.AddWorkflowsDurable();

        // Mail outbox, senders and schedules (src/Workflows.Host/Email, Schedules) share records.db.
        services.AddRecordsSchema(new RecordsSchema("outbox", SqliteOutbox.SchemaScript));
        services.AddRecordsSchema(new RecordsSchema("schedules", ScheduleStateStore.SchemaScript));
        services.AddWorkflowsEmail(configuration, RecordsConnection);
        services.AddWorkflowsSchedules(configuration, RecordsConnection);
        services.AddWorkflowsJobs(configuration);

        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecuritySchemeTransformer>());
        services.AddHealthChecks().AddCheck<RecordsDatabaseHealthCheck>("records");
        return services;
    }

    private static string RecordsConnection(IServiceProvider services) =>
        RecordsConnectionString.ForFile(services.GetRequiredService<DataFolder>().RecordsDatabasePath);

    /// <summary>Room for the multipart framing around an uploaded document.</summary>
    internal const long DocumentsUploadOverhead = 1024 * 1024;

    /// <summary>Adds a piece of the <c>records.db</c> schema, run at every start in registration order.</summary>
    /// <param name="services">The services.</param>
    /// <param name="schema">The idempotent SQL script.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddRecordsSchema(this IServiceCollection services, RecordsSchema schema)
    {
        services.AddSingleton(schema);
        return services;
    }

    private static void AddWorkflowsOptions(this IServiceCollection services)
    {
        services.AddOptions<WorkflowsOptions>().BindConfiguration(WorkflowsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>();
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocumentOptions>, DocumentOptionsValidator>();
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdempotencyOptions>, IdempotencyOptionsValidator>();
    }
}
