using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;

namespace Workflows.Policies;

/// <summary>Types a fact may have.</summary>
public enum FactType
{
    /// <summary>A decimal number (money in yuan, ratios, areas).</summary>
    Decimal,

    /// <summary>A whole number (headcount, days, counts).</summary>
    Integer,

    /// <summary>True or false.</summary>
    Bool,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>One of a fixed list of values.</summary>
    Enum,

    /// <summary>Free text.</summary>
    String,
}

/// <summary>Definition of a fact a quote may need.</summary>
/// <param name="Name">Fact name (camelCase).</param>
/// <param name="Type">Type.</param>
/// <param name="Unit">Unit (元, ratio, 人, 平方米 …) for numbers, else null.</param>
/// <param name="Values">Allowed values of an enum fact.</param>
/// <param name="Min">Inclusive minimum, if any.</param>
/// <param name="Max">Inclusive maximum, if any.</param>
/// <param name="Meaning">English meaning.</param>
/// <param name="MeaningZh">Chinese meaning.</param>
public sealed record FactDefinition(
    string Name, FactType Type, string? Unit, IReadOnlyList<string> Values, decimal? Min, decimal? Max, string Meaning, string? MeaningZh)
{
    /// <summary>Checks a supplied value against the definition and converts it to the fact's type.</summary>
    /// <param name="value">The supplied value.</param>
    /// <returns>The value converted to the definition's type.</returns>
    /// <exception cref="FactException">The value is mistyped or out of range.</exception>
    public FactValue Coerce(FactValue value)
    {
        FactValue typed = (Type, value) switch
        {
            (FactType.Decimal, DecimalFact) => value,
            (FactType.Decimal, IntegerFact i) => new DecimalFact(i.Value),
            (FactType.Integer, IntegerFact) => value,
            (FactType.Integer, DecimalFact d) when d.Value == decimal.Truncate(d.Value) && d.Value is >= long.MinValue and <= long.MaxValue => new IntegerFact((long)d.Value),
            (FactType.Bool, BoolFact) => value,
            (FactType.Date, DateFact) => value,
            (FactType.Date, TextFact t) when DateOnly.TryParseExact(t.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => new DateFact(d),
            (FactType.Enum or FactType.String, TextFact) => value,
            _ => throw new FactException(Name, $"expected {Describe()}, got {value}"),
        };
        if (Type == FactType.Enum && !Values.Contains(((TextFact)typed).Value, StringComparer.Ordinal))
        {
            throw new FactException(Name, $"'{((TextFact)typed).Value}' is not one of: {string.Join(", ", Values)}");
        }

        var number = typed switch { DecimalFact d => d.Value, IntegerFact i => i.Value, _ => (decimal?)null };
        if (number is { } n && ((Min is { } min && n < min) || (Max is { } max && n > max)))
        {
            throw new FactException(Name, $"{n.ToString(CultureInfo.InvariantCulture)} is out of range [{Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"}, {Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}] {Unit}");
        }

        return typed;
    }

    /// <summary>Describes the expected value, e.g. <c>a decimal (元)</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => Type switch
    {
        FactType.Decimal => $"a decimal number ({Unit})",
        FactType.Integer => $"a whole number ({Unit})",
        FactType.Bool => "true or false",
        FactType.Date => "a date YYYY-MM-DD",
        FactType.Enum => $"one of: {string.Join(", ", Values)}",
        _ => "text",
    };
}

/// <summary>A fact's value. Use the derived records.</summary>
public abstract record FactValue
{
    /// <summary>Creates a decimal fact.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue Of(decimal value) => new DecimalFact(value);

    /// <summary>Creates an integer fact.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue Of(long value) => new IntegerFact(value);

    /// <summary>Creates a boolean fact.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue Of(bool value) => new BoolFact(value);

    /// <summary>Creates a date fact.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue Of(DateOnly value) => new DateFact(value);

    /// <summary>Creates a text (enum or string) fact.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue Of(string value) => new TextFact(value);
}

