using Workflows.Durable.Client;

namespace Workflows.Programmes.Operations;

/// <summary>
/// The facade the host's HTTP API calls: it validates each request against the records, throws a
/// <see cref="ProgrammeException"/> (not found / conflict / validation) changing nothing on error, and otherwise
/// starts an orchestration or raises the event that carries the decision.
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
}
