using System.Collections.Frozen;

namespace Workflows.Policies;

/// <summary>A catalogue file's name and YAML text.</summary>
/// <param name="Name">A name for error messages, e.g. <c>Catalogue/001-2025-opinions.yaml</c>.</param>
/// <param name="Yaml">The YAML text.</param>
public sealed record CatalogueSource(string Name, string Yaml);

/// <summary>Options of a catalogue load.</summary>
public sealed class CatalogueOptions
{
    /// <summary>Gets effective periods set by configuration, by document id (for documents whose seed does not state one, e.g. 000).
    /// A stated period may be overridden too.</summary>
    public IDictionary<string, DateRange> EffectivePeriods { get; } = new Dictionary<string, DateRange>(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether the embedded catalogue files are loaded.</summary>
    /// <value>Default true.</value>
    public bool IncludeEmbedded { get; set; } = true;

    /// <summary>Gets extra catalogue files (tests, a bureau's data change); a file with the same name as an embedded one replaces it.</summary>
    public IList<CatalogueSource> ExtraSources { get; } = [];
}

/// <summary>
/// The programme catalogue: every programme of every catalogue file, validated. Load once (<see cref="Default"/>)
/// and share: instances are immutable and thread-safe.
/// </summary>
public sealed class ProgrammeCatalogue
{
    private static readonly Lazy<ProgrammeCatalogue> Embedded = new(() => Load());
    private readonly FrozenDictionary<string, Programme> byId;
    private readonly FrozenDictionary<string, DateRange> configuredPeriods;
    private readonly FrozenDictionary<string, IReadOnlyList<Programme>> stackingGroups;
    private readonly FrozenDictionary<string, IReadOnlyList<Programme>> capGroups;

    private ProgrammeCatalogue(CatalogueLoader.Loaded loaded, IDictionary<string, DateRange> periods)
    {
        All = loaded.Programmes;
        Documents = loaded.Documents;
        Facts = loaded.Facts.ToFrozenDictionary(StringComparer.Ordinal);
        byId = loaded.Programmes.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        configuredPeriods = periods.ToFrozenDictionary(StringComparer.Ordinal);
        stackingGroups = loaded.Programmes
            .SelectMany(p => p.Stacking.Select(r => (r.Group, Programme: p)))
            .GroupBy(x => x.Group, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Programme>)g.Select(x => x.Programme).Distinct().ToList(), StringComparer.Ordinal);
        capGroups = loaded.Programmes
            .Where(p => p.Formula.Caps?.Group is not null)
            .GroupBy(p => p.Formula.Caps!.Group!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Programme>)g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Gets the catalogue of the embedded files with default options, loaded once.</summary>
    public static ProgrammeCatalogue Default => Embedded.Value;

    /// <summary>Gets every programme, ordered by id.</summary>
    public IReadOnlyList<Programme> All { get; }

    /// <summary>Gets every document (policy version), ordered by id.</summary>
    public IReadOnlyList<PolicyDocument> Documents { get; }

    /// <summary>Gets every fact definition by name.</summary>
    public IReadOnlyDictionary<string, FactDefinition> Facts { get; }

    /// <summary>Loads the catalogue.</summary>
    /// <param name="options">Options; null for defaults (embedded files only).</param>
    /// <returns>The catalogue.</returns>
    /// <exception cref="CatalogueException">A file is invalid; the message names file, programme and field.</exception>
    public static ProgrammeCatalogue Load(CatalogueOptions? options = null)
    {
        options ??= new CatalogueOptions();
        var sources = new Dictionary<string, CatalogueSource>(StringComparer.Ordinal);
        if (options.IncludeEmbedded)
        {
            foreach (var s in EmbeddedSources())
            {
                sources[s.Name] = s;
            }
        }

        foreach (var s in options.ExtraSources)
        {
            sources[s.Name] = s;
        }

        var loaded = CatalogueLoader.Load(sources.Values);
        foreach (var id in options.EffectivePeriods.Keys.Where(id => loaded.Documents.All(d => d.Id != id)))
        {
            throw new CatalogueException("(options)", null, $"EffectivePeriods[\"{id}\"]", "no such document");
        }

        return new ProgrammeCatalogue(loaded, options.EffectivePeriods);
    }

    /// <summary>Loads a catalogue from the given YAML texts only (no embedded files).</summary>
    /// <param name="sources">The files.</param>
    /// <returns>The catalogue.</returns>
    public static ProgrammeCatalogue FromYaml(params CatalogueSource[] sources)
    {
        var options = new CatalogueOptions { IncludeEmbedded = false };
        foreach (var s in sources)
        {
            options.ExtraSources.Add(s);
        }

        return Load(options);
    }

