using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Workflows.Host.Configuration;

/// <summary>Adds <c>local.settings.json</c> to a configuration.</summary>
public static class LocalSettingsExtensions
{
    /// <summary>The settings file name, looked for in the content root.</summary>
    public const string FileName = "local.settings.json";

    /// <summary>
    /// Adds <c>local.settings.json</c> from <paramref name="contentRoot"/> (optional file) right after the
    /// appsettings files, so it overrides them while environment variables and the command line still
    /// override it — the order the Functions host uses, where real environment variables win.
    /// </summary>
    /// <param name="builder">The configuration to extend.</param>
    /// <param name="contentRoot">The folder holding <c>local.settings.json</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string contentRoot)
    {
        var source = new LocalSettingsConfigurationSource
        {
            Path = FileName,
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(contentRoot),
        };

        var sources = builder.Sources;
        var lastJson = -1;
        var firstEnvironment = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
            else if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" } && firstEnvironment < 0)
            {
                firstEnvironment = i;
            }
        }

        var index = lastJson >= 0 ? lastJson + 1 : firstEnvironment;
        if (index >= 0)
        {
            sources.Insert(index, source);
        }
        else
        {
            builder.Add(source);
        }

        return builder;
    }
}
