using Workflows.Policies;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Records;

namespace Workflows.Programmes;

/// <summary>
/// The services every lifecycle activity uses, in one bundle resolved by constructor injection: the records, the
/// notification port, the quote engine (catalogue and working-day calendar), the clock and the instalment checks.
/// </summary>
public sealed class ProgrammeServices
{
    /// <summary>Initializes the bundle.</summary>
    /// <param name="records">The records database.</param>
    /// <param name="notifications">The notification port.</param>
    /// <param name="quotes">The quote engine.</param>
    /// <param name="time">The clock.</param>
    /// <param name="instalmentChecks">The checks run before each later instalment; all must pass.</param>
    public ProgrammeServices(ProgrammeRecords records, INotificationPort notifications, QuoteEngine quotes, TimeProvider time, IEnumerable<IInstalmentEligibility> instalmentChecks)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(quotes);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(instalmentChecks);
        this.Records = records;
        this.Notifications = notifications;
        this.Quotes = quotes;
        this.Time = time;
        this.InstalmentChecks = instalmentChecks.ToList();
    }

    /// <summary>Gets the records database.</summary>
    public ProgrammeRecords Records { get; }

    /// <summary>Gets the notification port.</summary>
    public INotificationPort Notifications { get; }

    /// <summary>Gets the quote engine.</summary>
    public QuoteEngine Quotes { get; }

    /// <summary>Gets the catalogue.</summary>
    public ProgrammeCatalogue Catalogue => this.Quotes.Catalogue;

    /// <summary>Gets the working-day calendar.</summary>
    public WorkingDayCalendar Calendar => this.Quotes.Calendar;

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the checks run before each later instalment.</summary>
    public IReadOnlyList<IInstalmentEligibility> InstalmentChecks { get; }

    /// <summary>Creates a bundle with the defaults: <see cref="Notifier"/>, the embedded catalogue and calendar, and <see cref="ProfileInstalmentEligibility"/>.</summary>
    /// <param name="records">The records.</param>
    /// <param name="time">The clock.</param>
    /// <param name="quotes">The quote engine; the embedded catalogue and calendar when null.</param>
    /// <returns>The bundle.</returns>
    public static ProgrammeServices CreateDefault(ProgrammeRecords records, TimeProvider time, QuoteEngine? quotes = null)
    {
        quotes ??= new QuoteEngine();
        return new ProgrammeServices(records, new Notifier(), quotes, time, [new ProfileInstalmentEligibility(records, quotes)]);
    }
}
