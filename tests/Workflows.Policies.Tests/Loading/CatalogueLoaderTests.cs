using static Workflows.Policies.Tests.Loading.Yaml;

namespace Workflows.Policies.Tests.Loading;

public class CatalogueLoaderTests
{
    [Fact]
    public void Load_MinimalDocument_ReadsEveryPart()
    {
        var catalogue = Load(Formula("{ kind: fixed, clause: 第二条, amount: 1000 }"));

        var p = catalogue.Get("999-p");
        Assert.Equal("999 第一条", p.Citation.ToString());
        Assert.Equal("999 第二条", p.Formula.Citation.ToString());
        Assert.Equal("fixed", p.Formula.Kind);
        Assert.Equal(1000m, p.Formula.MaxAmount);
        Assert.Equal("Catalogue/999-test.yaml", p.SourceFile);
    }

    [Fact]
    public void Load_UnknownKey_NamesFileProgrammeAndField()
    {
        var e = LoadFails(Formula("{ kind: fixed, clause: 第二条, amount: 1000, amout: 5 }"));

        Assert.Equal("Catalogue/999-test.yaml", e.File);
        Assert.Equal("999-p", e.ProgrammeId);
        Assert.Equal("formula.amout", e.Field);
        Assert.Contains("unknown key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongType_NamesTheField()
    {
        var e = LoadFails(Formula("{ kind: fixed, clause: 第二条, amount: 五十万 }"));

        Assert.Equal("formula.amount", e.Field);
        Assert.Contains("五十万", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingRequiredKey_NamesIt()
    {
        var e = LoadFails(Formula("{ kind: fixed, amount: 1 }"));
        Assert.Equal("formula.clause", e.Field);
    }

    [Fact]
    public void Load_UnknownKind_ListsTheKnownKinds()
    {
        var e = LoadFails(Formula("{ kind: lottery, clause: 第二条 }"));

        Assert.Equal("formula.kind", e.Field);
        Assert.Contains("banded-rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("promotion-difference", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UndefinedFact_IsAnError()
    {
        var e = LoadFails(Formula("{ kind: percentage, clause: 第二条, baseFact: salary, rate: 0.1 }"));

        Assert.Equal("formula.baseFact", e.Field);
        Assert.Contains("'salary' is not defined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FactOfWrongType_IsAnError()
    {
        var e = LoadFails(Formula("{ kind: percentage, clause: 第二条, baseFact: level, rate: 0.1 }"));
        Assert.Contains("is Enum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TierNotAValueOfTheEnum_IsAnError()
    {
        var e = LoadFails(Formula("{ kind: fixed-by-tier, clause: 第二条, tierFact: level, tiers: [ { key: medium, amount: 1 } ] }"));
        Assert.Contains("'medium'", e.Message, StringComparison.Ordinal);
        Assert.Equal("999-p", e.ProgrammeId);
    }

    [Fact]
    public void Load_ConditionLiteralNotFittingTheFact_IsAnError()
    {
        var body = """
            rules:
              - { id: r, clause: 第一条, fact: count, op: ge, value: many, message: "Many" }
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            """;
        var e = LoadFails(Document(body));
        Assert.Contains("'many'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IsTrueOnANumber_IsAnError()
    {
        var body = """
            rules:
              - { id: r, clause: 第一条, fact: count, op: is-true, message: "x" }
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            """;
        Assert.Contains("needs a bool fact", LoadFails(Document(body)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateProgrammeIdAcrossFiles_NamesTheOtherFile()
    {
        var yaml = Formula("{ kind: fixed, clause: 第二条, amount: 1 }");
        var other = yaml.Replace("id: \"999\"", "id: \"999b\"", StringComparison.Ordinal);

        var e = Assert.Throws<CatalogueException>(() => ProgrammeCatalogue.FromYaml(new CatalogueSource("Catalogue/999-a.yaml", yaml), new CatalogueSource("Catalogue/999-b.yaml", other)));

        Assert.Contains("999-a.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameFactWithDifferentTypeInTwoFiles_IsAnError()
    {
        var yaml = Formula("{ kind: fixed, clause: 第二条, amount: 1 }");
        var other = yaml.Replace("id: \"999\"", "id: \"998\"", StringComparison.Ordinal).Replace("seed: 999_test.txt", "seed: 998_test.txt", StringComparison.Ordinal)
            .Replace("id: 999-p", "id: 998-p", StringComparison.Ordinal).Replace("count: { type: integer", "count: { type: decimal", StringComparison.Ordinal);

        var e = Assert.Throws<CatalogueException>(() => ProgrammeCatalogue.FromYaml(new CatalogueSource("Catalogue/999-a.yaml", yaml), new CatalogueSource("Catalogue/998-b.yaml", other)));

        Assert.Contains("fact 'count'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProgrammeIdWithoutSeedPrefix_IsAnError()
    {
        var e = LoadFails(Formula("{ kind: fixed, clause: 第二条, amount: 1 }").Replace("id: 999-p", "id: 123-p", StringComparison.Ordinal));
        Assert.Equal("id", e.Field);
    }

    [Fact]
    public void Load_InvalidYaml_NamesTheFileAndLine()
    {
        var e = LoadFails("document: [unclosed");
        Assert.Equal("Catalogue/999-test.yaml", e.File);
        Assert.Contains("not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DatedParameterEntriesOverlapping_IsAnError()
    {
        var e = LoadFails(Formula("""{ kind: fixed, clause: 第二条, amount: [ { from: 2024-01-01, to: 2025-06-30, value: 1 }, { from: 2025-06-30, value: 2 } ] }"""));
        Assert.Contains("overlaps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InstalmentFractionsNotSummingToOne_IsAnError()
    {
        var e = LoadFails(Document("""
            formula: { kind: instalments, clause: 第一条, of: { kind: fixed, clause: 第一条, amount: 100 }, schedule: [ { year: 1, fraction: 0.5 }, { year: 2, fraction: 0.4 } ] }
            disbursement: { mode: instalments, clause: 第一条 }
            """).Replace("    disbursement: { mode: on-application, clause: 第一条 }\n", string.Empty, StringComparison.Ordinal));
        Assert.Contains("sum to 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InstalmentsWithoutInstalmentDisbursement_IsAnError()
    {
        var e = LoadFails(Formula("{ kind: instalments, clause: 第一条, schedule: [ { year: 1, amount: 100 } ] }"));
        Assert.Equal("disbursement.mode", e.Field);
    }

    [Fact]
    public void Load_ReplacesUnknownProgramme_IsAnError()
    {
        var e = LoadFails(Document("""
            replaces: [999-missing]
            formula: { kind: fixed, clause: 第一条, amount: 1 }
            """));
        Assert.Contains("999-missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownEffectivePeriod_NotInForceUntilConfigured()
    {
        var yaml = Document("formula: { kind: fixed, clause: 第一条, amount: 1 }", effective: "{ unknown: true, clause: 附则, note: \"cut off\" }");
        var unconfigured = Load(yaml);
        var engine = new QuoteEngine(unconfigured, WorkingDayCalendar.Default);

        Assert.Empty(unconfigured.InForce(new DateOnly(2025, 1, 1)));
        var e = Assert.Throws<EffectivePeriodUnknownException>(() => engine.Quote(new QuoteRequest("999-p", new DateOnly(2025, 1, 1), FactProfile.Empty)));
        Assert.Contains("999", e.Message, StringComparison.Ordinal);

        var options = new CatalogueOptions { IncludeEmbedded = false };
        options.ExtraSources.Add(new CatalogueSource("Catalogue/999-test.yaml", yaml));
        options.EffectivePeriods["999"] = new DateRange(new DateOnly(2024, 7, 1), new DateOnly(2025, 6, 30));
        var configured = ProgrammeCatalogue.Load(options);
        Assert.Single(configured.InForce(new DateOnly(2025, 1, 1)));
        Assert.Empty(configured.InForce(new DateOnly(2025, 7, 1)));
        Assert.Equal(1m, new QuoteEngine(configured, WorkingDayCalendar.Default).Quote(new QuoteRequest("999-p", new DateOnly(2025, 1, 1), FactProfile.Empty)).Amount);
    }

    [Fact]
    public void Load_ConfiguredPeriodForUnknownDocument_IsAnError()
    {
        var options = new CatalogueOptions { IncludeEmbedded = false };
        options.ExtraSources.Add(new CatalogueSource("Catalogue/999-test.yaml", Formula("{ kind: fixed, clause: 第一条, amount: 1 }")));
        options.EffectivePeriods["nope"] = new DateRange(null, null);

        Assert.Contains("nope", Assert.Throws<CatalogueException>(() => ProgrammeCatalogue.Load(options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtraSourceWithEmbeddedName_ReplacesTheEmbeddedFile()
    {
        var embedded = ProgrammeCatalogue.EmbeddedSources().Single(s => s.Name == "Catalogue/004-zjtx-hitech-2023.yaml");
        var changed = embedded.Yaml.Replace("amount: 500000, labelZh: 国家专精特新", "amount: 550000, labelZh: 国家专精特新", StringComparison.Ordinal);
        var options = new CatalogueOptions { IncludeEmbedded = false };
        options.ExtraSources.Add(ProgrammeCatalogue.EmbeddedSources().Single(s => s.Name == "Catalogue/001-2025-opinions.yaml"));
        options.ExtraSources.Add(new CatalogueSource(embedded.Name, changed));

        var catalogue = ProgrammeCatalogue.Load(options);

        Assert.Equal(550000m, catalogue.Get("004-zjtx-award").Formula.MaxAmount);
    }
}

public class CatalogueLoaderEdgeTests
{
    [Fact]
    public void Load_DuplicateKey_IsACatalogueError()
    {
        var yaml = Yaml.Formula("{ kind: fixed, clause: 第二条, amount: 1 }").Replace("    titleZh: 测试项目\n", "    titleZh: 测试项目\n    titleZh: 又一个\n", StringComparison.Ordinal);

        var e = Assert.Throws<CatalogueException>(() => Yaml.Load(yaml));

        Assert.Equal("Catalogue/999-test.yaml", e.File);
    }

    [Fact]
    public void Load_EmptyText_IsACatalogueError()
    {
        Assert.Throws<CatalogueException>(() => Yaml.Load(string.Empty));
    }
}
