namespace Workflows.Programmes.Assessments;

/// <summary>
/// The periodic assessments the seeds set for recognised bases, as data. Each rule cites its clause; where a text
/// names supervision without a period, grade or consequence (003 平谷区高层次人才工作室管理办法) nothing is invented:
/// the bureau configures the scheme when it recognises the base (<see cref="Configured"/>).
/// </summary>
public static class AssessmentSchemes
{
    /// <summary>003 平谷区中试基地管理办法: the pilot-scale production base.</summary>
    public const string PilotBase = "003-pilot-base";

    /// <summary>003 平谷区招商引资企业集群注册区管理办法: the cluster registration zone.</summary>
    public const string ClusterZone = "003-cluster-zone";

    /// <summary>001 四(十): the recognised technology business incubator.</summary>
    public const string Incubator = "001-incubator";

    /// <summary>001 四(十一): the industrial park recognised by the administrative committee.</summary>
    public const string IndustrialPark = "001-industrial-park";

    /// <summary>003 平谷区高层次人才工作室管理办法: the high-level talent studio (scheme set by the bureau).</summary>
    public const string TalentStudio = "003-talent-studio";

    private const string PilotTitle = "003 平谷区中试基地管理办法";
    private const string ZoneTitle = "003 平谷区招商引资企业集群注册区管理办法";

    private static readonly AssessmentScheme[] Known =
    [
        new(
            PilotBase,
            "中试基地",
            "Pilot-scale production base",
            PilotTitle + " 二2",
            "平谷区科学技术和工业信息化局",
            12,
            "评估报告、工作总结、统计数据和评价材料（技术服务能力、服务模式创新、管理水平、服务成效）",
            [
                new("pass", "合格", "Pass", GradeStanding.Pass),
                new("fail", "不合格", "Fail", GradeStanding.Fail),
            ],
            [
                new(ConsequenceTrigger.Passed, ConsequenceAction.RecordEligibility, PilotTitle + " 二3", "对年度绩效评价结果为“合格”的中试基地，按其年度服务性收入的30%，给予最高不超过100万元的一次性资金支持", "A base rated 合格 may claim 30% of its yearly service revenue, at most 1 million yuan", ProgrammeId: "003-pg-pilot-base-annual"),
                new(ConsequenceTrigger.ConsecutiveFails, ConsequenceAction.Revoke, PilotTitle + " 二4", "连续两次年度绩效评价不合格的，撤销备案资格", "Two consecutive failed yearly evaluations revoke the filing", Count: 2),
                new(ConsequenceTrigger.NoShowWithoutCause, ConsequenceAction.Revoke, PilotTitle + " 二4", "无故不参加年度绩效评价的，撤销备案资格", "Missing the yearly evaluation without cause revokes the filing"),
                new(ConsequenceTrigger.Accident, ConsequenceAction.Revoke, PilotTitle + " 二4", "因管理不善导致安全事故或环保事故的，撤销备案资格", "A safety or environmental accident caused by poor management revokes the filing"),
            ]),
        new(
            ClusterZone,
            "招商引资企业集群注册区",
            "Investment-promotion cluster registration zone",
            ZoneTitle + " 二(四)",
            "平谷区市场监督管理局（领导小组办公室）",
            12,
            "集群注册企业管理办法制定情况、年报率、列入异常经营率、投诉举报率、实际经营地址公示率、纳税率、建档率、部门评价情况",
            [
                new("excellent", "优秀", "Excellent", GradeStanding.Pass),
                new("pass", "合格", "Pass", GradeStanding.Pass),
                new("fail", "不合格", "Fail", GradeStanding.Fail),
            ],
            [
                new(ConsequenceTrigger.Fail, ConsequenceAction.SuspendIntake, ZoneTitle + " 二(五)", "年度考核评价被评为不合格的，暂停招商引资企业集群注册区招收新企业资格", "A failed yearly assessment suspends intake of new firms"),
                new(ConsequenceTrigger.PassWhileSuspended, ConsequenceAction.ResumeIntake, ZoneTitle + " 二(五)", "待整改合格经相关部门认定后再予恢复", "Intake resumes once the rectification is certified"),
                new(ConsequenceTrigger.FailWhileSuspended, ConsequenceAction.Revoke, ZoneTitle + " 二(五)", "整改一年仍不达标的，对该招商引资企业集群注册区做出撤销处理，其入区企业由其它招商引资企业集群注册区接管", "Still failing after a year of rectification: the zone is revoked and its firms are taken over by other zones"),
            ],
            HasIntake: true),
        new(
            Incubator,
            "科技企业孵化器",
            "Technology business incubator",
            "001 四(十)",
            "科技和产业促进局",
            12,
            "年度运营情况报告（孵化企业、运营成效）",
            [
                new("outstanding", "运营成效显著", "Outstanding results", GradeStanding.Outstanding),
                new("standard", "一般", "Standard", GradeStanding.Pass),
                new("exit", "退出", "Exit", GradeStanding.Exit),
            ],
            [
                new(ConsequenceTrigger.Outstanding, ConsequenceAction.RecordEligibility, "001 四(十)", "设立专项资金，每年投入1000万元，对运营成效显著的一批孵化器给予资金支持", "Eligible for the yearly 10-million pool for incubators with outstanding results", ProgrammeId: "001-incubator-excellence"),
                new(ConsequenceTrigger.ExitDecided, ConsequenceAction.Revoke, "001 四(十)", "建立孵化器考核评价和退出机制", "The exit mechanism: the bureau decides the incubator leaves"),
            ]),
        new(
            IndustrialPark,
            "产业园区",
            "Industrial park",
            "001 四(十一)",
            "科技和产业促进局",
            12,
            "园区产业承载能力、招商引资服务能力、创新生态构建能力、营商环境情况",
            [
                new("excellent", "表现优秀", "Excellent", GradeStanding.Outstanding),
                new("standard", "一般", "Standard", GradeStanding.Pass),
            ],
            [
                new(ConsequenceTrigger.Outstanding, ConsequenceAction.ConferTitle, "001 四(十一)", "对表现优秀的园区授予“营商环境示范园区”“招商先锋园区”等称号", "An excellent park receives a title such as 营商环境示范园区 or 招商先锋园区"),
            ]),
    ];

