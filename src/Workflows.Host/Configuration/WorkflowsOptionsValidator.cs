using Microsoft.Extensions.Options;

namespace Workflows.Host.Configuration;

/// <summary>Checks <see cref="WorkflowsOptions"/>.</summary>
internal sealed class WorkflowsOptionsValidator : IValidateOptions<WorkflowsOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            return ValidateOptionsResult.Fail("Workflows:DataPath must name a folder (default ./app_data); it is empty.");
        }

        return options.DataPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0
            ? ValidateOptionsResult.Fail($"Workflows:DataPath '{options.DataPath}' contains characters not allowed in a path.")
            : ValidateOptionsResult.Success;
    }
}