    /// <summary>Returns the embedded catalogue files.</summary>
    /// <returns>Name and text of each.</returns>
    public static IReadOnlyList<CatalogueSource> EmbeddedSources()
    {
        var assembly = typeof(ProgrammeCatalogue).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Catalogue/", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new CatalogueSource(n, reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>Returns a programme by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The programme.</returns>
    /// <exception cref="UnknownProgrammeException">No programme has the id.</exception>
    public Programme Get(string id) => byId.TryGetValue(id, out var p) ? p : throw new UnknownProgrammeException(id);

    /// <summary>Tries to get a programme by id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="programme">The programme when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string id, out Programme programme) => byId.TryGetValue(id, out programme!);

    /// <summary>Returns the programmes in force on a date (documents with an unknown, unconfigured period are left out).</summary>
    /// <param name="date">The date.</param>
    /// <returns>The programmes, ordered by id.</returns>
    public IReadOnlyList<Programme> InForce(DateOnly date) => All.Where(p => PeriodOf(p) is { } period && period.Contains(date)).ToList();

    /// <summary>Returns whether a programme is in force on a date.</summary>
    /// <param name="programme">The programme.</param>
    /// <param name="date">The date.</param>
    /// <returns>True when in force; false also when its period is unknown and not configured.</returns>
    public bool IsInForce(Programme programme, DateOnly date) => PeriodOf(programme) is { } period && period.Contains(date);

    /// <summary>Returns a programme's effective period: the document's (stated or configured), narrowed by the
    /// programme's own, and ended the day before a later document that replaces it takes effect.</summary>
    /// <param name="programme">The programme.</param>
    /// <returns>The period, or null when the document's period is unknown and not configured.</returns>
    public DateRange? PeriodOf(Programme programme)
    {
        var doc = programme.Document;
        DateRange? basePeriod = configuredPeriods.TryGetValue(doc.Id, out var configured) ? configured : doc.StatedPeriod;
        if (basePeriod is not { } period)
        {
            return null;
        }

        var from = period.From;
        var to = period.To;
        if (programme.OwnPeriod is { } own)
        {
            from = Later(from, own.From);
            to = Earlier(to, own.To);
        }

        foreach (var later in Documents)
        {
            foreach (var rep in later.Replaces.Where(r => r.DocumentId == doc.Id))
            {
                to = Earlier(to, rep.From.AddDays(-1));
            }
        }

        return new DateRange(from, to);
    }

    /// <summary>Returns the cycle years a programme pays for: the document's (stated, or the years its period
    /// touches) plus carried-over years.</summary>
    /// <param name="programme">The programme.</param>
    /// <returns>The years.</returns>
    /// <exception cref="EffectivePeriodUnknownException">The period is unknown and not configured.</exception>
    public IReadOnlyCollection<int> CycleYearsOf(Programme programme)
    {
        var doc = programme.Document;
        var years = new SortedSet<int>();
        if (doc.CycleYears is { } stated)
        {
            for (var y = stated.From; y <= stated.To; y++)
            {
                years.Add(y);
            }
        }
        else
        {
            var period = PeriodOf(programme) ?? throw new EffectivePeriodUnknownException(doc.Id);
            var first = period.From?.Year ?? throw new EffectivePeriodUnknownException(doc.Id);
            var last = period.To?.Year ?? first + 50;
            for (var y = first; y <= last; y++)
            {
                years.Add(y);
            }
        }

        years.UnionWith(doc.CarryOverCycles);
        return years;
    }

    /// <summary>Returns the programme that replaces this one (names it in <c>replaces</c>), if any.</summary>
    /// <param name="programme">The programme.</param>
    /// <returns>The successor or null.</returns>
    public Programme? SuccessorOf(Programme programme) => All.FirstOrDefault(p => p.Replaces.Contains(programme.Id));

    /// <summary>Returns the version of a programme in force on a date: the programme itself, or the programme that
    /// (directly or through a chain) replaces it, e.g. <c>004-zjtx-award</c> on 2025-06-01 → <c>001-zjtx-award</c>.</summary>
    /// <param name="id">A programme id of any version.</param>
    /// <param name="on">The date.</param>
    /// <returns>The programme in force.</returns>
    /// <exception cref="UnknownProgrammeException">The id is unknown.</exception>
    /// <exception cref="NotInForceException">No version is in force on the date.</exception>
    public Programme ResolveVersion(string id, DateOnly on)
    {
        var programme = Get(id);
        var later = Chain(programme, SuccessorOf);
        var earlier = Chain(programme, p => All.FirstOrDefault(x => p.Replaces.Contains(x.Id)));
        var match = later.Concat(earlier).FirstOrDefault(p => IsInForce(p, on));
        if (match is not null)
        {
            return match;
        }

        throw new NotInForceException(programme.Id, on, PeriodOf(programme) ?? new DateRange(null, null), SuccessorOf(programme)?.Id);
    }

    /// <summary>Returns the programmes of a stacking group.</summary>
    /// <param name="group">Group name.</param>
    /// <returns>The programmes.</returns>
    public IReadOnlyList<Programme> StackingGroup(string group) => stackingGroups.GetValueOrDefault(group) ?? [];

    /// <summary>Returns the programmes whose formula caps share a cap group.</summary>
    /// <param name="group">Group name.</param>
    /// <returns>The programmes.</returns>
    public IReadOnlyList<Programme> CapGroup(string group) => capGroups.GetValueOrDefault(group) ?? [];

    /// <summary>The programme then each next one, stopping at the end or at a cycle in bad data.</summary>
    private static List<Programme> Chain(Programme start, Func<Programme, Programme?> next)
    {
        var chain = new List<Programme>();
        for (var p = start; p is not null && !chain.Contains(p); p = next(p))
        {
            chain.Add(p);
        }

        return chain;
    }

    private static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
