using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Policies;

namespace Workflows.Cli;

/// <summary>Input errors found by the command line itself (bad date, unreadable file).</summary>
/// <param name="message">What is wrong.</param>
public sealed class CliInputException(string message) : Exception(message);

/// <summary>Services and helpers shared by the commands.</summary>
/// <param name="catalogueSources">Catalogue files to use instead of the embedded ones, or null.</param>
public sealed class CliContext(IReadOnlyList<CatalogueSource>? catalogueSources)
{
    private readonly Lazy<ProgrammeCatalogue> plain = new(() => catalogueSources is null ? ProgrammeCatalogue.Default : ProgrammeCatalogue.FromYaml([.. catalogueSources]));

    /// <summary>Gets the global option setting a document's effective period (for documents whose seed states none, e.g. 000).</summary>
    public static Option<string[]> PeriodOption { get; } = new("--period")
    {
        Description = "Set a document's effective period: DOC=FROM..TO (e.g. 000=2024-01-01..2026-12-31; either end may be empty). Repeatable.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Gets the JSON options of every <c>--json</c> output (indented, Chinese kept readable).</summary>
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gets how the commands read environment variables (tests give their own); the process environment unless set.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Gets the working-day calendar.</summary>
    public WorkingDayCalendar Calendar => WorkingDayCalendar.Default;

    /// <summary>Returns the catalogue, applying any <c>--period</c> options.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The catalogue.</returns>
    public ProgrammeCatalogue Catalogue(ParseResult parse)
    {
        var periods = parse.GetValue(PeriodOption) ?? [];
        if (periods.Length == 0)
        {
            return plain.Value;
        }

        var options = new CatalogueOptions { IncludeEmbedded = catalogueSources is null };
        foreach (var source in catalogueSources ?? [])
        {
            options.ExtraSources.Add(source);
        }

        foreach (var text in periods)
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var dots = text.IndexOf("..", StringComparison.Ordinal);
            if (eq <= 0 || dots < eq)
            {
                throw new CliInputException($"--period '{text}': expected DOC=FROM..TO, e.g. 000=2024-01-01..2026-12-31");
            }

            var from = text[(eq + 1)..dots];
            var to = text[(dots + 2)..];
            options.EffectivePeriods[text[..eq]] = new DateRange(
                from.Length == 0 ? null : ParseDate(from, "--period"), to.Length == 0 ? null : ParseDate(to, "--period"));
        }

        return ProgrammeCatalogue.Load(options);
    }

    /// <summary>Returns a quote engine on the catalogue.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The engine.</returns>
    public QuoteEngine Engine(ParseResult parse) => new(Catalogue(parse), Calendar);

    /// <summary>Parses an ISO date strictly.</summary>
    /// <param name="text">The text.</param>
    /// <param name="option">The option name, for the message.</param>
    /// <returns>The date.</returns>
    /// <exception cref="CliInputException">Not a date YYYY-MM-DD.</exception>
    public static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new CliInputException($"{option}: '{text}' is not a date YYYY-MM-DD");

    /// <summary>Reads a file, with a clear error when it cannot be read.</summary>
    /// <param name="path">The path.</param>
    /// <param name="option">The option name, for the message.</param>
    /// <returns>The text.</returns>
    public static string ReadFile(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"{option}: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Runs a command body, turning bad input into exit code 2 with a message on standard error.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="body">The body; returns the exit code.</param>
    /// <returns>The exit code.</returns>
    public static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is PolicyException or CliInputException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Writes one JSON document to standard output.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="node">The document.</param>
    public static void WriteJson(ParseResult parse, JsonNode node) =>
        parse.InvocationConfiguration.Output.WriteLine(node.ToJsonString(Json));

    /// <summary>Formats a date as YYYY-MM-DD.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The text.</returns>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Formats a period for people and JSON.</summary>
    /// <param name="period">The period or null.</param>
    /// <returns>The text.</returns>
    public static string Period(DateRange? period) => period?.ToString() ?? "unknown (set by configuration: --period)";
}
