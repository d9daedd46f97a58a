namespace Workflows.Policies;

/// <summary>An area cap by headcount band.</summary>
/// <param name="HeadcountAtLeast">Lowest headcount of the band (inclusive), or null.</param>
/// <param name="HeadcountBelow">Headcount the band stays below (exclusive), or null.</param>
/// <param name="MaxArea">Area cap (平方米).</param>
public sealed record AreaCap(int? HeadcountAtLeast, int? HeadcountBelow, DatedParameter MaxArea)
{
    /// <summary>Returns whether a headcount falls in the band.</summary>
    /// <param name="headcount">The headcount.</param>
    /// <returns>True when inside.</returns>
    public bool Contains(long headcount) => (HeadcountAtLeast is null || headcount >= HeadcountAtLeast) && (HeadcountBelow is null || headcount < HeadcountBelow);
}

/// <summary>Kind <c>rent-subsidy</c>: min(rate, cap) × min(area, cap) × days, for at most N (consecutive) years.</summary>
public sealed class RentSubsidyFormula : Formula
{
    /// <summary>Gets the fact of the actual rent (元/平方米/天).</summary>
    public required string RateFact { get; init; }

    /// <summary>Gets the fact of the leased area (平方米).</summary>
    public required string AreaFact { get; init; }

    /// <summary>Gets the fact of the leased days in the cycle year.</summary>
    public required string DaysFact { get; init; }

    /// <summary>Gets the headcount fact for banded area caps, if any.</summary>
    public string? HeadcountFact { get; init; }

    /// <summary>Gets the rate cap (元/平方米/天).</summary>
    public required DatedParameter MaxRate { get; init; }

    /// <summary>Gets the single area cap, if not banded.</summary>
    public DatedParameter? MaxArea { get; init; }

    /// <summary>Gets the area caps by headcount band.</summary>
    public IReadOnlyList<AreaCap> AreaCaps { get; init; } = [];

    /// <summary>Gets the maximum number of years, if any.</summary>
    public int? MaxYears { get; init; }

