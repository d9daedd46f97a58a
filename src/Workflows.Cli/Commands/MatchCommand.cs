using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Policies;

namespace Workflows.Cli.Commands;

/// <summary><c>workflows match --facts FILE --on DATE [--history FILE] [--json]</c>: the policy calculator.</summary>
public static class MatchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Shared services.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var facts = new Option<string>("--facts") { Description = "Facts JSON file: one object, fact name → value (give what you know).", Required = true };
        var on = new Option<string>("--on") { Description = "Date (YYYY-MM-DD).", Required = true };
        var history = new Option<string>("--history") { Description = "Award history JSON file." };
        var json = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var command = new Command("match", "List every programme in force that a profile may qualify for, with the estimate, the facts still unknown and the deadlines.")
        {
            facts, on, history, json,
        };
        command.SetAction(parse => CliContext.Guard(parse, () =>
        {
            var engine = context.Engine(parse);
            var date = CliContext.ParseDate(parse.GetValue(on)!, "--on");
            var profile = FactProfile.FromJson(CliContext.ReadFile(parse.GetValue(facts)!, "--facts"));
            var awards = parse.GetValue(history) is { } h ? AwardHistory.FromJson(CliContext.ReadFile(h, "--history"), engine.Catalogue) : null;
            var matches = new Matcher(engine).Match(profile, date, awards);
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(parse, new JsonArray([.. matches.Select(m => (JsonNode)new JsonObject
                {
                    ["programme"] = m.Programme.Id,
                    ["titleZh"] = m.Programme.TitleZh,
                    ["nameEn"] = m.Programme.NameEn,
                    ["citation"] = m.Programme.Citation.ToString(),
                    ["outcome"] = m.Outcome.ToString(),
                    ["estimate"] = m.Estimate,
                    ["estimateIsUpperBound"] = m.EstimateIsUpperBound,
                    ["missingFacts"] = new JsonArray([.. m.MissingFacts.Select(Views.Fact)]),
                    ["deadlines"] = new JsonArray([.. m.Deadlines.Select(Views.Deadline)]),
                })]));
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            foreach (var m in matches)
            {
                var estimate = m.Estimate is { } e ? (m.EstimateIsUpperBound ? "up to " : string.Empty) + Money.Format(e) : m.Programme.Formula.IsMonetary ? "amount unknown" : "non-monetary";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Outcome,-10} {m.Programme.Id}  {m.Programme.TitleZh}  {estimate}  [{m.Programme.Citation}]"));
                if (m.MissingFacts.Count > 0)
                {
                    output.WriteLine($"           still unknown: {string.Join(", ", m.MissingFacts.Select(f => f.Name))}");
                }

                foreach (var d in m.Deadlines)
                {
                    output.WriteLine($"           deadline {d.Stage}: {(d.Date is { } dd ? CliContext.Iso(dd) : "not computable yet")} — {d.Description}");
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{matches.Count} programmes may apply on {CliContext.Iso(date)}"));
            return 0;
        }));
        return command;
    }
}
