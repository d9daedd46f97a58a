using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workflows.Policies;

/// <summary>Parses catalogue YAML files (docs/catalogue-format.md) strictly and cross-checks them.</summary>
internal static partial class CatalogueLoader
{
    private static readonly Dictionary<string, ConditionOp> Ops = new(StringComparer.Ordinal)
    {
        ["eq"] = ConditionOp.Eq, ["ne"] = ConditionOp.Ne, ["gt"] = ConditionOp.Gt, ["ge"] = ConditionOp.Ge,
        ["lt"] = ConditionOp.Lt, ["le"] = ConditionOp.Le, ["in"] = ConditionOp.In, ["not-in"] = ConditionOp.NotIn,
        ["is-true"] = ConditionOp.IsTrue, ["is-false"] = ConditionOp.IsFalse, ["present"] = ConditionOp.Present,
    };

    private static readonly Dictionary<string, FactType> FactTypes = new(StringComparer.Ordinal)
    {
        ["decimal"] = FactType.Decimal, ["integer"] = FactType.Integer, ["bool"] = FactType.Bool,
        ["date"] = FactType.Date, ["enum"] = FactType.Enum, ["string"] = FactType.String,
    };

    private static readonly Dictionary<string, ApplicantKind> Applicants = new(StringComparer.Ordinal)
    {
        ["enterprise"] = ApplicantKind.Enterprise, ["individual"] = ApplicantKind.Individual, ["organisation"] = ApplicantKind.Organisation,
    };

    private static readonly Dictionary<string, DisbursementMode> Modes = new(StringComparer.Ordinal)
    {
        ["on-application"] = DisbursementMode.OnApplication, ["automatic"] = DisbursementMode.Automatic,
        ["next-year-batch"] = DisbursementMode.NextYearBatch, ["instalments"] = DisbursementMode.Instalments,
    };

    private static readonly Dictionary<string, StackingKind> StackingKinds = new(StringComparer.Ordinal)
    {
        ["exclusive"] = StackingKind.Exclusive, ["higher-only"] = StackingKind.HigherOnly, ["combinable"] = StackingKind.Combinable,
    };

    private static readonly Dictionary<string, StackingScope> Scopes = new(StringComparer.Ordinal)
    {
        ["cycle"] = StackingScope.Cycle, ["project"] = StackingScope.Project, ["ever"] = StackingScope.Ever,
    };

    private static readonly Dictionary<string, StageKind> StageKinds = new(StringComparer.Ordinal)
    {
        ["application"] = StageKind.Application, ["preliminary"] = StageKind.Preliminary, ["supplement"] = StageKind.Supplement,
        ["expert-review"] = StageKind.Expert, ["financial-review"] = StageKind.Financial,
        ["government-approval"] = StageKind.GovernmentApproval, ["public-notice"] = StageKind.PublicNotice,
        ["disbursement"] = StageKind.Disbursement, ["annual-assessment"] = StageKind.AnnualAssessment, ["claim-window"] = StageKind.ClaimWindow,
    };

    private static readonly Dictionary<string, DayKind> DayKinds = new(StringComparer.Ordinal)
    {
        ["natural"] = DayKind.Natural, ["working"] = DayKind.Working,
    };

    private static readonly Dictionary<string, bool> Repeats = new(StringComparer.Ordinal) { ["yearly"] = true };

