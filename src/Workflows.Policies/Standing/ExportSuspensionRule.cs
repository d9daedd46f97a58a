using System.Globalization;

namespace Workflows.Policies;

/// <summary>
/// 003 平谷区扩大对外开放提高外资外贸发展水平扶持办法 二是(二): “连续两年获得资金支持仍无出口业绩者，第三年暂停申报”.
/// Reading (docs/interpretations.md, Sanctions): a firm awarded under the trade-fair programme in both years Y−2 and Y−1
/// whose reported exports in those two years total zero may not apply in year Y (the whole calendar year). In year Y+1
/// it was not supported in Y, so the rule no longer applies.
/// </summary>
public static class ExportSuspensionRule
{
    /// <summary>The programme 二是(二) governs.</summary>
    public const string ProgrammeId = "003-pg-trade-fair";

    /// <summary>The clause.</summary>
    public static readonly Citation Basis = new("003", "二是（二）", "平谷区扩大对外开放提高外资外贸发展水平扶持办法");

    /// <summary>Evaluates the rule for a year.</summary>
    /// <param name="history">The firm's award history.</param>
    /// <param name="exportsByYear">Reported exports (yuan) by calendar year; a missing year counts as none reported.</param>
    /// <param name="year">The year the firm would apply in.</param>
    /// <returns>A suspension record for the year (naming the rule and the years used), or null when the rule does not apply.</returns>
    public static StandingRecord? Evaluate(AwardHistory history, IReadOnlyDictionary<int, decimal> exportsByYear, int year)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(exportsByYear);
        int[] years = [year - 2, year - 1];
        var supported = years.All(y => history.Awards.Any(a => a.ProgrammeId == ProgrammeId && a.CycleYear == y && a.Amount > 0));
        if (!supported)
        {
            return null;
        }

        var exports = years.Sum(y => exportsByYear.TryGetValue(y, out var v) ? v : 0m);
        if (exports > 0)
        {
            return null;
        }

        var y1 = years[0].ToString(CultureInfo.InvariantCulture);
        var y2 = years[1].ToString(CultureInfo.InvariantCulture);
        return new StandingRecord(
            $"rule/003-export-suspension/{year.ToString(CultureInfo.InvariantCulture)}",
            StandingKind.Suspension,
            Basis,
            new DateOnly(year, 1, 1),
            new DateOnly(year, 12, 31),
            $"{y1}、{y2} 年连续两年获得资金支持仍无出口业绩，{year.ToString(CultureInfo.InvariantCulture)} 年暂停申报 / supported in {y1} and {y2} without exports: suspended in {year.ToString(CultureInfo.InvariantCulture)}",
            [ProgrammeId]);
    }
}
