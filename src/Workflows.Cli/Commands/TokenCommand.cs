using System.CommandLine;
using Workflows.Programmes.Security;

namespace Workflows.Cli.Commands;

/// <summary>
/// <c>workflows token --role R --sub ID [--org ORG] [--name NAME] [--data DIR] [--days N]</c>: prints a signed
/// development bearer token that the local host accepts. The key is the host's: <c>Workflows:Auth:SigningKey</c> if
/// set, else <c>token-signing.key</c> in the data folder (created on first use, so the command may run before the
/// host). Only the token goes to standard output, so <c>TOKEN=$(workflows token …)</c> works.
/// </summary>
public static class TokenCommand
{
    /// <summary>Exit code for bad arguments or settings.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the <c>token</c> command.</summary>
    /// <param name="timeProvider">The clock for the token's times; the system clock when null.</param>
    /// <returns>The command.</returns>
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var role = new Option<string[]>("--role")
        {
            Description = $"Role(s): {string.Join(", ", WorkflowRoles.TokenRoles)}. Repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var subject = new Option<string>("--sub") { Description = "User id (sub claim).", Required = true };
        var organisation = new Option<string?>("--org") { Description = "Organisation or person profile id (org claim); required for applicants." };
        var name = new Option<string?>("--name") { Description = "Display name (name claim)." };
        var data = new Option<string?>("--data") { Description = "Data folder with the key; default Workflows:DataPath from the environment or ./local.settings.json, else ./app_data." };
        var days = new Option<int>("--days") { Description = "Lifetime in days (1 to 366).", DefaultValueFactory = _ => 30 };

        var command = new Command("token", "Prints a signed development bearer token for the local host.")
        {
            role, subject, organisation, name, data, days,
        };
        command.SetAction(parse => Run(
            parse.GetValue(role) ?? [],
            parse.GetValue(subject) ?? string.Empty,
            parse.GetValue(organisation),
            parse.GetValue(name),
            parse.GetValue(data),
            parse.GetValue(days),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            timeProvider ?? TimeProvider.System));
        return command;
    }

    private static int Run(
        string[] roles, string subject, string? organisation, string? name, string? data, int days, TextWriter output, TextWriter error, TimeProvider timeProvider)
    {
        if (days is < 1 or > 366)
        {
            error.WriteLine($"--days must be between 1 and 366; got {days}.");
            return UsageError;
        }

        try
        {
            var environment = DevTokenEnvironment.Resolve(Directory.GetCurrentDirectory(), data, Environment.GetEnvironmentVariable);
            var token = environment.CreateIssuer(timeProvider)
                .Issue(new TokenClaims(subject, roles, organisation, name), TimeSpan.FromDays(days));
            output.WriteLine(token);
            return 0;
        }
        catch (ArgumentException ex)
        {
            error.WriteLine(ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal));
            return UsageError;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(ex.Message);
            return UsageError;
        }
    }
}