    [GeneratedRegex("^[0-9]{3}-[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ProgrammeIdPattern();

    /// <summary>Result of loading: documents, programmes, fact definitions.</summary>
    public sealed record Loaded(IReadOnlyList<PolicyDocument> Documents, IReadOnlyList<Programme> Programmes, IReadOnlyDictionary<string, FactDefinition> Facts);

    public static Loaded Load(IEnumerable<CatalogueSource> sources)
    {
        var documents = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal);
        var pending = new List<(CatalogueSource Source, YamlMappingNode Root, LoadContext Context)>();
        var facts = new Dictionary<string, (FactDefinition Def, string File)>(StringComparer.Ordinal);

        // Pass 1: documents and facts of every file (a file may reference a document defined in another).
        foreach (var source in sources.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var context = new LoadContext(source.Name);
            var root = Parse(source);
            var reader = new NodeReader(root, context, string.Empty);
            var docReader = reader.Map("document");
            if (docReader.Has("ref"))
            {
                docReader.String("ref");
                docReader.Done();
            }
            else
            {
                var doc = ReadDocument(docReader);
                if (documents.TryGetValue(doc.Id, out var existing))
                {
                    throw docReader.Error("document.id", $"document '{doc.Id}' is already defined in {existing.SourceFile}");
                }

                documents[doc.Id] = doc;
            }

            if (reader.OptMap("facts") is { } factsReader)
            {
                foreach (var name in factsReader.Keys.ToList())
                {
                    var def = ReadFact(name, factsReader.Map(name));
                    if (facts.TryGetValue(name, out var other) && (other.Def.Type != def.Type || other.Def.Unit != def.Unit))
                    {
                        throw factsReader.Error(factsReader.Field(name),
                            $"fact '{name}' is defined in {other.File} as {other.Def.Type} ({other.Def.Unit}); a fact name must mean the same everywhere");
                    }

                    if (!facts.ContainsKey(name))
                    {
                        facts[name] = (def, source.Name);
                    }
                }

                factsReader.Done();
            }

            pending.Add((source, root, context));
        }

        // Pass 2: programmes.
        var programmes = new Dictionary<string, Programme>(StringComparer.Ordinal);
        var allRefs = new List<(string Fact, FactType[]? Types, string Path, string? Programme, string File)>();
        var conditions = new List<(Condition Condition, string Path, string? Programme, string File)>();
        foreach (var (source, root, context) in pending)
        {
            var reader = new NodeReader(root, context, string.Empty);
            var docReader = reader.Map("document");
            var docId = docReader.OptString("ref") ?? docReader.String("id");
            context.Document = documents.TryGetValue(docId, out var d) ? d : throw docReader.Error("document.ref", $"no file defines document '{docId}'");
            reader.OptMap("facts");
            var list = reader.List("programmes", r =>
            {
                var programme = ReadProgramme(r, context.Document);
                context.ProgrammeId = null;
                return programme;
            }, required: true);
            reader.Done();
            foreach (var p in list)
            {
                if (programmes.TryGetValue(p.Id, out var existing))
                {
                    throw new CatalogueException(source.Name, p.Id, "id", $"programme id is already used in {existing.SourceFile}");
                }

                programmes[p.Id] = p;
            }

            allRefs.AddRange(context.FactRefs.Select(r => (r.Fact, r.Types, r.Path, r.Programme, source.Name)));
            conditions.AddRange(context.Conditions.Select(c => (c.Condition, c.Path, c.Programme, source.Name)));
        }

        var factDefs = facts.ToDictionary(kv => kv.Key, kv => kv.Value.Def, StringComparer.Ordinal);
        Validate(documents, programmes, factDefs, allRefs, conditions);
        return new Loaded(documents.Values.OrderBy(x => x.Id, StringComparer.Ordinal).ToList(), programmes.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList(), factDefs);
    }

    private static YamlMappingNode Parse(CatalogueSource source)
    {
        var stream = new YamlStream();
        try
        {
            using var text = new StringReader(source.Yaml);
            stream.Load(text);
        }
        catch (YamlException e)
        {
            throw new CatalogueException(source.Name, null, $"(line {e.Start.Line})", $"not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CatalogueException(source.Name, null, "(root)", "expected one YAML document with keys document, facts, programmes");
        }

        return root;
    }

    private static PolicyDocument ReadDocument(NodeReader r)
    {
        var id = r.String("id");
        var seed = r.String("seed");
        var citeTitle = r.Bool("citeTitle", false);
        var titleZh = r.String("titleZh");

        // A provisional document lets clause readers build citations while the rest is read.
        var provisional = new PolicyDocument
        {
            Id = id, Seed = seed, TitleZh = titleZh, NameEn = "-", Issuer = "-", CiteTitle = citeTitle,
            PeriodCitation = new Citation(seed.Length >= 3 ? seed[..3] : seed, "-"), SourceFile = r.Context.File,
        };
        r.Context.Document = provisional;
        var effective = r.Map("effective");
        DateRange? period = null;
        if (effective.Bool("unknown", false))
        {
            effective.OptString("note");
        }
        else
        {
            var from = effective.Date("from");
            var to = effective.OptDate("to");
            if (to < from)
            {
                throw effective.Error(effective.Field("to"), "is before 'from'");
            }

            period = new DateRange(from, to);
        }

        var periodCitation = effective.Clause();
        effective.Done();
        (int, int)? cycleYears = null;
        if (r.OptMap("cycleYears") is { } cy)
        {
            cycleYears = (cy.Int("from"), cy.Int("to"));
            cy.Done();
        }

        var generalRules = r.List("generalRules", ReadRule);
        EnsureUniqueIds(r, "generalRules", generalRules.Select(x => x.Id));
        var document = new PolicyDocument
        {
            Id = id,
            Seed = seed,
            TitleZh = titleZh,
            NameEn = r.String("nameEn"),
            Number = r.OptString("number"),
            Issuer = r.String("issuer"),
            Issued = r.OptDate("issued"),
            StatedPeriod = period,
            PeriodCitation = periodCitation,
            Replaces = r.List("replaces", x => new DocumentReplacement(x.String("document"), x.Date("from"), x.Clause())),
            CarryOverCycles = r.Ints("carryOverCycles"),
            CycleYears = cycleYears,
            GeneralRules = generalRules,
            CiteTitle = citeTitle,
            Notes = r.OptString("notes"),
            SourceFile = r.Context.File,
        };
        r.Done();
        r.Context.Document = null;
        return document;
    }

    private static FactDefinition ReadFact(string name, NodeReader r)
    {
        var type = r.Enum("type", FactTypes);
        var unit = r.OptString("unit");
        if (type is FactType.Decimal or FactType.Integer && unit is null)
        {
            throw r.Error(r.Field("unit"), "required for a number (元, ratio, 人, 平方米 …)");
        }

        var values = r.Strings("values");
        if (type == FactType.Enum && values.Count == 0)
        {
            throw r.Error(r.Field("values"), "required for an enum fact");
        }

        var def = new FactDefinition(name, type, unit, values, r.OptDecimal("min"), r.OptDecimal("max"), r.String("meaning"), r.OptString("meaningZh"));
        r.Done();
        return def;
    }

    private static void EnsureUniqueIds(NodeReader r, string key, IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                throw r.Error(r.Field(key), $"duplicate id '{id}'");
            }
        }
    }

