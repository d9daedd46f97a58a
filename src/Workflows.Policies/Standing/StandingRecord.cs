using System.Globalization;

namespace Workflows.Policies;

/// <summary>The kind of a standing record that blocks support.</summary>
public enum StandingKind
{
    /// <summary>A serious violation (严重违法违规行为).</summary>
    Violation,

    /// <summary>A major administrative penalty (重大行政处罚).</summary>
    Penalty,

    /// <summary>An entry on the serious-dishonesty list (严重违法失信名单).</summary>
    DishonestyList,

    /// <summary>A disqualification from policy support (取消享受政策扶持的资格).</summary>
    Disqualification,

    /// <summary>A suspension computed from history (e.g. 003 二是(二) 第三年暂停申报).</summary>
    Suspension,
}

/// <summary>
/// A record of the applicant's standing that blocks support while it is in force, as plain data.
/// </summary>
/// <param name="Id">The record's id (e.g. <c>standing/12</c>).</param>
/// <param name="Kind">The kind.</param>
/// <param name="Basis">The legal basis (clause).</param>
/// <param name="From">First day in force.</param>
/// <param name="To">Last day in force (inclusive), or null when open-ended.</param>
/// <param name="Reason">Why it was recorded.</param>
/// <param name="ProgrammeIds">The programmes it blocks, or null/empty for every programme.</param>
public sealed record StandingRecord(
    string Id, StandingKind Kind, Citation Basis, DateOnly From, DateOnly? To, string Reason, IReadOnlyList<string>? ProgrammeIds = null)
{
    /// <summary>Gets the Chinese name of the kind.</summary>
    public string KindZh => Kind switch
    {
        StandingKind.Violation => "严重违法违规行为",
        StandingKind.Penalty => "重大行政处罚",
        StandingKind.DishonestyList => "严重违法失信名单",
        StandingKind.Disqualification => "取消享受政策扶持资格",
        _ => "暂停申报",
    };

    /// <summary>Whether the record is in force on a date (From and To inclusive).</summary>
    /// <param name="on">The date.</param>
    /// <returns>True when in force.</returns>
    public bool InForceOn(DateOnly on) => on >= From && (To is null || on <= To.Value);

    /// <summary>Whether the record blocks a programme on a date.</summary>
    /// <param name="programmeId">The programme.</param>
    /// <param name="on">The date.</param>
    /// <returns>True when it blocks.</returns>
    public bool Blocks(string programmeId, DateOnly on) =>
        InForceOn(on) && (ProgrammeIds is null || ProgrammeIds.Count == 0 || ProgrammeIds.Contains(programmeId, StringComparer.Ordinal));

    /// <summary>Builds the failed rule a blocking record gives (names the record, its clause and until when).</summary>
    /// <returns>The failed rule.</returns>
    public FailedRule ToFailedRule()
    {
        var until = To is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var en = $"Blocked by standing record {Id} ({Kind}): {Reason}; in force {From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} until {until ?? "further notice"}";
        var zh = $"申请人存在{KindZh}记录（{Id}，依据 {Basis}），{From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 起{(until is null ? "至另行通知" : $"至 {until}")}不得享受政策扶持：{Reason}";
        return new FailedRule($"standing:{Id}", en, zh, Basis);
    }
}

/// <summary>Checks standing records against a programme and a date.</summary>
public static class StandingRules
{
    /// <summary>The failed rules for every record that blocks the programme on the date.</summary>
    /// <param name="standing">The records, or null.</param>
    /// <param name="programmeId">The programme.</param>
    /// <param name="on">The date judged.</param>
    /// <returns>The failed rules, empty when none blocks.</returns>
    public static IReadOnlyList<FailedRule> Check(IReadOnlyList<StandingRecord>? standing, string programmeId, DateOnly on) =>
        standing is null ? [] : standing.Where(r => r.Blocks(programmeId, on)).Select(r => r.ToFailedRule()).ToList();
}

/// <summary>A source of an applicant's standing records (e.g. the sanctions store).</summary>
public interface IStandingSource
{
    /// <summary>Gets the applicant's standing records (lifted ones excluded).</summary>
    /// <param name="applicantId">The applicant.</param>
    /// <returns>The records.</returns>
    IReadOnlyList<StandingRecord> StandingOf(string applicantId);
}