    /// <summary>Gets the schemes the texts set (without the bureau-configured talent studio).</summary>
    public static IReadOnlyList<AssessmentScheme> All => Known;

    /// <summary>Gets the kinds that need the bureau's configuration because the text sets none.</summary>
    public static IReadOnlyList<string> BureauConfiguredKinds { get; } = [TalentStudio];

    /// <summary>Gets the titles 001 四(十一) names for excellent parks (等: the bureau may name another).</summary>
    public static IReadOnlyList<string> ParkTitles { get; } = ["营商环境示范园区", "招商先锋园区"];

    /// <summary>Finds the scheme of a kind the texts set.</summary>
    /// <param name="kind">The kind id.</param>
    /// <returns>The scheme or null (unknown kind, or a bureau-configured kind).</returns>
    public static AssessmentScheme? Find(string kind) =>
        Known.FirstOrDefault(s => string.Equals(s.Kind, kind, StringComparison.Ordinal));

    /// <summary>
    /// Builds the scheme of a bureau-configured kind (003 高层次人才工作室: the text asks 相关主管部门和高层次人才工作室所在单位
    /// to supervise (五(三)) and the agreement to 形成奖惩机制 (四(五)) but states no period, grade or consequence).
    /// </summary>
    /// <param name="kind">The kind id.</param>
    /// <param name="configuration">The bureau's configuration.</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentException">The configuration is incomplete; the message names the field.</exception>
    public static AssessmentScheme Configured(string kind, AssessmentConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!BureauConfiguredKinds.Contains(kind))
        {
            throw new ArgumentException($"kind '{kind}' is not configured by the bureau", nameof(kind));
        }

        if (configuration.PeriodMonths is not (>= 1 and <= 60))
        {
            throw new ArgumentException("configuration.periodMonths must be between 1 and 60", nameof(configuration));
        }

        if (configuration.Grades is not { Count: > 0 } grades)
        {
            throw new ArgumentException("configuration.grades must list at least one grade", nameof(configuration));
        }

        foreach (AssessmentGrade g in grades)
        {
            if (string.IsNullOrWhiteSpace(g.Code) || string.IsNullOrWhiteSpace(g.LabelZh))
            {
                throw new ArgumentException("configuration.grades[]: every grade needs a code and a labelZh", nameof(configuration));
            }
        }

        if (grades.Select(g => g.Code.ToUpperInvariant()).Distinct().Count() != grades.Count)
        {
            throw new ArgumentException("configuration.grades[]: grade codes must be unique", nameof(configuration));
        }

        var rules = new List<ConsequenceRule>();
        const string source = "bureau configuration (003 平谷区高层次人才工作室管理办法 四(五), 五(三) set no period, grade or consequence)";
        if (configuration.RevokeAfterConsecutiveFails is int n)
        {
            if (n < 1)
            {
                throw new ArgumentException("configuration.revokeAfterConsecutiveFails must be at least 1", nameof(configuration));
            }

            rules.Add(new(ConsequenceTrigger.ConsecutiveFails, ConsequenceAction.Revoke, source, $"连续{n}次考核不合格的，撤销资格（主管部门设定）", $"{n} failed assessments in a row revoke the recognition (set by the bureau)", Count: n));
        }

        if (grades.Any(g => g.Standing == GradeStanding.Exit))
        {
            rules.Add(new(ConsequenceTrigger.ExitDecided, ConsequenceAction.Revoke, source, "主管部门决定退出", "The bureau decides the studio leaves"));
        }

        return new AssessmentScheme(
            kind,
            "高层次人才工作室",
            "High-level talent studio",
            source,
            configuration.Organiser ?? "区委组织部（区人才办）",
            configuration.PeriodMonths.Value,
            configuration.ReportItemsZh ?? "工作室建设情况报告",
            grades,
            rules,
            HasIntake: false,
            ConfiguredByBureau: true);
    }
}

/// <summary>The bureau's configuration of an assessment the text does not set.</summary>
/// <param name="PeriodMonths">Period length in months.</param>
/// <param name="Grades">Grades.</param>
/// <param name="RevokeAfterConsecutiveFails">Revoke after this many failed grades in a row; null for no automatic revocation.</param>
/// <param name="ReportItemsZh">What is reported.</param>
/// <param name="Organiser">Who assesses.</param>
public sealed record AssessmentConfiguration(
    int? PeriodMonths,
    IReadOnlyList<AssessmentGrade>? Grades,
    int? RevokeAfterConsecutiveFails = null,
    string? ReportItemsZh = null,
    string? Organiser = null);