    internal static EligibilityRule ReadRule(NodeReader r)
    {
        var id = r.String("id");
        var citation = r.Clause();
        var message = r.String("message");
        var messageZh = r.OptString("messageZh");
        var when = r.OptMap("when") is { } w ? ReadConditionDone(w) : null;
        var test = ReadCondition(r);
        return new EligibilityRule(id, citation, message, messageZh, test, when);
    }

    private static Condition ReadConditionDone(NodeReader r)
    {
        var c = ReadCondition(r);
        r.Done();
        return c;
    }

    /// <summary>Reads the condition keys of a mapping (fact/op/value… or anyOf/allOf); the caller calls Done.</summary>
    internal static Condition ReadCondition(NodeReader r)
    {
        Condition result;
        if (r.Has("anyOf"))
        {
            result = new AnyOfCondition(r.List("anyOf", ReadCondition, required: true));
        }
        else if (r.Has("allOf"))
        {
            result = new AllOfCondition(r.List("allOf", ReadCondition, required: true));
        }
        else
        {
            var fact = r.Fact("fact");
            var op = r.Enum("op", Ops);
            var value = r.OptString("value");
            var valueFact = r.OptFact("valueFact");
            var values = r.Strings("values");
            var given = (value is null ? 0 : 1) + (valueFact is null ? 0 : 1) + (values.Count == 0 ? 0 : 1);
            var needs = op switch
            {
                ConditionOp.In or ConditionOp.NotIn => "values",
                ConditionOp.IsTrue or ConditionOp.IsFalse or ConditionOp.Present => null,
                _ => "value",
            };
            if (needs is null && given != 0)
            {
                throw r.Error(r.Field("op"), $"'{op}' takes no value");
            }

            if (needs == "values" && (values.Count == 0 || given != 1))
            {
                throw r.Error(r.Field("values"), $"'{op}' needs a non-empty list 'values' and nothing else");
            }

            if (needs == "value" && (given != 1 || values.Count != 0))
            {
                throw r.Error(r.Field("value"), $"'{op}' needs exactly one of 'value' or 'valueFact'");
            }

            result = new FactCondition(fact, op, value, valueFact, values);
        }

        r.Context.Conditions.Add((result, r.Path, r.Context.ProgrammeId));
        return result;
    }

