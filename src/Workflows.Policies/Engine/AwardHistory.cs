using System.Globalization;
using System.Text.Json;

namespace Workflows.Policies;

/// <summary>An earlier award paid (or approved) to the applicant.</summary>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The cycle year of the award.</param>
/// <param name="Amount">Amount paid in yuan.</param>
/// <param name="Date">Date of the award.</param>
/// <param name="Tier">The tier paid, for tiered programmes.</param>
/// <param name="ProjectKey">The project identity, for project-scoped caps and stacking.</param>
public sealed record AwardRecord(string ProgrammeId, int CycleYear, decimal Amount, DateOnly Date, string? Tier = null, string? ProjectKey = null);

/// <summary>An applicant's earlier awards. Immutable.</summary>
/// <param name="Awards">The awards.</param>
public sealed record AwardHistory(IReadOnlyList<AwardRecord> Awards)
{
    /// <summary>Gets an empty history.</summary>
    public static AwardHistory Empty { get; } = new([]);

    /// <summary>Parses a history JSON array (docs/catalogue-format.md §14).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="catalogue">When given, every programme id must exist in it.</param>
    /// <returns>The history.</returns>
    /// <exception cref="AwardHistoryException">The text is not a valid history; the message names entry and key.</exception>
    public static AwardHistory FromJson(string json, ProgrammeCatalogue? catalogue = null)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AwardHistoryException($"history: not valid JSON: {e.Message}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new AwardHistoryException("history: must be a JSON array of awards");
            }

            var list = new List<AwardRecord>();
            var index = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                list.Add(ParseEntry(e, index, catalogue));
                index++;
            }

            return new AwardHistory(list);
        }
    }

    private static AwardRecord ParseEntry(JsonElement e, int index, ProgrammeCatalogue? catalogue)
    {
        string Where(string key) => $"history[{index}].{key}";
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new AwardHistoryException($"history[{index}]: must be an object");
        }

        string[] known = ["programmeId", "cycleYear", "amount", "date", "tier", "projectKey"];
        foreach (var p in e.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                throw new AwardHistoryException($"{Where(p.Name)}: unknown key (allowed: {string.Join(", ", known)})");
            }
        }

        JsonElement Req(string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
            ? v : throw new AwardHistoryException($"{Where(key)}: required");
        string? Opt(string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : throw new AwardHistoryException($"{Where(key)}: must be a string"))
            : null;

        var id = Req("programmeId") is { ValueKind: JsonValueKind.String } s ? s.GetString()! : throw new AwardHistoryException($"{Where("programmeId")}: must be a string");
        if (catalogue is not null && !catalogue.TryGet(id, out _))
        {
            throw new AwardHistoryException($"{Where("programmeId")}: unknown programme '{id}'");
        }

        var year = Req("cycleYear") is { ValueKind: JsonValueKind.Number } y && y.TryGetInt32(out var yy) ? yy : throw new AwardHistoryException($"{Where("cycleYear")}: must be a whole number");
        var amount = Req("amount") is { ValueKind: JsonValueKind.Number } a && a.TryGetDecimal(out var aa) && aa >= 0 ? aa : throw new AwardHistoryException($"{Where("amount")}: must be a number ≥ 0 (yuan)");
        var dateText = Req("date") is { ValueKind: JsonValueKind.String } d ? d.GetString()! : throw new AwardHistoryException($"{Where("date")}: must be a date string YYYY-MM-DD");
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new AwardHistoryException($"{Where("date")}: '{dateText}' is not a date YYYY-MM-DD");
        }

        return new AwardRecord(id, year, amount, date, Opt("tier"), Opt("projectKey"));
    }
}
