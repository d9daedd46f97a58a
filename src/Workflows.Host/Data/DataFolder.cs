using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;

namespace Workflows.Host.Data;

/// <summary>
/// The host's data folder and the files in it. Resolved against the content root and created on first use
/// (the host resolves it at start, so the folder exists before the first request).
/// </summary>
public sealed class DataFolder
{
    /// <summary>File name of the durable runtime's database.</summary>
    public const string DurableDatabaseFileName = "durable.db";

    /// <summary>File name of the programme records database (records, outbox, idempotency keys, audit).</summary>
    public const string RecordsDatabaseFileName = "records.db";

    /// <summary>Sub-folder of stored documents.</summary>
    public const string DocumentsFolderName = "documents";

    /// <summary>Resolves and creates the data folder from <see cref="WorkflowsOptions.DataPath"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="environment">Gives the content root that a relative path starts from.</param>
    public DataFolder(IOptions<WorkflowsOptions> options, IHostEnvironment environment)
    {
        Root = Path.GetFullPath(options.Value.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The absolute path of the data folder.</summary>
    public string Root { get; }

    /// <summary>The absolute path of <c>durable.db</c>.</summary>
    public string DurableDatabasePath => Path.Combine(Root, DurableDatabaseFileName);

    /// <summary>The absolute path of <c>records.db</c>.</summary>
    public string RecordsDatabasePath => Path.Combine(Root, RecordsDatabaseFileName);

    /// <summary>The absolute path of the documents folder.</summary>
    public string DocumentsPath => Path.Combine(Root, DocumentsFolderName);
}
