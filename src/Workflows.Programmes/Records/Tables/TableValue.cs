using System.Globalization;

namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// The EDM types Azure Tables stores. There is no decimal: money is stored as a whole number of fen in an
/// <see cref="TableValueKind.Int64"/> property, as records.db does.
/// </summary>
public enum TableValueKind
{
    /// <summary><c>Edm.String</c>: UTF-16 text, at most 32,768 characters (64 KiB).</summary>
    String,

    /// <summary><c>Edm.Boolean</c>.</summary>
    Boolean,

    /// <summary><c>Edm.Int32</c>.</summary>
    Int32,

    /// <summary><c>Edm.Int64</c>: all 64 bits survive (on the wire it is a JSON string, so values beyond 2^53 are exact).</summary>
    Int64,

    /// <summary><c>Edm.Double</c>, including NaN and the infinities.</summary>
    Double,

    /// <summary><c>Edm.DateTime</c>: a UTC instant with 100 ns precision, from 1601-01-01 on. The offset is not stored.</summary>
    DateTime,

    /// <summary><c>Edm.Guid</c>.</summary>
    Guid,

    /// <summary><c>Edm.Binary</c>: at most 65,536 bytes.</summary>
    Binary,
}

/// <summary>
/// One typed property value of a <see cref="TableRow"/>. Never null: Tables store no null properties, so a missing
/// value is a missing property. Implicit conversions exist from each supported .NET type.
/// </summary>
public readonly struct TableValue : IEquatable<TableValue>
{
    private readonly object value;

    private TableValue(TableValueKind kind, object value)
    {
        this.Kind = kind;
        this.value = value;
    }

    /// <summary>Gets the EDM type.</summary>
    public TableValueKind Kind { get; }

    /// <summary>Gets the value as an object (string, bool, int, long, double, DateTimeOffset in UTC, Guid or a copy of the bytes).</summary>
    public object Value => this.value is byte[] bytes ? bytes.ToArray() : this.value;

    /// <summary>Converts text.</summary>
    /// <param name="value">The text; not null.</param>
    public static implicit operator TableValue(string value) => FromString(value);

    /// <summary>Converts a Boolean.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(bool value) => FromBoolean(value);

    /// <summary>Converts a 32-bit integer.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(int value) => FromInt32(value);

    /// <summary>Converts a 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(long value) => FromInt64(value);

    /// <summary>Converts a double.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(double value) => FromDouble(value);

    /// <summary>Converts an instant (stored in UTC).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(DateTimeOffset value) => FromDateTime(value);

    /// <summary>Converts a Guid.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator TableValue(Guid value) => FromGuid(value);

    /// <summary>Converts bytes (copied).</summary>
    /// <param name="value">The bytes; not null.</param>
    public static implicit operator TableValue(byte[] value) => FromBinary(value);

    /// <summary>Compares two values.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when kind and value are equal (bytes compared by content).</returns>
    public static bool operator ==(TableValue left, TableValue right) => left.Equals(right);

    /// <summary>Compares two values.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(TableValue left, TableValue right) => !left.Equals(right);

    /// <summary>A string value.</summary>
    /// <param name="value">The text; not null.</param>
    /// <returns>The value.</returns>
    public static TableValue FromString(string value) => new(TableValueKind.String, value ?? throw new ArgumentNullException(nameof(value), "Tables store no null properties; leave the property out instead."));

    /// <summary>A Boolean value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromBoolean(bool value) => new(TableValueKind.Boolean, value);

    /// <summary>A 32-bit integer value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromInt32(int value) => new(TableValueKind.Int32, value);

    /// <summary>A 64-bit integer value (also money in fen).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromInt64(long value) => new(TableValueKind.Int64, value);

    /// <summary>A double value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromDouble(double value) => new(TableValueKind.Double, value);

    /// <summary>An instant, kept in UTC (the offset is not stored).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromDateTime(DateTimeOffset value) => new(TableValueKind.DateTime, value.ToUniversalTime());

    /// <summary>A Guid value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static TableValue FromGuid(Guid value) => new(TableValueKind.Guid, value);

    /// <summary>A binary value; the bytes are copied.</summary>
    /// <param name="value">The bytes; not null.</param>
    /// <returns>The value.</returns>
    public static TableValue FromBinary(ReadOnlySpan<byte> value) => new(TableValueKind.Binary, value.ToArray());

    /// <summary>A binary value; the bytes are copied.</summary>
    /// <param name="value">The bytes; not null.</param>
    /// <returns>The value.</returns>
    public static TableValue FromBinary(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return FromBinary(value.AsSpan());
    }

    /// <summary>The text.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a string.</exception>
    public string AsString() => this.As<string>(TableValueKind.String);

    /// <summary>The Boolean.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a Boolean.</exception>
    public bool AsBoolean() => this.As<bool>(TableValueKind.Boolean);

    /// <summary>The 32-bit integer.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not an Int32.</exception>
    public int AsInt32() => this.As<int>(TableValueKind.Int32);

    /// <summary>The 64-bit integer.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not an Int64.</exception>
    public long AsInt64() => this.As<long>(TableValueKind.Int64);

    /// <summary>The double.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a Double.</exception>
    public double AsDouble() => this.As<double>(TableValueKind.Double);

    /// <summary>The instant, in UTC.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a DateTime.</exception>
    public DateTimeOffset AsDateTime() => this.As<DateTimeOffset>(TableValueKind.DateTime);

    /// <summary>The Guid.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a Guid.</exception>
    public Guid AsGuid() => this.As<Guid>(TableValueKind.Guid);

    /// <summary>A copy of the bytes.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not Binary.</exception>
    public byte[] AsBinary() => this.As<byte[]>(TableValueKind.Binary).ToArray();

    /// <inheritdoc/>
    public bool Equals(TableValue other) =>
        this.Kind == other.Kind
        && (this.value is byte[] a && other.value is byte[] b ? a.AsSpan().SequenceEqual(b) : Equals(this.value, other.value));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TableValue other && this.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        this.value is byte[] bytes ? HashCode.Combine(this.Kind, bytes.Length) : HashCode.Combine(this.Kind, this.value);

    /// <inheritdoc/>
    public override string ToString() => this.value switch
    {
        null => "(default)",
        byte[] bytes => $"{this.Kind}:{Convert.ToBase64String(bytes)}",
        DateTimeOffset at => $"{this.Kind}:{at.ToString("O", CultureInfo.InvariantCulture)}",
        IFormattable f => $"{this.Kind}:{f.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"{this.Kind}:{this.value}",
    };

    /// <summary>The stored object without copying (for the stores in this assembly).</summary>
    internal object Raw => this.value;

    private T As<T>(TableValueKind expected) => this.Kind == expected && this.value is T typed
        ? typed
        : throw new InvalidCastException($"The property holds {this.Kind}, not {expected}.");
}
