using System.Text.Json;
using System.Text.Json.Serialization;
using Workflows.Durable;

namespace Workflows.Programmes;

/// <summary>
/// How the programme orchestrations' inputs, outputs, events and custom status are written: System.Text.Json web
/// defaults with enums by name (<c>"aggregation":"Mean"</c>, not <c>0</c>), so an engineer reading an instance through
/// the management API sees words. Numbers written by earlier versions are still read.
/// </summary>
public static class ProgrammePayloads
{
    /// <summary>Gets the serializer options (read-only).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = Create();

    /// <summary>Gets the data converter over <see cref="JsonOptions"/>, for the embedded runtime.</summary>
    public static DataConverter Converter { get; } = new JsonDataConverter(JsonOptions);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
