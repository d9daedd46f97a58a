using System.CommandLine;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Commands;

/// <summary><c>workflows workdays add|between</c>: PRC working days.</summary>
public static class WorkdaysCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Shared services.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var command = new Command("workdays", "PRC working days (statutory holidays and adjusted workdays 调休; years without a published schedule are an error).");

        var from = new Option<string>("--from") { Description = "Start date (YYYY-MM-DD), not counted.", Required = true };
        var days = new Option<int>("--days") { Description = "Working days to add (≥ 0).", Required = true };
        var json = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var add = new Command("add", "The date N working days after --from (not counting --from).") { from, days, json };
        add.SetAction(parse => CliContext.Guard(parse, () =>
        {
            var start = CliContext.ParseDate(parse.GetValue(from)!, "--from");
            var n = parse.GetValue(days);
            if (n < 0)
            {
                throw new CliInputException($"--days: {n} is negative");
            }

            var result = context.Calendar.AddWorkingDays(start, n);
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(parse, new JsonObject { ["from"] = CliContext.Iso(start), ["days"] = n, ["date"] = CliContext.Iso(result) });
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(CliContext.Iso(result));
            }

            return 0;
        }));

        var from2 = new Option<string>("--from") { Description = "Start date (YYYY-MM-DD), not counted.", Required = true };
        var to = new Option<string>("--to") { Description = "End date (YYYY-MM-DD), counted.", Required = true };
        var json2 = new Option<bool>("--json") { Description = "One JSON document on standard output." };
        var between = new Command("between", "Working days d with FROM < d ≤ TO.") { from2, to, json2 };
        between.SetAction(parse => CliContext.Guard(parse, () =>
        {
            var start = CliContext.ParseDate(parse.GetValue(from2)!, "--from");
            var end = CliContext.ParseDate(parse.GetValue(to)!, "--to");
            if (end < start)
            {
                throw new CliInputException($"--to ({CliContext.Iso(end)}) is before --from ({CliContext.Iso(start)})");
            }

            var count = context.Calendar.WorkingDaysBetween(start, end);
            if (parse.GetValue(json2))
            {
                CliContext.WriteJson(parse, new JsonObject { ["from"] = CliContext.Iso(start), ["to"] = CliContext.Iso(end), ["workingDays"] = count });
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(count);
            }

            return 0;
        }));

        command.Subcommands.Add(add);
        command.Subcommands.Add(between);
        return command;
    }
}
