namespace Workflows.Policies;

/// <summary>Base of every error the policy library raises on bad data or bad input.</summary>
public abstract class PolicyException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What is wrong, naming the offending item.</param>
    /// <param name="inner">The underlying error, if any.</param>
    protected PolicyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A catalogue file is invalid. The message names the file, the programme (when inside one) and the field.</summary>
public sealed class CatalogueException : PolicyException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">Catalogue file (resource or supplied name).</param>
    /// <param name="programmeId">Programme being read, or null at document level.</param>
    /// <param name="field">Field path, e.g. <c>formula.bands[1].rate</c>.</param>
    /// <param name="problem">What is wrong.</param>
    public CatalogueException(string file, string? programmeId, string field, string problem)
        : base($"{file}: {(programmeId is null ? string.Empty : $"programme '{programmeId}': ")}{field}: {problem}")
    {
        File = file;
        ProgrammeId = programmeId;
        Field = field;
        Problem = problem;
    }

    /// <summary>Gets the catalogue file.</summary>
    public string File { get; }

    /// <summary>Gets the programme id, or null at document level.</summary>
    public string? ProgrammeId { get; }

    /// <summary>Gets the field path.</summary>
    public string Field { get; }

    /// <summary>Gets the description of the problem.</summary>
    public string Problem { get; }
}

/// <summary>No programme has the requested id.</summary>
/// <param name="programmeId">The id asked for.</param>
public sealed class UnknownProgrammeException(string programmeId)
    : PolicyException($"Unknown programme '{programmeId}'. Run `workflows programmes` for the list of ids.")
{
    /// <summary>Gets the id asked for.</summary>
    public string ProgrammeId { get; } = programmeId;
}

/// <summary>A fact has the wrong type, is out of its range or is not allowed.</summary>
/// <param name="fact">The fact name.</param>
/// <param name="problem">What is wrong with it.</param>
public sealed class FactException(string fact, string problem)
    : PolicyException($"Fact '{fact}': {problem}")
{
    /// <summary>Gets the fact name.</summary>
    public string Fact { get; } = fact;
}

/// <summary>The programme is not in force on the requested date.</summary>
/// <param name="programmeId">The programme.</param>
/// <param name="date">The date asked for.</param>
/// <param name="period">The programme's resolved effective period.</param>
/// <param name="successorId">The programme that replaces it, if any.</param>
public sealed class NotInForceException(string programmeId, DateOnly date, DateRange period, string? successorId)
    : PolicyException($"Programme '{programmeId}' is not in force on {date:yyyy-MM-dd}: it is in force {period}." +
        (successorId is null ? string.Empty : $" It was replaced by '{successorId}'."))
{
    /// <summary>Gets the programme id.</summary>
    public string ProgrammeId { get; } = programmeId;

    /// <summary>Gets the date asked for.</summary>
    public DateOnly Date { get; } = date;

    /// <summary>Gets the programme's effective period.</summary>
    public DateRange Period { get; } = period;

    /// <summary>Gets the id of the programme that replaces it, if any.</summary>
    public string? SuccessorId { get; } = successorId;
}

/// <summary>The cycle year asked for is not one the programme's document pays for.</summary>
/// <param name="programmeId">The programme.</param>
/// <param name="cycleYear">The cycle year asked for.</param>
/// <param name="covered">The cycle years the document covers.</param>
public sealed class CycleNotCoveredException(string programmeId, int cycleYear, IReadOnlyCollection<int> covered)
    : PolicyException($"Programme '{programmeId}' does not cover cycle year {cycleYear}; it covers {string.Join(", ", covered.Order())}.")
{
    /// <summary>Gets the programme id.</summary>
    public string ProgrammeId { get; } = programmeId;

    /// <summary>Gets the cycle year asked for.</summary>
    public int CycleYear { get; } = cycleYear;
}

/// <summary>The document's effective period is unknown in the seed and was not set by configuration.</summary>
/// <param name="documentId">The document id.</param>
public sealed class EffectivePeriodUnknownException(string documentId)
    : PolicyException($"The effective period of document '{documentId}' is not stated in the seed; set it by configuration (CatalogueOptions.EffectivePeriods[\"{documentId}\"]).")
{
    /// <summary>Gets the document id.</summary>
    public string DocumentId { get; } = documentId;
}

/// <summary>No dated value of a parameter is in force on the date asked for.</summary>
/// <param name="programmeId">The programme.</param>
/// <param name="parameter">The parameter name.</param>
/// <param name="date">The date asked for.</param>
public sealed class ParameterNotInForceException(string programmeId, string parameter, DateOnly date)
    : PolicyException($"Programme '{programmeId}': parameter '{parameter}' has no value in force on {date:yyyy-MM-dd}.")
{
    /// <summary>Gets the parameter name.</summary>
    public string Parameter { get; } = parameter;
}

/// <summary>A working-day computation needs a year whose holiday schedule is not published (or not loaded).</summary>
/// <param name="year">The year with no data.</param>
public sealed class CalendarDataMissingException(int year)
    : PolicyException($"No published PRC holiday schedule for {year}: working days in {year} cannot be computed. Add Calendar/holidays-cn/{year}.json once the State Council notice is out.")
{
    /// <summary>Gets the year with no data.</summary>
    public int Year { get; } = year;
}

/// <summary>An award history is invalid (unknown programme, bad entry).</summary>
/// <param name="message">What is wrong, naming the entry.</param>
public sealed class AwardHistoryException(string message) : PolicyException(message);
