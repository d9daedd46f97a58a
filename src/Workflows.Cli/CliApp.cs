using System.CommandLine;
using Workflows.Cli.Commands;

namespace Workflows.Cli;

/// <summary>The <c>workflows</c> command line: builds the command tree and runs it with given writers (tests run it in-process).</summary>
public static class CliApp
{
    /// <summary>Gets the command factories. One line per command: add a factory here to add a command.</summary>
    private static readonly Func<CliContext, Command>[] Commands =
    [
        ProgrammesCommand.Create,
        QuoteCommand.Create,
        MatchCommand.Create,
        WorkdaysCommand.Create,
        RecordsCommand.Create,
        _ => TokenCommand.Create(),
    ];

    /// <summary>Builds the root command.</summary>
    /// <param name="context">Shared services (catalogue, calendar).</param>
    /// <returns>The root command.</returns>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "workflows — Beijing district support programmes: the programme catalogue, award quotes, the policy calculator and PRC working days.\n" +
            "Dates are YYYY-MM-DD. Facts files are one JSON object (fact name → value: numbers in yuan or as ratios, true/false, dates and enum values as strings, null = not known; optional \"projectKey\"); " +
            "history files are a JSON array of {programmeId, cycleYear, amount, date, tier?, projectKey?}. See docs/catalogue-format.md §14.\n" +
            "Exit codes: 0 done (a quote may still say not eligible), 1 command-line syntax error, 2 bad input (unknown programme, bad or missing fact, date outside a period or the calendar), 3 a service failed (the records commands' table service).");
        root.Options.Add(CliContext.PeriodOption);
        foreach (var create in Commands)
        {
            root.Subcommands.Add(create(context));
        }

        return root;
    }

    /// <summary>Parses and runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="catalogueSources">Catalogue files to use instead of the embedded ones (tests), or null.</param>
    /// <param name="environment">Reads an environment variable (tests give their own); the process environment when null.</param>
    /// <returns>The exit code.</returns>
    public static int Run(
        string[] args, TextWriter output, TextWriter error, IReadOnlyList<Workflows.Policies.CatalogueSource>? catalogueSources = null, Func<string, string?>? environment = null)
    {
        var context = new CliContext(catalogueSources) { GetEnvironmentVariable = environment ?? Environment.GetEnvironmentVariable };
        var parse = Build(context).Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
