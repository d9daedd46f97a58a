using static Workflows.Policies.Tests.Catalogue.Seed003Part1;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 1–11: loading, coverage, citations and the facts each needs.</summary>
public class Seed003Part1Tests
{
    /// <summary>Every clause of 003 policies 1–11 that grants money or a quantifiable benefit (docs/interpretations.md lists what is left out and why).</summary>
    public static readonly string[] Required =
    [
        "003-pg-wl-conference", "003-pg-wl-exhibition-firm", "003-pg-wl-industry-fusion", "003-pg-wl-signature-event", "003-pg-wl-public-facility",
        "003-pg-wl-art-award", "003-pg-wl-tourism-quality", "003-pg-wl-boutique-bnb", "003-pg-wl-rural-loan-interest", "003-pg-wl-tour-groups",
        "003-pg-wl-visitor-ranking", "003-pg-wl-influencer", "003-pg-wl-product-rnd", "003-pg-wl-product-shop", "003-pg-wl-promotion",
        "003-pg-wl-district-build", "003-pg-wl-district-contribution", "003-pg-wl-district-contribution-third-year", "003-pg-wl-brand-store-rent",
        "003-pg-wl-street-block", "003-pg-wl-cultural-cluster", "003-pg-wl-mall-upgrade", "003-pg-wl-first-store", "003-pg-wl-new-retail",
        "003-pg-wl-mall-promotion", "003-pg-wl-sports-event-international", "003-pg-wl-sports-event-national", "003-pg-wl-sports-industry",
        "003-pg-fdi-cash", "003-pg-fdi-ip", "003-pg-trade-fair", "003-pg-trade-intl-capability", "003-pg-trade-fx-derivatives",
        "003-pg-trade-agri-freight", "003-pg-trade-seed-export", "003-pg-trade-odi", "003-pg-fin-setup", "003-pg-fin-fund-manager",
        "003-pg-fin-office-purchase", "003-pg-fin-office-rent", "003-pg-fin-talent", "003-pg-listing-main-board", "003-pg-listing-growth-board",
        "003-pg-listing-neeq-innovation", "003-pg-listing-coaching", "003-pg-ip-china-patent-award", "003-pg-ip-beijing-patent-award",
        "003-pg-ip-pledge-interest", "003-pg-ip-insurance", "003-pg-ip-securitisation", "003-pg-ip-transfer-platform", "003-pg-ip-alliance",
        "003-pg-ip-navigation", "003-pg-ip-national-title", "003-pg-ip-beijing-demonstration", "003-pg-ip-management-certification",
        "003-pg-ip-iso56005-pilot", "003-pg-ip-enforcement", "003-pg-ip-service-agency", "003-pg-agtech-hitech", "003-pg-agtech-tech-trade",
        "003-pg-gjj-rnd", "003-pg-gjj-tech-centre-national", "003-pg-gjj-tech-centre-municipal", "003-pg-gjj-major-project",
        "003-pg-incubator-recognition", "003-pg-incubator-value-added", "003-pg-incubator-equity", "003-pg-incubator-returnee-firms",
        "003-pg-incubator-open-platform", "003-pg-incubator-upgrade", "003-pg-accel-operating", "003-pg-accel-upgrade",
        "003-pg-accel-zgc-hitech-cultivated", "003-pg-accel-national-hitech-cultivated", "003-pg-accel-listing-cultivated", "003-pg-accel-rent",
        "003-pg-accel-relocation", "003-pg-accel-ip-services", "003-pg-accel-loan-interest", "003-pg-accel-procurement",
        "003-pg-pilot-base-construction", "003-pg-pilot-base-annual", "003-pg-sme-tech-upgrade", "003-pg-sme-informatisation",
        "003-pg-sme-new-enterprise", "003-pg-sme-loan-interest", "003-pg-sme-rnd-centre", "003-pg-sme-zjtx", "003-pg-sme-little-giant-relocated",
        "003-pg-sme-service-platform",
    ];

    [Fact]
    public void Catalogue_Covers003Part1RequiredIds_AloneAndInTheDefaultCatalogue()
    {
        Assert.Equal(Required.Order(StringComparer.Ordinal), Loaded.All.Select(p => p.Id).Order(StringComparer.Ordinal));
        var all = ProgrammeCatalogue.Default.All.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var missing = Required.Where(id => !all.Contains(id)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Load_Part1FilesAlone_LoadAndCiteTheirTitle()
    {
        Assert.Equal(Files.Length, Sources().Count());
        foreach (var p in Loaded.All)
        {
            Assert.StartsWith("003-pg-", p.Id, StringComparison.Ordinal);
            Assert.StartsWith("003 " + p.Document.TitleZh + " ", p.Citation.ToString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.Bureau), p.Id);
        }
    }
    [Fact]
    public void Catalogue_EveryReading_NamesATestThatExists()
    {
        var interpretations = Loaded.All.SelectMany(p => p.Interpretations.Select(i => (Programme: p.Id, Reading: i))).ToList();

        Assert.True(interpretations.Count >= 40, $"only {interpretations.Count} readings");
        foreach (var (programme, reading) in interpretations)
        {
            Assert.False(string.IsNullOrWhiteSpace(reading.Chosen), $"{programme}/{reading.Id}");
            Assert.StartsWith("test: ", reading.Note, StringComparison.Ordinal);
            var name = reading.Note!["test: ".Length..];
            var type = typeof(Seed003Part1Tests).Assembly.GetType("Workflows.Policies.Tests.Catalogue." + name[..name.IndexOf('.', StringComparison.Ordinal)]);
            Assert.True(type?.GetMethod(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]) is not null, $"{programme}/{reading.Id}: no test {name}");
        }
    }

    [Fact]
    public void Catalogue_EveryMonetaryProgramme_HasAWorkedExample()
    {
        var examples = typeof(Seed003Part1AmountsTests).GetMethod(nameof(Seed003Part1AmountsTests.Quote_WorkedExampleFromClause_PaysExactAmount))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet(StringComparer.Ordinal);

        var missing = Loaded.All.Select(p => p.Id).Where(id => !examples.Contains(id) && id != "003-pg-incubator-recognition").ToList(); // recognition: Seed003Part1ReadingsTests.Quote_IncubatorRecognition_ThresholdsByKind

        Assert.Empty(missing);
    }
}
