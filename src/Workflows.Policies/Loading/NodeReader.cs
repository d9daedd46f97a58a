using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Workflows.Policies;

/// <summary>State shared while loading one file: its name, the document, the programme being read, fact references.</summary>
internal sealed class LoadContext(string file)
{
    public string File { get; } = file;

    public PolicyDocument? Document { get; set; }

    public string? ProgrammeId { get; set; }

    /// <summary>Fact references to check once every file is loaded: (fact, expected types or null, field path, programme).</summary>
    public List<(string Fact, FactType[]? Types, string Path, string? Programme)> FactRefs { get; } = [];

    /// <summary>Conditions read, to check against the fact definitions once every file is loaded.</summary>
    public List<(Condition Condition, string Path, string? Programme)> Conditions { get; } = [];

    public Citation Cite(string clause) => Document?.Cite(clause) ?? new Citation("???", clause);
}

/// <summary>Strict reader over a YAML mapping: typed getters, field paths in errors, unknown keys rejected.</summary>
internal sealed class NodeReader
{
    private readonly YamlMappingNode node;
    private readonly HashSet<string> used;

    public NodeReader(YamlNode node, LoadContext context, string path)
    {
        Context = context;
        Path = path;
        this.node = node as YamlMappingNode ?? throw Error(path, $"expected a mapping (key: value), got {Describe(node)}");
        used = new HashSet<string>(StringComparer.Ordinal);
    }

    private NodeReader(NodeReader other, string path)
    {
        Context = other.Context;
        Path = path;
        node = other.node;
        used = other.used;
    }

    /// <summary>Returns a reader over the same mapping whose field paths start at <paramref name="path"/> (programmes name fields from their own root).</summary>
    public NodeReader Rebase(string path) => new(this, path);

    public LoadContext Context { get; }

    public string Path { get; }

