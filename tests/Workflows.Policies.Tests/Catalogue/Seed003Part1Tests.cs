using static Workflows.Policies.Tests.Catalogue.Seed003Part1;

namespace Workflows.Policies.Tests.Catalogue;

/// <summary>Seed 003 policies 1–11: loading, coverage, citations and the facts each needs.</summary>
public class Seed003Part1Tests
{
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
