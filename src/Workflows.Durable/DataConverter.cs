using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Workflows.Durable;

/// <summary>Serializes inputs, outputs, event payloads and custom status to and from text.</summary>
public abstract class DataConverter
{
    /// <summary>Serializes a value; <c>null</c> stays <c>null</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The serialized text.</returns>
    public abstract string? Serialize(object? value);

    /// <summary>Deserializes text into <paramref name="targetType"/>.</summary>
    /// <param name="data">The text, or <c>null</c>.</param>
    /// <param name="targetType">The target type.</param>
    /// <returns>The value.</returns>
    public abstract object? Deserialize(string? data, Type targetType);

    /// <summary>Deserializes text into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="data">The text, or <c>null</c>.</param>
    /// <returns>The value.</returns>
    public virtual T? Deserialize<T>(string? data) => (T?)(this.Deserialize(data, typeof(T)) ?? default(T));
}

/// <summary>The default <see cref="DataConverter"/>: System.Text.Json with web defaults (camelCase, case-insensitive reads).</summary>
public sealed class JsonDataConverter : DataConverter
{
    private readonly JsonSerializerOptions options;

    /// <summary>Initializes a converter.</summary>
    /// <param name="options">Serializer options; web defaults when <c>null</c>.</param>
    public JsonDataConverter(JsonSerializerOptions? options = null)
    {
        this.options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>Gets the shared default converter.</summary>
    public static JsonDataConverter Default { get; } = new();

    /// <inheritdoc/>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "User payload types are serialized by reflection.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "User payload types are serialized by reflection.")]
    public override string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), this.options);

    /// <inheritdoc/>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "User payload types are serialized by reflection.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "User payload types are serialized by reflection.")]
    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        return data is null ? null : JsonSerializer.Deserialize(data, targetType, this.options);
    }
}
