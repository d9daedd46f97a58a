using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Policies;

namespace Workflows.Cli;

/// <summary>JSON and text renderings of programmes, quotes and matches.</summary>
public static class Views
{
    /// <summary>Renders a programme as JSON.</summary>
    /// <param name="p">The programme.</param>
    /// <param name="catalogue">The catalogue (for the resolved period).</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Programme(Programme p, ProgrammeCatalogue catalogue)
    {
        var period = catalogue.PeriodOf(p);
        return new JsonObject
        {
            ["id"] = p.Id,
            ["titleZh"] = p.TitleZh,
            ["nameEn"] = p.NameEn,
            ["citation"] = p.Citation.ToString(),
            ["issuer"] = p.Issuer,
            ["bureau"] = p.Bureau,
            ["version"] = new JsonObject
            {
                ["document"] = p.Document.Id,
                ["number"] = p.Document.Number,
                ["titleZh"] = p.Document.TitleZh,
                ["issued"] = p.Document.Issued is { } issued ? CliContext.Iso(issued) : null,
            },
            ["effective"] = new JsonObject
            {
                ["from"] = period?.From is { } f ? CliContext.Iso(f) : null,
                ["to"] = period?.To is { } t ? CliContext.Iso(t) : null,
                ["known"] = period is not null,
            },
            ["replaces"] = new JsonArray([.. p.Replaces.Select(r => (JsonNode)r)]),
            ["applicant"] = p.Applicant.ToString(),
            ["formula"] = new JsonObject
            {
                ["kind"] = p.Formula.Kind,
                ["citation"] = p.Formula.Citation.ToString(),
                ["maxAmount"] = p.Formula.MaxAmount,
                ["monetary"] = p.Formula.IsMonetary,
                ["discretionary"] = p.Formula.IsDiscretionary,
            },
            ["disbursement"] = p.Disbursement.Mode.ToString(),
            ["facts"] = new JsonArray([.. p.Facts.Select(Fact)]),
            ["stages"] = new JsonArray([.. p.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["kind"] = s.Kind.ToString(),
                ["duration"] = s.Duration?.Value,
                ["days"] = s.Duration?.Days.ToString(),
                ["anchorFact"] = s.AnchorFact,
                ["repeatsYearly"] = s.RepeatsYearly,
                ["citation"] = s.Citation.ToString(),
            })]),
            ["interpretations"] = new JsonArray([.. p.Interpretations.Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.Id, ["citation"] = i.Citation.ToString(), ["chosen"] = i.Chosen,
            })]),
        };
    }

    /// <summary>Renders a fact definition as JSON.</summary>
    /// <param name="f">The definition.</param>
    /// <returns>The JSON node.</returns>
    public static JsonNode Fact(FactDefinition f) => new JsonObject
    {
        ["name"] = f.Name,
        ["type"] = f.Type.ToString().ToLowerInvariant(),
        ["unit"] = f.Unit,
        ["values"] = f.Values.Count == 0 ? null : new JsonArray([.. f.Values.Select(v => (JsonNode)v)]),
        ["meaning"] = f.Meaning,
        ["meaningZh"] = f.MeaningZh,
    };

    /// <summary>Renders a quote as JSON.</summary>
    /// <param name="q">The quote.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Quote(Quote q) => new()
    {
        ["programme"] = q.ProgrammeId,
        ["titleZh"] = q.Programme.TitleZh,
        ["citation"] = q.Programme.Citation.ToString(),
        ["on"] = CliContext.Iso(q.On),
        ["cycleYear"] = q.CycleYear,
        ["outcome"] = q.Outcome.ToString(),
        ["eligible"] = q.Eligible,
        ["amount"] = q.Amount,
        ["estimate"] = q.Estimate,
        ["estimateIsUpperBound"] = q.EstimateIsUpperBound,
        ["failedRules"] = new JsonArray([.. q.FailedRules.Select(r => (JsonNode)new JsonObject
        {
            ["rule"] = r.RuleId, ["message"] = r.Message, ["messageZh"] = r.MessageZh, ["citation"] = r.Citation.ToString(),
        })]),
        ["missingFacts"] = new JsonArray([.. q.MissingFacts.Select(Fact)]),
        ["steps"] = new JsonArray([.. q.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["zh"] = s.TextZh, ["en"] = s.TextEn, ["citation"] = s.Citation.ToString(), ["amount"] = s.Amount,
        })]),
        ["instalments"] = new JsonArray([.. q.Instalments.Select(i => (JsonNode)new JsonObject
        {
            ["year"] = i.YearIndex, ["cycleYear"] = i.CycleYear, ["amount"] = i.Amount,
        })]),
        ["disbursement"] = q.Disbursement.ToString(),
        ["deadlines"] = new JsonArray([.. q.Deadlines.Select(Deadline)]),
    };

    /// <summary>Renders a deadline as JSON.</summary>
    /// <param name="d">The deadline.</param>
    /// <returns>The JSON node.</returns>
    public static JsonNode Deadline(Deadline d) => new JsonObject
    {
        ["stage"] = d.Stage.ToString(),
        ["date"] = d.Date is { } date ? CliContext.Iso(date) : null,
        ["description"] = d.Description,
        ["citation"] = d.Citation.ToString(),
    };

    /// <summary>Renders a quote as text.</summary>
    /// <param name="q">The quote.</param>
    /// <returns>The text.</returns>
    public static string QuoteText(Quote q)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{q.ProgrammeId}  {q.Programme.TitleZh}  ({q.Programme.Citation})");
        sb.AppendLine(CultureInfo.InvariantCulture, $"on {CliContext.Iso(q.On)}, cycle {q.CycleYear}: {q.Outcome}");
        foreach (var step in q.Steps)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  - {step.TextZh} / {step.TextEn}  [{step.Citation}]");
        }

        foreach (var r in q.FailedRules)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  ✗ {r.RuleId}: {r.MessageZh ?? r.Message} / {r.Message}  [{r.Citation}]");
        }

        if (q.Amount is { } amount)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"amount: {Money.Format(amount)} ({q.Disbursement})");
            if (q.Instalments.Count > 1)
            {
                foreach (var i in q.Instalments)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  year {i.YearIndex} ({i.CycleYear}): {Money.Format(i.Amount)}");
                }
            }
        }

        foreach (var d in q.Deadlines)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"deadline {d.Stage}: {(d.Date is { } date ? CliContext.Iso(date) : "not computable yet")} — {d.Description} [{d.Citation}]");
        }

        return sb.ToString().TrimEnd();
    }
}