/// <summary>A decimal fact.</summary>
/// <param name="Value">The value.</param>
public sealed record DecimalFact(decimal Value) : FactValue
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An integer fact.</summary>
/// <param name="Value">The value.</param>
public sealed record IntegerFact(long Value) : FactValue
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A boolean fact.</summary>
/// <param name="Value">The value.</param>
public sealed record BoolFact(bool Value) : FactValue
{
    /// <inheritdoc/>
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A date fact.</summary>
/// <param name="Value">The value.</param>
public sealed record DateFact(DateOnly Value) : FactValue
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A text fact (enum value or free text).</summary>
/// <param name="Value">The value.</param>
public sealed record TextFact(string Value) : FactValue
{
    /// <inheritdoc/>
    public override string ToString() => $"'{Value}'";
}

/// <summary>An applicant's facts by name. Immutable; thread-safe.</summary>
public sealed class FactProfile
{
    private readonly ReadOnlyDictionary<string, FactValue> values;

    /// <summary>Initializes a new instance of the <see cref="FactProfile"/> class.</summary>
    /// <param name="values">Facts by name.</param>
    /// <param name="projectKey">Project identity for project-scoped caps and stacking, if any.</param>
    public FactProfile(IReadOnlyDictionary<string, FactValue> values, string? projectKey = null)
    {
        this.values = new ReadOnlyDictionary<string, FactValue>(values.ToDictionary(StringComparer.Ordinal));
        ProjectKey = projectKey;
    }

    /// <summary>Gets an empty profile.</summary>
    public static FactProfile Empty { get; } = new(new Dictionary<string, FactValue>());

    /// <summary>Gets the facts by name.</summary>
    public IReadOnlyDictionary<string, FactValue> Values => values;

    /// <summary>Gets the project identity, if any.</summary>
    public string? ProjectKey { get; }

    /// <summary>Returns a copy with one fact set.</summary>
    /// <param name="name">Fact name.</param>
    /// <param name="value">Value.</param>
    /// <returns>The new profile.</returns>
    public FactProfile With(string name, FactValue value)
    {
        var copy = values.ToDictionary(StringComparer.Ordinal);
        copy[name] = value;
        return new FactProfile(copy, ProjectKey);
    }

    /// <summary>Returns a copy with one fact removed.</summary>
    /// <param name="name">Fact name.</param>
    /// <returns>The new profile.</returns>
    public FactProfile Without(string name)
    {
        var copy = values.ToDictionary(StringComparer.Ordinal);
        copy.Remove(name);
        return new FactProfile(copy, ProjectKey);
    }

    /// <summary>Returns a copy with the project key set.</summary>
    /// <param name="projectKey">The project key.</param>
    /// <returns>The new profile.</returns>
    public FactProfile WithProjectKey(string? projectKey) => new(values, projectKey);

    /// <summary>Tries to get a fact.</summary>
    /// <param name="name">Fact name.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>True when present.</returns>
    public bool TryGet(string name, out FactValue value) => values.TryGetValue(name, out value!);

    /// <summary>Parses a facts JSON object (fact name → value; <c>null</c> = not known; optional top-level <c>projectKey</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The profile; values are typed against definitions when a programme reads them.</returns>
    /// <exception cref="FactException">The JSON is not an object or holds an unsupported value.</exception>
    public static FactProfile FromJson(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FactException("(file)", $"not valid JSON: {e.Message}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FactException("(file)", "the facts file must be one JSON object: fact name → value");
            }

            var result = new Dictionary<string, FactValue>(StringComparer.Ordinal);
            string? projectKey = null;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "projectKey")
                {
                    projectKey = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()
                        : p.Value.ValueKind == JsonValueKind.Null ? null
                        : throw new FactException("projectKey", "must be a string");
                    continue;
                }

                if (p.Value.ValueKind == JsonValueKind.Null)
                {
                    // null means "not known yet": the fact is simply absent (a quote lists it as missing).
                    continue;
                }

                result[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number when p.Value.TryGetDecimal(out var d) => new DecimalFact(d),
                    JsonValueKind.True => new BoolFact(true),
                    JsonValueKind.False => new BoolFact(false),
                    JsonValueKind.String => new TextFact(p.Value.GetString()!),
                    _ => throw new FactException(p.Name, $"unsupported JSON value {p.Value.GetRawText()} (use a number, true/false or a string)"),
                };
            }

            return new FactProfile(result, projectKey);
        }
    }
}
