using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace Workflows.Host.Configuration;

/// <summary>
/// Reads an Azure Functions style <c>local.settings.json</c>: <c>{"IsEncrypted": false, "Values": {...},
/// "ConnectionStrings": {...}}</c>. Keys in <c>Values</c> may use <c>:</c> or <c>__</c> as the section
/// separator (<c>Workflows:DataPath</c> and <c>Workflows__DataPath</c> are the same setting).
/// </summary>
public sealed class LocalSettingsConfigurationSource : FileConfigurationSource
{
    /// <inheritdoc />
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LocalSettingsConfigurationProvider(this);
    }
}

/// <summary>Loads the flat key/value pairs of a <see cref="LocalSettingsConfigurationSource"/>.</summary>
/// <param name="source">The file source.</param>
public sealed class LocalSettingsConfigurationProvider(LocalSettingsConfigurationSource source) : FileConfigurationProvider(source)
{
    /// <inheritdoc />
    public override void Load(Stream stream)
    {
        Data = Parse(stream, Source.Path ?? "local.settings.json");
    }

    /// <summary>Turns the file's content into configuration keys and values.</summary>
    /// <param name="stream">The file content.</param>
    /// <param name="displayName">The file name used in error messages.</param>
    /// <returns>The settings, keys case-insensitive, <c>__</c> turned into <c>:</c>.</returns>
    /// <exception cref="FormatException">The file is not a Functions-style settings object; the message says what is wrong.</exception>
    internal static Dictionary<string, string?> Parse(Stream stream, string displayName)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{displayName} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{displayName} must hold a JSON object like {{\"IsEncrypted\": false, \"Values\": {{...}}}}.");
            }

            if (root.TryGetProperty("IsEncrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
            {
                throw new FormatException($"{displayName} says \"IsEncrypted\": true; the local host reads plain settings only. Write the values in clear and set \"IsEncrypted\": false.");
            }

            if (root.TryGetProperty("Values", out var values))
            {
                AddSection(data, values, prefix: null, "Values", displayName);
            }

            if (root.TryGetProperty("ConnectionStrings", out var connectionStrings))
            {
                AddSection(data, connectionStrings, prefix: "ConnectionStrings", "ConnectionStrings", displayName);
            }
        }

        return data;
    }

    private static void AddSection(Dictionary<string, string?> data, JsonElement section, string? prefix, string sectionName, string displayName)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{displayName}: \"{sectionName}\" must be an object of names and values.");
        }

        foreach (var property in section.EnumerateObject())
        {
            var key = property.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (prefix is not null)
            {
                key = ConfigurationPath.Combine(prefix, key);
            }

            data[key] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new FormatException(
                    $"{displayName}: \"{sectionName}\".\"{property.Name}\" must be a string, number or boolean (Functions settings are flat)."),
            };
        }
    }
}
