namespace Workflows.Policies;

/// <summary>Who applies for a programme.</summary>
public enum ApplicantKind
{
    /// <summary>An enterprise.</summary>
    Enterprise,

    /// <summary>A natural person.</summary>
    Individual,

    /// <summary>An organisation such as a platform, incubator, park operator or institute.</summary>
    Organisation,
}

/// <summary>One catalogued programme: a clause that grants money or a quantifiable benefit.</summary>
public sealed class Programme
{
    /// <summary>Gets the stable id, e.g. <c>001-rd-growth</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the Chinese title.</summary>
    public required string TitleZh { get; init; }

    /// <summary>Gets the English name.</summary>
    public required string NameEn { get; init; }

    /// <summary>Gets the responsible bureau (主责部门 / 责任单位).</summary>
    public required string Bureau { get; init; }

    /// <summary>Gets the issuing body.</summary>
    public required string Issuer { get; init; }

    /// <summary>Gets the source clause.</summary>
    public required Citation Citation { get; init; }

    /// <summary>Gets the document (policy version) the programme belongs to.</summary>
    public required PolicyDocument Document { get; init; }

    /// <summary>Gets who applies.</summary>
    public required ApplicantKind Applicant { get; init; }

    /// <summary>Gets the programme's own narrowing of the document's period, if any.</summary>
    public DateRange? OwnPeriod { get; init; }

    /// <summary>Gets the ids of earlier programmes this one succeeds.</summary>
    public IReadOnlyList<string> Replaces { get; init; } = [];

    /// <summary>Gets the programme-specific eligibility rules (general rules come from the document).</summary>
    public IReadOnlyList<EligibilityRule> Rules { get; init; } = [];

    /// <summary>Gets the ids of document general rules that do not apply.</summary>
    public IReadOnlyList<string> SkipGeneralRules { get; init; } = [];

    /// <summary>Gets the award formula.</summary>
    public required Formula Formula { get; init; }

    /// <summary>Gets the stacking constraints.</summary>
    public IReadOnlyList<StackingRule> Stacking { get; init; } = [];

    /// <summary>Gets the disbursement mode.</summary>
    public required Disbursement Disbursement { get; init; }

    /// <summary>Gets the review stages and deadlines, in order.</summary>
    public IReadOnlyList<Stage> Stages { get; init; } = [];

    /// <summary>Gets the readings chosen where the clause reads two ways.</summary>
    public IReadOnlyList<Interpretation> Interpretations { get; init; } = [];

    /// <summary>Gets free notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the catalogue file that defined the programme.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Gets the eligibility rules that apply: the document's general rules (less skipped ones) then the programme's.</summary>
    public IEnumerable<EligibilityRule> AllRules =>
        Document.GeneralRules.Where(r => !SkipGeneralRules.Contains(r.Id)).Concat(Rules);

    /// <summary>Gets the definitions of every fact the programme reads (rules, formula, stages), set by the loader.</summary>
    public IReadOnlyList<FactDefinition> Facts { get; internal set; } = [];

    /// <summary>Returns the id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Id;
}

/// <summary>A named reading of a clause that reads two ways.</summary>
/// <param name="Id">Id of the reading.</param>
/// <param name="Citation">The clause.</param>
/// <param name="Chosen">The reading applied.</param>
/// <param name="Alternatives">The readings not applied.</param>
/// <param name="Note">Why.</param>
public sealed record Interpretation(string Id, Citation Citation, string Chosen, IReadOnlyList<string> Alternatives, string? Note);

/// <summary>How a programme's money is paid.</summary>
public enum DisbursementMode
{
    /// <summary>Paid after an application is approved.</summary>
    OnApplication,

    /// <summary>免申即享: paid in a batch from a recognised list, no application.</summary>
    Automatic,

    /// <summary>次年度统一兑现: paid in the next year's batch.</summary>
    NextYearBatch,

    /// <summary>Paid over several years.</summary>
    Instalments,
}

/// <summary>The disbursement mode, with cases that switch it by a fact.</summary>
/// <param name="Mode">Default mode.</param>
/// <param name="Citation">Clause of the default mode.</param>
/// <param name="Cases">Cases in order; the first whose condition holds gives the mode.</param>
public sealed record Disbursement(DisbursementMode Mode, Citation Citation, IReadOnlyList<DisbursementCase> Cases);

/// <summary>A conditional disbursement mode.</summary>
/// <param name="When">The condition.</param>
/// <param name="Mode">The mode when it holds.</param>
/// <param name="Citation">The clause.</param>
public sealed record DisbursementCase(Condition When, DisbursementMode Mode, Citation Citation);

/// <summary>How programmes of a stacking group combine.</summary>
public enum StackingKind
{
    /// <summary>不得同时享受 / 自主选择其一: one award of the group within the scope.</summary>
    Exclusive,

    /// <summary>从高/从优不重复: the higher only; a lower earlier award is topped up to the higher.</summary>
    HigherOnly,

    /// <summary>可与其他奖励同时享受: stacks freely.</summary>
    Combinable,
}

/// <summary>Which earlier awards a stacking rule looks at.</summary>
public enum StackingScope
{
    /// <summary>Awards of the same cycle year.</summary>
    Cycle,

    /// <summary>Awards for the same project key.</summary>
    Project,

    /// <summary>Every earlier award.</summary>
    Ever,
}

/// <summary>A stacking constraint.</summary>
/// <param name="Group">Group name shared by the programmes it links.</param>
/// <param name="Kind">How they combine.</param>
/// <param name="Scope">Which earlier awards count.</param>
/// <param name="Citation">The clause.</param>
/// <param name="Note">Free note.</param>
public sealed record StackingRule(string Group, StackingKind Kind, StackingScope Scope, Citation Citation, string? Note);