    private static Programme ReadProgramme(NodeReader item, PolicyDocument document)
    {
        var r = item.Rebase(string.Empty);
        var id = r.String("id");
        r.Context.ProgrammeId = id;
        if (!ProgrammeIdPattern().IsMatch(id))
        {
            throw r.Error("id", "must look like 001-rd-growth: the seed number, then lowercase words joined by '-'");
        }

        if (!id.StartsWith(document.SeedNumber, StringComparison.Ordinal))
        {
            throw r.Error("id", $"must start with the seed number {document.SeedNumber}");
        }

        DateRange? own = null;
        if (r.OptMap("effective") is { } e)
        {
            own = new DateRange(e.OptDate("from"), e.OptDate("to"));
            e.Done();
        }

        var rules = r.List("rules", ReadRule);
        EnsureUniqueIds(r, "rules", rules.Select(x => x.Id).Concat(document.GeneralRules.Select(g => g.Id)));
        var skip = r.Strings("skipGeneralRules");
        foreach (var s in skip.Where(s => document.GeneralRules.All(g => g.Id != s)))
        {
            throw r.Error("skipGeneralRules", $"'{s}' is not a general rule of document {document.Id}");
        }

        var formula = ReadFormula(r.Map("formula"));
        formula.ProgrammeId = id;
        var disbursement = ReadDisbursement(r.Map("disbursement"));
        if ((disbursement.Mode == DisbursementMode.Instalments) != (formula.Kind == "instalments"))
        {
            throw r.Error("disbursement.mode", "mode 'instalments' goes with formula kind 'instalments' (and only with it)");
        }

        var programme = new Programme
        {
            Id = id,
            TitleZh = r.String("titleZh"),
            NameEn = r.String("nameEn"),
            Bureau = r.String("bureau"),
            Issuer = r.OptString("issuer") ?? document.Issuer,
            Citation = r.Clause(),
            Document = document,
            Applicant = r.Enum("applicant", Applicants),
            OwnPeriod = own,
            Replaces = r.Strings("replaces"),
            Rules = rules,
            SkipGeneralRules = skip,
            Formula = formula,
            Stacking = r.List("stacking", s => new StackingRule(s.String("group"), s.Enum("rule", StackingKinds), s.Enum("scope", Scopes), s.Clause(), s.OptString("note"))),
            Disbursement = disbursement,
            Stages = r.List("stages", ReadStage),
            Interpretations = r.List("interpretations", i => new Interpretation(i.String("id"), i.Clause(), i.String("chosen"), i.Strings("alternatives"), i.OptString("note"))),
            Notes = r.OptString("notes"),
            SourceFile = r.Context.File,
        };
        r.Done();
        return programme;
    }

