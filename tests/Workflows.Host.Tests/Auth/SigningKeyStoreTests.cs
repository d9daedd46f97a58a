using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Auth;

public sealed class SigningKeyStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "workflows-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_FirstRun_WritesAKeyFileThatLaterRunsReuse()
    {
        var first = SigningKeyStore.LoadOrCreate(_folder, configuredBase64: null);
        var second = SigningKeyStore.LoadOrCreate(_folder, configuredBase64: "");

        Assert.Equal(32, first.Length);
        Assert.Equal(first.ToBase64(), second.ToBase64());
        Assert.Equal(first.ToBase64(), File.ReadAllText(Path.Combine(_folder, SigningKeyStore.KeyFileName)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, SigningKeyStore.KeyFileName)));
        }
    }

    [Fact]
    public void LoadOrCreate_ConfiguredKey_WinsAndWritesNoFile()
    {
        var configured = TokenSigningKey.Generate().ToBase64();

        var key = SigningKeyStore.LoadOrCreate(_folder, configured);

        Assert.Equal(configured, key.ToBase64());
        Assert.False(File.Exists(Path.Combine(_folder, SigningKeyStore.KeyFileName)));
    }

    [Fact]
    public void LoadOrCreate_CorruptKeyFile_SaysToDeleteIt()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, SigningKeyStore.KeyFileName), "not base64 !");

        var ex = Assert.Throws<FormatException>(() => SigningKeyStore.LoadOrCreate(_folder, null));

        Assert.Contains("does not hold a valid key: The token signing key is not valid base64. Delete it to have a new one generated.", ex.Message);
    }

    [Fact]
    public void FromBase64_TooShort_NamesTheLength()
    {
        var ex = Assert.Throws<FormatException>(() => TokenSigningKey.FromBase64(Convert.ToBase64String(new byte[8])));
        Assert.StartsWith("The token signing key is 8 bytes; it must be at least 32 bytes", ex.Message);
    }
}
