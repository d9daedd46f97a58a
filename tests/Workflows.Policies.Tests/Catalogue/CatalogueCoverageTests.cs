namespace Workflows.Policies.Tests.Catalogue;

public class CatalogueCoverageTests
{
    /// <summary>Every clause of 004 and 001 that grants money or a quantifiable benefit (docs/interpretations.md lists the ones left out and why).</summary>
    public static readonly string[] Required004And001 =
    [
        "004-zjtx-award", "004-hitech-award", "004-key-employer-grant", "004-rd-growth", "004-growth-plan-rent",
        "004-service-voucher", "004-innovation-fund-investment", "004-listing-support",
        "001-baicaixin", "001-major-project-matching", "001-jiebang-guashuai", "001-future-industry-poc",
        "001-innovation-platform", "001-science-award", "001-smart-manufacturing-title", "001-hitech-award", "001-zjtx-award",
        "001-rd-growth", "001-spring-bamboo-rent", "001-incubator-operation", "001-incubator-excellence",
        "001-park-commuter-bus", "001-park-excellence-title", "001-tech-geek-support", "001-talent-contribution-award",
        "001-graduate-housing", "001-zjtx-loan-interest", "001-tech-insurance", "001-patent-fast-track",
        "001-standard-matching", "001-platform-fixed-asset", "001-capital-sci-tech-platform", "001-industry-service-voucher",
        "001-capital-voucher-matching",
    ];

    [Fact]
    public void Default_EveryEmbeddedFile_LoadsAndContributesProgrammes()
    {
        var sources = ProgrammeCatalogue.EmbeddedSources();
        var catalogue = ProgrammeCatalogue.Default;

        Assert.Contains(sources, s => s.Name == "Catalogue/004-zjtx-hitech-2023.yaml");
        Assert.Contains(sources, s => s.Name == "Catalogue/001-2025-opinions.yaml");
        Assert.All(sources, s => Assert.Contains(catalogue.All, p => p.SourceFile == s.Name));
    }

    [Fact]
    public void Default_Covers004And001RequiredIds()
    {
        var ids = ProgrammeCatalogue.Default.All.Select(p => p.Id).ToHashSet();

        var missing = Required004And001.Where(id => !ids.Contains(id)).ToList();

        Assert.Empty(missing);
        Assert.Equal(Required004And001.Length, ids.Count(id => id.StartsWith("004-", StringComparison.Ordinal) || id.StartsWith("001-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Default_EveryProgramme_HasCitationTitlesBureauAndFormulaCitation()
    {
        foreach (var p in ProgrammeCatalogue.Default.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Citation.Clause), p.Id);
            Assert.StartsWith(p.Id[..3], p.Citation.ToString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.TitleZh), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.NameEn), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.Bureau), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.Formula.Citation.Clause), p.Id);
            Assert.All(p.AllRules, r => Assert.False(string.IsNullOrWhiteSpace(r.Citation.Clause)));
            Assert.All(p.Stages, s => Assert.False(string.IsNullOrWhiteSpace(s.Citation.Clause)));
        }
    }

    [Fact]
    public void Default_Incubators_And_Parks_HaveYearlyAssessment()
    {
        foreach (var id in new[] { "001-incubator-operation", "001-incubator-excellence", "001-park-commuter-bus", "001-park-excellence-title" })
        {
            var p = ProgrammeCatalogue.Default.Get(id);
            Assert.Contains(p.Stages, s => s.Kind == StageKind.AnnualAssessment && s.RepeatsYearly);
        }
    }
}
