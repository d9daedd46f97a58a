using Workflows.Programmes.Azure;

namespace Workflows.Programmes.Tests.Azure;

public class DocumentBlobNamesTests
{
    [Fact]
    public void BlobName_ValidId_UsesLowerCaseTwoCharacterFolder()
    {
        Assert.Equal("ab/AB12cd-_x", DocumentBlobNames.BlobName("AB12cd-_x"));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a")]
    [InlineData("ab/cd")]
    [InlineData("文档12")]
    [InlineData("")]
    public void BlobName_InvalidId_ThrowsNamingTheId(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => DocumentBlobNames.BlobName(id));

        Assert.Contains($"'{id}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMetadata_ChineseFileName_AsciiValuesThatRoundTrip()
    {
        var info = new DocumentBlobInfo(
            "ab" + new string('0', 62), "申报书 final.pdf", "user-1", "北京某某科技有限公司", new DateTimeOffset(2025, 4, 2, 9, 30, 0, TimeSpan.FromHours(8)));

        var metadata = DocumentBlobNames.ToMetadata(info);
        var upperCased = metadata.ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value);

        Assert.All(metadata.Values, v => Assert.True(v.All(char.IsAscii), v));
        Assert.Equal(info, DocumentBlobNames.FromMetadata(upperCased));
    }

    [Fact]
    public void FromMetadata_MissingOwner_ThrowsNamingTheKey()
    {
        var metadata = new Dictionary<string, string> { ["sha256"] = "00", ["createdat"] = "2025-04-02T09:30:00.0000000+08:00" };

        var ex = Assert.Throws<FormatException>(() => DocumentBlobNames.FromMetadata(metadata));

        Assert.Contains("'owner'", ex.Message, StringComparison.Ordinal);
    }
}
