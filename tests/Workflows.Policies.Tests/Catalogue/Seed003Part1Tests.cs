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
}
