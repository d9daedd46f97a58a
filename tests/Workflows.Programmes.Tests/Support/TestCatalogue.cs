using Workflows.Policies;

namespace Workflows.Programmes.Tests.Support;

/// <summary>The embedded catalogue plus a test document "900" with a three-year instalment grant, a 财务评审 and a 公示 of 5 working days.</summary>
internal static class TestCatalogue
{
    public const string InstalmentProgramme = "900-talent-grant";

    public const string Yaml = """
        document:
          id: "900"
          seed: 900_test.txt
          titleZh: 测试政策
          nameEn: Test policy for lifecycle tests
          issuer: 测试管理委员会
          effective: { from: 2025-01-01, to: 2029-12-31, clause: 附则 }
          generalRules:
            - { id: registered-in-area, clause: 附则, fact: registeredInArea, op: is-true, message: Registered in the area, messageZh: 在区内注册 }
        facts:
          registeredInArea: { type: bool, meaning: "Registered in the area", meaningZh: 在区内注册 }
        programmes:
          - id: 900-talent-grant
            titleZh: 测试人才分期奖励
            nameEn: Test talent grant paid over three years
            bureau: 测试局
            clause: 第一条
            applicant: enterprise
            formula:
              kind: instalments
              clause: 第一条
              of: { kind: fixed, clause: 第一条, amount: 300000 }
              schedule: [ { year: 1, fraction: 0.4 }, { year: 2, fraction: 0.3 }, { year: 3, fraction: 0.3 } ]
            disbursement: { mode: instalments, clause: 第一条 }
            stages:
              - { kind: financial-review, clause: 第二条 }
              - { kind: public-notice, duration: { value: 5, days: working }, clause: 第三条 }
        """;

    private static readonly Lazy<QuoteEngine> Lazy = new(() =>
    {
        var options = new CatalogueOptions();
        options.ExtraSources.Add(new CatalogueSource("Catalogue/900-test.yaml", Yaml));
        return new QuoteEngine(ProgrammeCatalogue.Load(options), WorkingDayCalendar.Default);
    });

    public static QuoteEngine Engine => Lazy.Value;
}
