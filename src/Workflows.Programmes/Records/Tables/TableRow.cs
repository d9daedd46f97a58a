namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// One entity of a table: its keys, the service's <see cref="ETag"/> and <see cref="Timestamp"/>, and up to 252 typed
/// properties. Property names are case-sensitive. A row read from a store is a copy: changing it changes nothing stored.
/// </summary>
public sealed class TableRow
{
    private readonly Dictionary<string, TableValue> properties;

    /// <summary>Initializes a row with no properties.</summary>
    /// <param name="partitionKey">The partition key (the store checks its characters and length).</param>
    /// <param name="rowKey">The row key.</param>
    public TableRow(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        this.PartitionKey = partitionKey;
        this.RowKey = rowKey;
        this.properties = new Dictionary<string, TableValue>(StringComparer.Ordinal);
    }

    /// <summary>Gets the partition key.</summary>
    public string PartitionKey { get; }

    /// <summary>Gets the row key.</summary>
    public string RowKey { get; }

    /// <summary>
    /// Gets or sets the opaque version tag. A store sets it on every row it returns; every write yields a new one.
    /// It is ignored on writes: the condition of an update or delete is passed explicitly.
    /// </summary>
    public string? ETag { get; set; }

    /// <summary>Gets or sets when the store last wrote the row (set by the store; ignored on writes).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Gets the custom properties, by name (ordinal, case-sensitive).</summary>
    public IReadOnlyDictionary<string, TableValue> Properties => this.properties;

    /// <summary>Gets or sets a property.</summary>
    /// <param name="name">The property name.</param>
    /// <exception cref="KeyNotFoundException">On get, when the row has no such property.</exception>
    public TableValue this[string name]
    {
        get => this.properties.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"The row ({this.PartitionKey}, {this.RowKey}) has no property '{name}'.");
        set => this.properties[name] = value;
    }

    /// <summary>Removes a property.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>True when it existed.</returns>
    public bool Remove(string name) => this.properties.Remove(name);

    /// <summary>Gets a string property, or null when the row has none of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The text or null.</returns>
    /// <exception cref="InvalidCastException">The property exists with another type.</exception>
    public string? GetString(string name) => this.properties.TryGetValue(name, out var v) ? v.AsString() : null;

    /// <summary>Gets an Int64 property, or null when the row has none of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value or null.</returns>
    /// <exception cref="InvalidCastException">The property exists with another type.</exception>
    public long? GetInt64(string name) => this.properties.TryGetValue(name, out var v) ? v.AsInt64() : null;

    /// <summary>Gets an Int32 property, or null when the row has none of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value or null.</returns>
    /// <exception cref="InvalidCastException">The property exists with another type.</exception>
    public int? GetInt32(string name) => this.properties.TryGetValue(name, out var v) ? v.AsInt32() : null;

    /// <summary>Gets a Boolean property, or null when the row has none of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value or null.</returns>
    /// <exception cref="InvalidCastException">The property exists with another type.</exception>
    public bool? GetBoolean(string name) => this.properties.TryGetValue(name, out var v) ? v.AsBoolean() : null;

    /// <summary>Gets a DateTime property (UTC), or null when the row has none of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value or null.</returns>
    /// <exception cref="InvalidCastException">The property exists with another type.</exception>
    public DateTimeOffset? GetDateTime(string name) => this.properties.TryGetValue(name, out var v) ? v.AsDateTime() : null;

    /// <summary>A deep copy (bytes included), with the same ETag and Timestamp.</summary>
    /// <returns>The copy.</returns>
    public TableRow Clone()
    {
        var copy = new TableRow(this.PartitionKey, this.RowKey) { ETag = this.ETag, Timestamp = this.Timestamp };
        foreach (var (name, value) in this.properties)
        {
            copy.properties[name] = value.Raw is byte[] bytes ? TableValue.FromBinary(bytes) : value;
        }

        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() => $"({this.PartitionKey}, {this.RowKey})";
}
