using Workflows.Policies;

namespace Workflows.Programmes.Calls;

/// <summary>How expert scores are combined into one.</summary>
public enum ScoreAggregation
{
    /// <summary>The arithmetic mean of the scores.</summary>
    Mean,

    /// <summary>The median (the mean of the two middle scores for an even count).</summary>
    Median,

    /// <summary>The mean after dropping the highest and the lowest score (plain mean below three scores).</summary>
    TrimmedMean,
}

/// <summary>
/// The review settings of a call, as recorded with it. The catalogue's stages give what the policy text states
/// (e.g. a 公示 of 7 natural days); everything the text leaves open is set by the bureau when it publishes the call,
/// or takes the default named in <see cref="Defaults"/>. <see cref="Sources"/> records where each value came from.
/// </summary>
public sealed record CallSettings
{
    /// <summary>Gets the settings used when the text and the bureau are silent (docs/interpretations.md, "Lifecycle settings where the texts are silent").</summary>
    public static CallSettings Defaults { get; } = new();

    /// <summary>Gets the number of experts on each application's panel.</summary>
    /// <value>3 by default.</value>
    public int PanelSize { get; init; } = 3;

    /// <summary>Gets the aggregated score (0–100) an application needs to pass the expert review.</summary>
    /// <value>60 by default.</value>
    public decimal ScoreThreshold { get; init; } = 60m;

    /// <summary>Gets how expert scores are aggregated.</summary>
    /// <value><see cref="ScoreAggregation.Mean"/> by default.</value>
    public ScoreAggregation Aggregation { get; init; } = ScoreAggregation.Mean;

    /// <summary>Gets the natural days an expert has to score after being assigned.</summary>
    /// <value>10 by default.</value>
    public int ReviewDays { get; init; } = 10;

    /// <summary>Gets how many natural days before the scoring deadline the reminder goes out.</summary>
    /// <value>2 by default.</value>
    public int ReminderLeadDays { get; init; } = 2;

    /// <summary>Gets the length of a 补正 period when the officer sets no date.</summary>
    /// <value>5 by default.</value>
    public int SupplementDays { get; init; } = 5;

    /// <summary>Gets how <see cref="SupplementDays"/> are counted.</summary>
    /// <value><see cref="DayKind.Working"/> by default.</value>
    public DayKind SupplementDayKind { get; init; } = DayKind.Working;

    /// <summary>Gets the 公示 length in days.</summary>
    /// <value>7 by default, or the catalogue's public-notice stage.</value>
    public int NoticeDays { get; init; } = 7;

    /// <summary>Gets how <see cref="NoticeDays"/> are counted.</summary>
    /// <value><see cref="DayKind.Natural"/> by default, or the catalogue's public-notice stage.</value>
    public DayKind NoticeDayKind { get; init; } = DayKind.Natural;

    /// <summary>Gets the first day of the 公示 (China date); null = the day after the awards are computed.</summary>
    public DateOnly? NoticeStart { get; init; }

    /// <summary>Gets a value indicating whether applications go through 专家评审.</summary>
    /// <value>True by default; always true when the catalogue names an expert-review stage.</value>
    public bool ExpertReview { get; init; } = true;

    /// <summary>Gets a value indicating whether applications go through 财务评审.</summary>
    /// <value>True when the catalogue names a financial-review stage; otherwise false unless the bureau asks for it.</value>
    public bool FinancialReview { get; init; }

    /// <summary>Gets where each setting came from: <c>catalogue: 001 四(三)</c>, <c>bureau</c> or <c>default</c>, by setting name.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();
}

/// <summary>Settings a bureau may give when publishing a call; null leaves the catalogue value or the default.</summary>
public sealed record CallSettingsInput
{
    /// <summary>Gets the panel size (1–15).</summary>
    public int? PanelSize { get; init; }

    /// <summary>Gets the score threshold (0–100).</summary>
    public decimal? ScoreThreshold { get; init; }

    /// <summary>Gets the aggregation rule.</summary>
    public ScoreAggregation? Aggregation { get; init; }

    /// <summary>Gets the expert scoring days (1–90).</summary>
    public int? ReviewDays { get; init; }

    /// <summary>Gets the reminder lead in days (0 to ReviewDays − 1).</summary>
    public int? ReminderLeadDays { get; init; }

    /// <summary>Gets the default 补正 length (1–60).</summary>
    public int? SupplementDays { get; init; }

    /// <summary>Gets how 补正 days are counted.</summary>
    public DayKind? SupplementDayKind { get; init; }

    /// <summary>Gets the 公示 length (1–60); refused when the catalogue states one.</summary>
    public int? NoticeDays { get; init; }

    /// <summary>Gets how 公示 days are counted; refused when the catalogue states it.</summary>
    public DayKind? NoticeDayKind { get; init; }

    /// <summary>Gets the first 公示 day.</summary>
    public DateOnly? NoticeStart { get; init; }

    /// <summary>Gets whether to run 专家评审 (false refused when the catalogue names it).</summary>
    public bool? ExpertReview { get; init; }

    /// <summary>Gets whether to run 财务评审 (false refused when the catalogue names it).</summary>
    public bool? FinancialReview { get; init; }
}

/// <summary>A bureau's request to publish a call for applications.</summary>
/// <param name="ProgrammeId">The catalogue programme.</param>
/// <param name="CycleYear">The cycle (award) year.</param>
/// <param name="OpensAt">When the window opens (may be now).</param>
/// <param name="ClosesAt">When it closes (the deadline).</param>
/// <param name="Budget">The call's budget in yuan.</param>
/// <param name="Settings">Review settings; null for the catalogue's and the defaults.</param>
public sealed record PublishCallRequest(string ProgrammeId, int CycleYear, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, decimal Budget, CallSettingsInput? Settings = null);

/// <summary>Status of a call.</summary>
public enum CallStatus
{
    /// <summary>Published; the window has not opened yet.</summary>
    Published,

    /// <summary>Accepting applications.</summary>
    Open,

    /// <summary>Closed; reviews are running.</summary>
    Reviewing,

    /// <summary>Awards computed; the 公示 runs.</summary>
    Notice,

    /// <summary>Payments are being made (later instalments may wait for their year).</summary>
    Disbursing,

    /// <summary>Everything paid or stopped.</summary>
    Completed,
}

/// <summary>A call as recorded.</summary>
/// <param name="CallId">The id.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="OpensAt">Window opens.</param>
/// <param name="ClosesAt">Window closes.</param>
/// <param name="Budget">Budget in yuan.</param>
/// <param name="Settings">The recorded settings.</param>
/// <param name="Status">The status.</param>
/// <param name="PublishedBy">Who published it.</param>
/// <param name="PublishedAt">When.</param>
/// <param name="ClosedAt">When it closed, if it did.</param>
/// <param name="InstanceId">The ProgrammeCall orchestration instance.</param>
public sealed record CallRecord(
    long CallId, string ProgrammeId, int CycleYear, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, decimal Budget, CallSettings Settings,
    CallStatus Status, string PublishedBy, DateTimeOffset PublishedAt, DateTimeOffset? ClosedAt, string InstanceId);

/// <summary>Counts of a call's applications by status, and the budget used.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Status">The call status.</param>
/// <param name="Applications">Number of applications by status name.</param>
/// <param name="Budget">The budget.</param>
/// <param name="BudgetUsed">The sum of awards computed (before 公示 removals).</param>
/// <param name="Paid">The sum paid into the ledger for the call so far.</param>
public sealed record CallProgress(long CallId, CallStatus Status, IReadOnlyDictionary<string, int> Applications, decimal Budget, decimal BudgetUsed, decimal Paid);
