using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Commands;

/// <summary><c>workflows programmes [--on DATE] [--json]</c>: the catalogue.</summary>
public static class ProgrammesCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Shared services.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var on = new Option<string>("--on") { Description = "Only programmes in force on this date (YYYY-MM-DD)." };
        var json = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var command = new Command("programmes", "List every catalogued programme: id, titles, citation, version, effective period, formula kind, required facts.") { on, json };
        command.SetAction(parse => CliContext.Guard(parse, () =>
        {
            var catalogue = context.Catalogue(parse);
            var date = parse.GetValue(on) is { } text ? CliContext.ParseDate(text, "--on") : (DateOnly?)null;
            var list = date is { } d ? catalogue.InForce(d) : catalogue.All;
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(parse, new JsonArray([.. list.Select(p => (JsonNode)Views.Programme(p, catalogue))]));
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            foreach (var p in list)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Id}  {p.TitleZh} / {p.NameEn}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {p.Citation} · version {p.Document.Id} {p.Document.Number} · in force {CliContext.Period(catalogue.PeriodOf(p))} · {p.Formula.Kind}{(p.Formula.MaxAmount is { } max ? $" (max {Workflows.Policies.Money.Format(max)})" : string.Empty)}"));
                output.WriteLine($"    facts: {string.Join(", ", p.Facts.Select(f => f.Unit is null ? $"{f.Name}:{f.Type.ToString().ToLowerInvariant()}" : $"{f.Name}:{f.Type.ToString().ToLowerInvariant()}({f.Unit})"))}");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{list.Count} programmes"));
            return 0;
        }));
        return command;
    }
}
