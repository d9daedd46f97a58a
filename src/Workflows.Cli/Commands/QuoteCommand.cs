using System.CommandLine;
using Workflows.Policies;

namespace Workflows.Cli.Commands;

/// <summary><c>workflows quote --programme ID --on DATE --facts FILE [--history FILE] [--cycle YEAR] [--json]</c>.</summary>
public static class QuoteCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Shared services.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var programme = new Option<string>("--programme") { Description = "Programme id (see `workflows programmes`).", Required = true };
        var on = new Option<string>("--on") { Description = "Date the application is judged (YYYY-MM-DD).", Required = true };
        var facts = new Option<string>("--facts") { Description = "Facts JSON file: one object, fact name → value.", Required = true };
        var history = new Option<string>("--history") { Description = "Award history JSON file: an array of earlier awards." };
        var cycle = new Option<int?>("--cycle") { Description = "Cycle (award) year; default the year of --on." };
        var json = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var command = new Command("quote", "Eligibility, amount and the step-by-step explanation of one programme for one applicant.")
        {
            programme, on, facts, history, cycle, json,
        };
        command.SetAction(parse => CliContext.Guard(parse, () =>
        {
            var engine = context.Engine(parse);
            var date = CliContext.ParseDate(parse.GetValue(on)!, "--on");
            var profile = FactProfile.FromJson(CliContext.ReadFile(parse.GetValue(facts)!, "--facts"));
            var awards = parse.GetValue(history) is { } h ? AwardHistory.FromJson(CliContext.ReadFile(h, "--history"), engine.Catalogue) : null;
            var quote = engine.Quote(new QuoteRequest(parse.GetValue(programme)!, date, profile, awards, parse.GetValue(cycle)));
            if (quote.Outcome == QuoteOutcome.Incomplete)
            {
                throw new CliInputException(
                    $"missing facts for {quote.ProgrammeId}: " +
                    string.Join("; ", quote.MissingFacts.Select(f => $"{f.Name} ({f.Describe()}: {f.Meaning})")));
            }

            if (parse.GetValue(json))
            {
                CliContext.WriteJson(parse, Views.Quote(quote));
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(Views.QuoteText(quote));
            }

            return 0;
        }));
        return command;
    }
}
