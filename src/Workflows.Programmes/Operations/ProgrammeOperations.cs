using System.Globalization;
using System.Security.Cryptography;
using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Operations;

/// <summary>
/// The facade the host's HTTP API calls: it validates each request against the records, throws a
/// <see cref="ProgrammeException"/> (not found / conflict / validation) changing nothing on error, and otherwise
/// records the request or raises the event that carries the decision to the orchestration waiting for it.
/// Decisions carried by events take effect when the orchestration processes them (moments later); queries read the records.
/// </summary>
public sealed partial class ProgrammeOperations
{
    private readonly ProgrammeServices services;
    private readonly DurableTaskClient client;

    /// <summary>Initializes the facade.</summary>
    /// <param name="services">The programme services.</param>
    /// <param name="client">The durable client.</param>
    public ProgrammeOperations(ProgrammeServices services, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        this.services = services;
        this.client = client;
    }

    /// <summary>Gets the programme services.</summary>
    public ProgrammeServices Services => this.services;

    /// <summary>Gets the durable client.</summary>
    public DurableTaskClient Client => this.client;

    private DateTimeOffset Now => this.services.Time.GetUtcNow();

    private DateOnly TodayInChina => DateOnly.FromDateTime(this.Now.ToOffset(MailTemplates.ChinaOffset).DateTime);

    private static string NewRequestId() => RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ProgrammeValidationException(field, message);
        }
    }

    private static void RequireActor(Actor actor)
    {
        if (actor is null || string.IsNullOrWhiteSpace(actor.Id) || string.IsNullOrWhiteSpace(actor.Role))
        {
            throw new ProgrammeValidationException("actor", "The acting user and role are required.");
        }
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private Programme ProgrammeOrValidation(string programmeId) =>
        this.services.Catalogue.TryGet(programmeId ?? string.Empty, out var p)
            ? p
            : throw new ProgrammeValidationException("programmeId", $"'{programmeId}' is not a programme of the catalogue.");
}