    internal static Formula ReadFormula(NodeReader r)
    {
        var kindName = r.String("kind");
        if (!FormulaKinds.All.TryGetValue(kindName, out var kind))
        {
            throw r.Error(r.Field("kind"), $"unknown formula kind '{kindName}' (known: {string.Join(", ", FormulaKinds.All.Keys.Order(StringComparer.Ordinal))})");
        }

        var citation = r.Clause();
        Caps? caps = null;
        var capCitation = r.OptClause("capClause") ?? citation;
        var capGroup = r.OptString("capGroup");
        if (r.OptMap("caps") is { } c)
        {
            caps = new Caps(c.OptParameter("perProject", capCitation, 0), c.OptParameter("perYear", capCitation, 0), c.OptParameter("total", capCitation, 0), capCitation, capGroup);
            c.Done();
            if (caps.PerProject is null && caps.PerYear is null && caps.Total is null)
            {
                throw r.Error(r.Field("caps"), "give at least one of perProject, perYear, total");
            }
        }
        else if (capGroup is not null)
        {
            throw r.Error(r.Field("capGroup"), "only meaningful with caps");
        }

        var formula = kind.Parse(r, new FormulaCommon(kindName, citation, caps));
        r.Done();
        return formula;
    }

    private static Disbursement ReadDisbursement(NodeReader r)
    {
        var d = new Disbursement(
            r.Enum("mode", Modes),
            r.Clause(),
            r.List("cases", c => new DisbursementCase(ReadConditionDone(c.Map("when")), c.Enum("mode", Modes), c.Clause())));
        r.Done();
        return d;
    }

    private static Stage ReadStage(NodeReader r)
    {
        StageDuration? duration = null;
        if (r.OptMap("duration") is { } d)
        {
            var value = d.Int("value");
            if (value <= 0)
            {
                throw d.Error(d.Field("value"), "must be > 0");
            }

            duration = new StageDuration(value, d.Enum("days", DayKinds));
            d.Done();
        }

        var kind = r.Enum("kind", StageKinds);
        var anchor = r.OptFact("anchorFact", FactType.Date);
        if (anchor is not null && duration is null)
        {
            throw r.Error(r.Field("anchorFact"), "needs a duration");
        }

        return new Stage(kind, duration, r.Clause(), anchor, r.OptEnum("repeat", Repeats) ?? false, r.OptString("noteZh"), r.OptString("note"));
    }

    private static void Validate(
        Dictionary<string, PolicyDocument> documents,
        Dictionary<string, Programme> programmes,
        Dictionary<string, FactDefinition> facts,
        List<(string Fact, FactType[]? Types, string Path, string? Programme, string File)> refs,
        List<(Condition Condition, string Path, string? Programme, string File)> conditions)
    {
        foreach (var doc in documents.Values)
        {
            foreach (var rep in doc.Replaces.Where(rep => !documents.ContainsKey(rep.DocumentId)))
            {
                throw new CatalogueException(doc.SourceFile, null, "document.replaces", $"no document '{rep.DocumentId}' in the catalogue");
            }
        }

        foreach (var (fact, types, path, programme, file) in refs)
        {
            if (!facts.TryGetValue(fact, out var def))
            {
                throw new CatalogueException(file, programme, path, $"fact '{fact}' is not defined under 'facts:' in any catalogue file");
            }

            if (types is not null && !types.Contains(def.Type))
            {
                throw new CatalogueException(file, programme, path, $"fact '{fact}' is {def.Type}; expected {string.Join(" or ", types)}");
            }
        }

        foreach (var (condition, path, programme, file) in conditions)
        {
            foreach (var f in Flatten(condition))
            {
                var def = facts.GetValueOrDefault(f.Fact);
                if (def is null)
                {
                    continue;
                }

                var problem = CheckCondition(f, def, facts);
                if (problem is not null)
                {
                    throw new CatalogueException(file, programme, path, problem);
                }
            }
        }

        foreach (var p in programmes.Values)
        {
            foreach (var r in p.Replaces.Where(r => !programmes.ContainsKey(r)))
            {
                throw new CatalogueException(p.SourceFile, p.Id, "replaces", $"no programme '{r}' in the catalogue");
            }

            if (p.Formula is IReferencesProgrammes refsProgrammes)
            {
                foreach (var r in refsProgrammes.ProgrammeIds.Where(r => !programmes.ContainsKey(r)))
                {
                    throw new CatalogueException(p.SourceFile, p.Id, "formula", $"no programme '{r}' in the catalogue");
                }
            }

            if (p.Formula is IValidatesAgainstFacts v && v.Check(facts) is { } problem)
            {
                throw new CatalogueException(p.SourceFile, p.Id, "formula", problem);
            }

            var names = p.AllRules.SelectMany(x => x.Test.FactNames.Concat(x.When?.FactNames ?? []))
                .Concat(p.Formula.RequiredFacts).Concat(p.Formula.OptionalFacts)
                .Concat(p.Stages.Where(s => s.AnchorFact is not null).Select(s => s.AnchorFact!))
                .Concat(p.Disbursement.Cases.SelectMany(c => c.When.FactNames))
                .Distinct(StringComparer.Ordinal)
                .Select(n => facts.TryGetValue(n, out var def) ? def : throw new CatalogueException(p.SourceFile, p.Id, "facts", $"fact '{n}' is not defined"))
                .ToList();
            p.Facts = names;
        }
    }

