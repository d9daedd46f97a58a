using Workflows.Programmes.Azure;

namespace Workflows.Programmes.Tests.Azure;

public class TableKeysTests
{
    [Theory]
    [InlineData("call/2025#1?x\\y", "call%2F2025%231%3Fx%5Cy")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("\u007f\u0085", "%7F%85")]
    [InlineData("北京-海淀 2025", "北京-海淀 2025")]
    [InlineData("", "")]
    public void Encode_ForbiddenCharacters_EscapedReversibly(string value, string expected)
    {
        string key = TableKeys.Encode(value);

        Assert.Equal(expected, key);
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.Equal(value, TableKeys.Decode(key));
    }

    [Fact]
    public void Encode_EveryCharacterBelowU0100_RoundTrips()
    {
        string all = new(Enumerable.Range(0, 0x100).Select(i => (char)i).ToArray());

        Assert.Equal(all, TableKeys.Decode(TableKeys.Encode(all)));
    }

    [Fact]
    public void Encode_TooLongAfterEscaping_ThrowsNamingTheLimit()
    {
        var ex = Assert.Throws<ArgumentException>(() => TableKeys.Encode(new string('/', 200)));

        Assert.Contains("600", ex.Message, StringComparison.Ordinal);
        Assert.Contains("512", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc%")]
    [InlineData("abc%2")]
    [InlineData("abc%zz")]
    [InlineData("a/b")]
    public void Decode_MalformedKey_ThrowsFormatException(string key)
    {
        Assert.Throws<FormatException>(() => TableKeys.Decode(key));
    }

    [Fact]
    public void NewestFirst_LaterInstant_SortsBeforeEarlier()
    {
        var earlier = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
        var later = earlier.AddSeconds(1);

        string a = TableKeys.NewestFirst(earlier);
        string b = TableKeys.NewestFirst(later);

        Assert.Equal(19, a.Length);
        Assert.True(string.CompareOrdinal(b, a) < 0);
    }
}
