namespace Workflows.Programmes.Security;

/// <summary>
/// Finds the token signing key: the configured one if settings hold one, otherwise the key file in the
/// data folder, which is created with a random key on first use. The host and the <c>workflows token</c>
/// command call this with the same data folder, so tokens the command prints are accepted by the host.
/// </summary>
public static class SigningKeyStore
{
    /// <summary>Name of the key file inside the data folder.</summary>
    public const string KeyFileName = "token-signing.key";

    /// <summary>Returns the configured key, or loads (creating on first use) the key file in <paramref name="dataFolder"/>.</summary>
    /// <param name="dataFolder">The absolute data folder; created if missing.</param>
    /// <param name="configuredBase64">The key from settings (base64), or null/empty to use the key file.</param>
    /// <returns>The signing key.</returns>
    /// <exception cref="FormatException">The configured key or the key file's content is not a valid key.</exception>
    public static TokenSigningKey LoadOrCreate(string dataFolder, string? configuredBase64)
    {
        if (!string.IsNullOrWhiteSpace(configuredBase64))
        {
            return TokenSigningKey.FromBase64(configuredBase64);
        }

        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, KeyFileName);
        if (File.Exists(path))
        {
            return ReadKeyFile(path);
        }

        var key = TokenSigningKey.Generate();
        try
        {
            // CreateNew: when two processes start at once, the loser reads the winner's key.
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new StreamWriter(stream);
            writer.Write(key.ToBase64());
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadKeyFile(path);
        }
    }

    private static TokenSigningKey ReadKeyFile(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            return TokenSigningKey.FromBase64(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"The key file {path} does not hold a valid key: {ex.Message} Delete it to have a new one generated.", ex);
        }
    }
}
