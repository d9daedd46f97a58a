using System.Text.Json;

namespace Workflows.Programmes.Security;

/// <summary>
/// Where a local development token's key and claims come from, found the way the host finds them: the data
/// folder and token settings from environment variables, then <c>local.settings.json</c> in the working
/// directory, then the defaults (<c>./app_data</c>, <c>workflows-local</c>, <c>workflows</c>).
/// </summary>
/// <param name="DataFolder">The absolute data folder holding <c>token-signing.key</c>.</param>
/// <param name="SigningKey">A configured base64 key (<c>Workflows:Auth:SigningKey</c>), or null to use the key file.</param>
/// <param name="Settings">Issuer and audience.</param>
public sealed record DevTokenEnvironment(string DataFolder, string? SigningKey, TokenSettings Settings)
{
    /// <summary>The default data folder, relative to the working directory.</summary>
    public const string DefaultDataPath = "./app_data";

    /// <summary>Resolves the environment.</summary>
    /// <param name="workingDirectory">The folder the host runs from (its content root); holds <c>local.settings.json</c>.</param>
    /// <param name="dataFolder">An explicit data folder (e.g. <c>--data</c>); wins over settings. Relative to <paramref name="workingDirectory"/>.</param>
    /// <param name="environment">Reads an environment variable, e.g. <c>Environment.GetEnvironmentVariable</c>.</param>
    /// <returns>The data folder, key and token settings.</returns>
    /// <exception cref="FormatException"><c>local.settings.json</c> is not valid JSON.</exception>
    public static DevTokenEnvironment Resolve(string workingDirectory, string? dataFolder, Func<string, string?> environment)
    {
        var local = ReadLocalSettings(Path.Combine(workingDirectory, "local.settings.json"));
        string? Setting(string key) =>
            environment(key.Replace(":", "__", StringComparison.Ordinal)) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : local.TryGetValue(key, out var fromFile) && !string.IsNullOrEmpty(fromFile) ? fromFile : null;

        var path = !string.IsNullOrWhiteSpace(dataFolder) ? dataFolder : Setting("Workflows:DataPath") ?? DefaultDataPath;
        return new DevTokenEnvironment(
            Path.GetFullPath(path, workingDirectory),
            Setting("Workflows:Auth:SigningKey"),
            new TokenSettings(Setting("Workflows:Auth:Issuer") ?? TokenSettings.DefaultIssuer, Setting("Workflows:Auth:Audience") ?? TokenSettings.DefaultAudience));
    }

    /// <summary>Creates an issuer with this environment's key (creating the key file on first use, as the host does).</summary>
    /// <param name="timeProvider">The clock for the token's times.</param>
    /// <returns>The issuer.</returns>
    public DevTokenIssuer CreateIssuer(TimeProvider timeProvider) =>
        new(SigningKeyStore.LoadOrCreate(DataFolder, SigningKey), Settings, timeProvider);

    private static Dictionary<string, string?> ReadLocalSettings(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Values", out var section)
                && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                        property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path} is not valid JSON: {ex.Message}", ex);
        }

        return values;
    }
}