    /// <summary>Gets a value indicating whether the years must be consecutive from the first award.</summary>
    public bool Consecutive { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<string> RequiredFacts =>
        HeadcountFact is null ? [RateFact, AreaFact, DaysFact] : [RateFact, AreaFact, DaysFact, HeadcountFact];

    /// <inheritdoc/>
    public override IEnumerable<DatedParameter> Parameters =>
        new[] { MaxRate, MaxArea }.Where(p => p is not null).Select(p => p!).Concat(AreaCaps.Select(a => a.MaxArea));

    /// <inheritdoc/>
    protected override decimal? KindMaxAmount =>
        MaxArea is null && AreaCaps.Count == 0 ? null : MaxRate.Max * (MaxArea?.Max ?? AreaCaps.Max(a => a.MaxArea.Max)) * 366m;

    internal override decimal? Compute(FormulaContext context)
    {
        if (!YearLimit.Check(context, MaxYears, Consecutive, Citation, Caps?.Group))
        {
            return 0m;
        }

        var actualRate = context.Decimal(RateFact);
        var actualArea = context.Decimal(AreaFact);
        var days = context.Integer(DaysFact);
        var maxRate = context.Param(MaxRate, Citation);
        decimal maxArea;
        if (MaxArea is not null)
        {
            maxArea = context.Param(MaxArea, Citation);
        }
        else if (AreaCaps.Count == 0)
        {
            // The clause states no area cap (003 文旅 二(三)一是): the actual area counts in full.
            maxArea = actualArea;
        }
        else
        {
            var headcount = context.Integer(HeadcountFact!);
            var band = AreaCaps.FirstOrDefault(a => a.Contains(headcount));
            if (band is null)
            {
                context.Fail("headcount-band", $"No area cap for a headcount of {headcount}", $"人数 {headcount} 不在面积标准的人数区间内", Citation);
                return 0m;
            }

            maxArea = context.Param(band.MaxArea, Citation);
            context.Step($"职工 {headcount} 人，面积上限 {maxArea} 平方米", $"Headcount {headcount}: area cap {maxArea} m²", context.ParamCitation(band.MaxArea), null);
        }

        var rate = Math.Min(actualRate, maxRate);
        var area = Math.Min(actualArea, maxArea);
        var amount = rate * area * days;
        context.Step(
            $"租金单价 min({actualRate}, {maxRate}) = {rate} 元/平方米/天 × 面积 min({actualArea}, {maxArea}) = {area} 平方米 × {days} 天 = {Money.Format(amount)}",
            $"Rate min({actualRate}, {maxRate}) = {rate} yuan/m²/day × area min({actualArea}, {maxArea}) = {area} m² × {days} days = {Money.Format(amount)}",
            context.ParamCitation(MaxRate),
            amount);
        return amount;
    }

    private sealed class Parser : FormulaKind
    {
        public override string Name => "rent-subsidy";

        public override Formula Parse(NodeReader reader, FormulaCommon common)
        {
            var areaCaps = reader.List("areaCaps", a => new AreaCap(a.OptInt("headcountAtLeast"), a.OptInt("headcountBelow"), a.Parameter("maxArea", common.Citation, 0)));
            var maxArea = reader.OptParameter("maxArea", common.Citation, 0);
            var headcount = reader.OptFact("headcountFact", FactType.Integer);
            if (maxArea is not null && areaCaps.Count > 0)
            {
                throw reader.Error(reader.Field("maxArea"), "give either maxArea or areaCaps (not both); omit both when the clause states no area cap");
            }

            if (areaCaps.Count > 0 && headcount is null)
            {
                throw reader.Error(reader.Field("headcountFact"), "required with areaCaps");
            }

            for (var i = 0; i < areaCaps.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    var a = areaCaps[i];
                    var b = areaCaps[j];
                    var overlap = (a.HeadcountAtLeast ?? int.MinValue) < (b.HeadcountBelow ?? int.MaxValue) && (b.HeadcountAtLeast ?? int.MinValue) < (a.HeadcountBelow ?? int.MaxValue);
                    if (overlap)
                    {
                        throw reader.Error($"{reader.Field("areaCaps")}[{i}]", $"headcount band overlaps areaCaps[{j}]");
                    }
                }
            }

            var maxYears = reader.OptInt("maxYears");
            return new RentSubsidyFormula
            {
                Kind = common.Kind, Citation = common.Citation, Caps = common.Caps,
                RateFact = reader.Fact("rateFact", FactType.Decimal),
                AreaFact = reader.Fact("areaFact", FactType.Decimal, FactType.Integer),
                DaysFact = reader.Fact("daysFact", FactType.Integer),
                HeadcountFact = headcount,
                MaxRate = reader.Parameter("maxRate", common.Citation, 0),
                MaxArea = maxArea,
                AreaCaps = areaCaps,
                MaxYears = maxYears is null or > 0 ? maxYears : throw reader.Error(reader.Field("maxYears"), "must be > 0"),
                Consecutive = reader.Bool("consecutive", false),
            };
        }
    }
}

/// <summary>The N-years limit shared by rent and interest subsidies.</summary>
internal static class YearLimit
{
    /// <summary>Returns false (and records a failure) when the cycle year is beyond the limit.</summary>
    public static bool Check(FormulaContext context, int? maxYears, bool consecutive, Citation citation, string? capGroup)
    {
        if (maxYears is not { } max)
        {
            return true;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal) { context.Programme.Id };
        if (capGroup is not null)
        {
            ids.UnionWith(context.Catalogue.CapGroup(capGroup).Select(p => p.Id));
        }

        var years = context.AwardsOf(ids).Select(a => a.CycleYear).Where(y => y != context.CycleYear).Distinct().Order().ToList();
        if (years.Count == 0)
        {
            context.Step($"首个支持年度（最长 {max} 年）", $"First supported year (at most {max})", citation, null);
            return true;
        }

        if (consecutive)
        {
            var first = years[0];
            var index = context.CycleYear - first + 1;
            if (index > max || context.CycleYear < first)
            {
                context.Fail("max-years", $"Support runs at most {max} consecutive years from {first}; {context.CycleYear} is year {index}", $"最长连续支持 {max} 年（自 {first} 年起），{context.CycleYear} 年已超出", citation);
                return false;
            }

            context.Step($"连续支持第 {index} 年（自 {first} 年起，最长 {max} 年）", $"Consecutive year {index} of at most {max} (from {first})", citation, null);
            return true;
        }

        if (years.Count(y => y < context.CycleYear) >= max)
        {
            context.Fail("max-years", $"Already supported in {max} years", $"已享受 {max} 年支持", citation);
            return false;
        }

        context.Step($"第 {years.Count + 1} 个支持年度（最长 {max} 年）", $"Supported year {years.Count + 1} of at most {max}", citation, null);
        return true;
    }
}
