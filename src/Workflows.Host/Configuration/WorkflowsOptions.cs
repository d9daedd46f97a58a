namespace Workflows.Host.Configuration;

/// <summary>Where the host keeps its data. Section <c>Workflows</c>.</summary>
public sealed class WorkflowsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows";

    /// <summary>
    /// The data folder: SQLite databases (<c>durable.db</c>, <c>records.db</c>), documents and the token
    /// signing key. A relative path is taken from the content root; the folder is created at start.
    /// </summary>
    /// <value>Default <c>./app_data</c>.</value>
    public string DataPath { get; set; } = "./app_data";
}