    public IEnumerable<string> Keys => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty);

    public CatalogueException Error(string field, string problem) =>
        new(Context.File, Context.ProgrammeId, field, problem);

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => Raw(key) is not null;

    public YamlNode? Raw(string key)
    {
        used.Add(key);
        return node.Children.TryGetValue(new YamlScalarNode(key), out var v) && !IsNull(v) ? v : null;
    }

    public void Done()
    {
        foreach (var key in Keys)
        {
            if (!used.Contains(key))
            {
                throw Error(Field(key), "unknown key");
            }
        }
    }

    public string String(string key) => OptString(key) ?? throw Error(Field(key), "required");

    public string? OptString(string key) => Raw(key) switch
    {
        null => null,
        YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => s.Value!.Trim(),
        YamlScalarNode => throw Error(Field(key), "must not be empty"),
        var other => throw Error(Field(key), $"expected text, got {Describe(other)}"),
    };

    public decimal Decimal(string key) => OptDecimal(key) ?? throw Error(Field(key), "required");

    public decimal? OptDecimal(string key) => Raw(key) switch
    {
        null => null,
        YamlScalarNode s => ParseDecimal(s, Field(key)),
        var other => throw Error(Field(key), $"expected a number, got {Describe(other)}"),
    };

    public int Int(string key) => OptInt(key) ?? throw Error(Field(key), "required");

    public int? OptInt(string key) => Raw(key) switch
    {
        null => null,
        YamlScalarNode s when int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        var other => throw Error(Field(key), $"expected a whole number, got {Describe(other)}"),
    };

    public bool Bool(string key, bool fallback) => Raw(key) switch
    {
        null => fallback,
        YamlScalarNode { Value: "true" } => true,
        YamlScalarNode { Value: "false" } => false,
        var other => throw Error(Field(key), $"expected true or false, got {Describe(other)}"),
    };

    public DateOnly Date(string key) => OptDate(key) ?? throw Error(Field(key), "required");

    public DateOnly? OptDate(string key) => Raw(key) switch
    {
        null => null,
        YamlScalarNode s when DateOnly.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        var other => throw Error(Field(key), $"expected a date YYYY-MM-DD, got {Describe(other)}"),
    };

    public TEnum Enum<TEnum>(string key, IReadOnlyDictionary<string, TEnum> names)
        where TEnum : struct => OptEnum(key, names) ?? throw Error(Field(key), $"required (one of: {string.Join(", ", names.Keys)})");

    public TEnum? OptEnum<TEnum>(string key, IReadOnlyDictionary<string, TEnum> names)
        where TEnum : struct
    {
        var text = OptString(key);
        if (text is null)
        {
            return null;
        }

        return names.TryGetValue(text, out var v) ? v : throw Error(Field(key), $"'{text}' is not one of: {string.Join(", ", names.Keys)}");
    }

    public NodeReader Map(string key) => OptMap(key) ?? throw Error(Field(key), "required");

    public NodeReader? OptMap(string key) => Raw(key) is { } n ? new NodeReader(n, Context, Field(key)) : null;

    public IReadOnlyList<T> List<T>(string key, Func<NodeReader, T> read, bool required = false)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return required ? throw Error(Field(key), "required (a list)") : [];
        }

        if (raw is not YamlSequenceNode seq)
        {
            throw Error(Field(key), $"expected a list, got {Describe(raw)}");
        }

        if (required && seq.Children.Count == 0)
        {
            throw Error(Field(key), "must not be empty");
        }

        var result = new List<T>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = new NodeReader(seq.Children[i], Context, $"{Field(key)}[{i}]");
            result.Add(read(item));
            item.Done();
        }

        return result;
    }

    public IReadOnlyList<string> Strings(string key, bool required = false)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return required ? throw Error(Field(key), "required (a list)") : [];
        }

        if (raw is not YamlSequenceNode seq)
        {
            throw Error(Field(key), $"expected a list, got {Describe(raw)}");
        }

        return seq.Children.Select((c, i) => c is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error($"{Field(key)}[{i}]", "expected text")).ToList();
    }

    public IReadOnlyList<int> Ints(string key) =>
        Strings(key).Select((s, i) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Error($"{Field(key)}[{i}]", $"expected a whole number, got '{s}'")).ToList();

    /// <summary>Reads a clause label and turns it into a citation of the current document.</summary>
    public Citation Clause(string key = "clause") => Context.Cite(String(key));

    public Citation? OptClause(string key = "clause") => OptString(key) is { } c ? Context.Cite(c) : null;

    /// <summary>Reads a fact reference (checked against the fact definitions once every file is loaded).</summary>
    public string Fact(string key, params FactType[] types) => OptFact(key, types) ?? throw Error(Field(key), "required (a fact name)");

    public string? OptFact(string key, params FactType[] types)
    {
        var name = OptString(key);
        if (name is not null)
        {
            Context.FactRefs.Add((name, types.Length == 0 ? null : types, Field(key), Context.ProgrammeId));
        }

        return name;
    }

    /// <summary>Reads a dated parameter: a number, or a list of <c>{ from, to, value, clause }</c>.</summary>
    public DatedParameter Parameter(string key, Citation fallback, decimal min = decimal.MinValue) =>
        OptParameter(key, fallback, min) ?? throw Error(Field(key), "required (a number or a dated list)");

    public DatedParameter? OptParameter(string key, Citation fallback, decimal min = decimal.MinValue)
    {
        var raw = Raw(key);
        var field = Field(key);
        switch (raw)
        {
            case null:
                return null;
            case YamlScalarNode s:
                {
                    var v = ParseDecimal(s, field);
                    return v < min ? throw Error(field, $"must be ≥ {min.ToString(CultureInfo.InvariantCulture)}") : new DatedParameter(field, [new DatedValue(null, null, v, fallback)]);
                }

            case YamlSequenceNode:
                {
                    var values = List(key, r =>
                    {
                        var v = r.Decimal("value");
                        if (v < min)
                        {
                            throw Error(r.Field("value"), $"must be ≥ {min.ToString(CultureInfo.InvariantCulture)}");
                        }

                        return new DatedValue(r.OptDate("from"), r.OptDate("to"), v, r.OptClause() ?? fallback);
                    }, required: true);
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (values[i].From is { } f && values[i].To is { } t && t < f)
                        {
                            throw Error($"{field}[{i}]", "'to' is before 'from'");
                        }

                        for (var j = 0; j < i; j++)
                        {
                            if (Overlap(values[i].Period, values[j].Period))
                            {
                                throw Error($"{field}[{i}]", $"overlaps entry {j}");
                            }
                        }
                    }

                    return new DatedParameter(field, values);
                }

            default:
                throw Error(field, $"expected a number or a dated list, got {Describe(raw)}");
        }
    }

    private static bool Overlap(DateRange a, DateRange b) =>
        (a.From is null || b.To is null || a.From <= b.To) && (b.From is null || a.To is null || b.From <= a.To);

    private decimal ParseDecimal(YamlScalarNode s, string field) =>
        decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Error(field, $"expected a number, got '{s.Value}'");

    private static bool IsNull(YamlNode n) => n is YamlScalarNode { Value: null or "" or "~" or "null", Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) };

    public static string Describe(YamlNode n) => n switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => n.NodeType.ToString(),
    };
}