    private static IEnumerable<FactCondition> Flatten(Condition c) => c switch
    {
        FactCondition f => [f],
        AnyOfCondition a => a.Items.SelectMany(Flatten),
        AllOfCondition a => a.Items.SelectMany(Flatten),
        _ => [],
    };

    private static string? CheckCondition(FactCondition f, FactDefinition def, Dictionary<string, FactDefinition> facts)
    {
        switch (f.Op)
        {
            case ConditionOp.IsTrue or ConditionOp.IsFalse when def.Type != FactType.Bool:
                return $"'{f.Op}' needs a bool fact; '{f.Fact}' is {def.Type}";
            case ConditionOp.In or ConditionOp.NotIn when def.Type is not (FactType.Enum or FactType.String):
                return $"'{f.Op}' needs an enum or string fact; '{f.Fact}' is {def.Type}";
            case ConditionOp.In or ConditionOp.NotIn when def.Type == FactType.Enum:
                var bad = f.Values.FirstOrDefault(v => !def.Values.Contains(v, StringComparer.Ordinal));
                return bad is null ? null : $"'{bad}' is not a value of enum fact '{f.Fact}' ({string.Join(", ", def.Values)})";
            case ConditionOp.Gt or ConditionOp.Ge or ConditionOp.Lt or ConditionOp.Le when def.Type is not (FactType.Decimal or FactType.Integer or FactType.Date):
                return $"'{f.Op}' needs a number or date fact; '{f.Fact}' is {def.Type}";
        }

        if (f.ValueFact is { } other && facts.TryGetValue(other, out var otherDef) &&
            !(otherDef.Type == def.Type || (otherDef.Type is FactType.Decimal or FactType.Integer && def.Type is FactType.Decimal or FactType.Integer)))
        {
            return $"cannot compare '{f.Fact}' ({def.Type}) with '{other}' ({otherDef.Type})";
        }

        if (f.Value is { } literal)
        {
            var ok = def.Type switch
            {
                FactType.Decimal or FactType.Integer => decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                FactType.Bool => literal is "true" or "false",
                FactType.Date => DateOnly.TryParseExact(literal, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                FactType.Enum => def.Values.Contains(literal, StringComparer.Ordinal),
                _ => true,
            };
            if (!ok)
            {
                return $"value '{literal}' does not fit fact '{f.Fact}' ({def.Describe()})";
            }
        }

        return null;
    }
}

/// <summary>A formula that names other programmes (credit lists); the loader checks they exist.</summary>
internal interface IReferencesProgrammes
{
    IEnumerable<string> ProgrammeIds { get; }
}

/// <summary>A formula with checks that need the fact definitions (enum tiers); returns a problem or null.</summary>
internal interface IValidatesAgainstFacts
{
    string? Check(IReadOnlyDictionary<string, FactDefinition> facts);
}
