namespace Workflows.Policies.Tests.Loading;

/// <summary>Small catalogue texts for loader and formula tests.</summary>
internal static class Yaml
{
    public const string Facts = """
        facts:
          ok: { type: bool, meaning: "A condition" }
          base: { type: decimal, unit: 元, min: 0, meaning: "A base amount" }
          minus: { type: decimal, unit: 元, min: 0, meaning: "Subtracted" }
          count: { type: integer, unit: 件, min: 0, meaning: "A count" }
          level: { type: enum, values: [low, high], meaning: "A level" }
          decided: { type: decimal, unit: 元, min: 0, meaning: "Decided amount" }
          loan: { type: decimal, unit: 元, min: 0, meaning: "Loan" }
          interest: { type: decimal, unit: 元, min: 0, meaning: "Interest paid" }
          when: { type: date, meaning: "An anchor date" }
        """;

    /// <summary>A document (id 999, seed 999_x.txt, 2024-01-01 … 2026-12-31) with one programme whose body follows.</summary>
    public static string Document(string programmeBody, string effective = "{ from: 2024-01-01, to: 2026-12-31, clause: 附则 }", string docExtra = "") => $$"""
        document:
          id: "999"
          seed: 999_test.txt
          titleZh: 测试文件
          nameEn: Test document
          issuer: 测试
          effective: {{effective}}
        {{docExtra}}
        {{Facts}}
        programmes:
          - id: 999-p
            titleZh: 测试项目
            nameEn: Test programme
            bureau: 测试局
            clause: 第一条
            applicant: enterprise
            disbursement: { mode: on-application, clause: 第一条 }
        {{Indent(programmeBody, 4)}}
        """;

    public static string Formula(string formulaYaml) => Document("formula: " + formulaYaml);

    public static ProgrammeCatalogue Load(string yaml, string name = "Catalogue/999-test.yaml") =>
        ProgrammeCatalogue.FromYaml(new CatalogueSource(name, yaml));

    public static CatalogueException LoadFails(string yaml) => Assert.Throws<CatalogueException>(() => Load(yaml));

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l));
}
