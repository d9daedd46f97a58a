using System.Globalization;

namespace Workflows.Programmes.Azure;

/// <summary>
/// Names and metadata of uploaded documents in Azure Blob Storage. A document with id <c>abcdef…</c> is the blob
/// <c>ab/abcdef…</c> in the documents container (the two-character folder keeps listings short, like the embedded
/// host's documents folder). Blob metadata must be ASCII, so the file name is stored percent-encoded.
/// </summary>
public static class DocumentBlobNames
{
    /// <summary>Longest accepted document id.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Metadata key of the SHA-256 (lower-case hex) of the content.</summary>
    public const string Sha256Key = "sha256";

    /// <summary>Metadata key of the percent-encoded original file name.</summary>
    public const string FileNameKey = "filename";

    /// <summary>Metadata key of the uploader's subject id (percent-encoded).</summary>
    public const string OwnerKey = "owner";

    /// <summary>Metadata key of the uploader's organisation (percent-encoded).</summary>
    public const string OrganisationKey = "organisation";

    /// <summary>Metadata key of the upload instant (round-trip "O" format).</summary>
    public const string CreatedAtKey = "createdat";

    /// <summary>The blob name of a document.</summary>
    /// <param name="documentId">The document id: 2 to <see cref="MaxIdLength"/> characters of ASCII letters, digits, '-' or '_'.</param>
    /// <returns>The blob name, e.g. <c>ab/abcdef</c>.</returns>
    /// <exception cref="ArgumentException">The id is not a valid document id.</exception>
    public static string BlobName(string documentId)
    {
        if (!IsValidId(documentId))
        {
            throw new ArgumentException(
                $"'{documentId}' is not a document id: expected 2 to {MaxIdLength} ASCII letters, digits, '-' or '_'.",
                nameof(documentId));
        }

        return string.Concat(documentId.AsSpan(0, 2).ToString().ToLowerInvariant(), "/", documentId);
    }

    /// <summary>Whether <paramref name="documentId"/> is a valid document id (so a path cannot be smuggled into a blob name).</summary>
    /// <param name="documentId">The candidate.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidId(string? documentId) =>
        documentId is { Length: >= 2 and <= MaxIdLength } && documentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The blob metadata describing a document (all values ASCII).</summary>
    /// <param name="info">The document description.</param>
    /// <returns>Metadata to set on the blob.</returns>
    public static IDictionary<string, string> ToMetadata(DocumentBlobInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [Sha256Key] = info.Sha256,
            [OwnerKey] = Uri.EscapeDataString(info.OwnerId),
            [CreatedAtKey] = info.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (info.FileName is not null)
        {
            metadata[FileNameKey] = Uri.EscapeDataString(info.FileName);
        }

        if (info.Organisation is not null)
        {
            metadata[OrganisationKey] = Uri.EscapeDataString(info.Organisation);
        }

        return metadata;
    }

    /// <summary>Reads metadata written by <see cref="ToMetadata"/> (keys compared case-insensitively, as the service lower-cases them).</summary>
    /// <param name="metadata">The blob's metadata.</param>
    /// <returns>The document description.</returns>
    /// <exception cref="FormatException">A required key is missing or the instant is unreadable.</exception>
    public static DocumentBlobInfo FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string? Find(string key) =>
            metadata.FirstOrDefault(pair => string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        string Required(string key) => Find(key) ?? throw new FormatException($"The document blob has no '{key}' metadata.");

        string created = Required(CreatedAtKey);
        if (!DateTimeOffset.TryParseExact(created, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var createdAt))
        {
            throw new FormatException($"The document blob's '{CreatedAtKey}' metadata '{created}' is not a round-trip instant.");
        }

        string? fileName = Find(FileNameKey);
        string? organisation = Find(OrganisationKey);
        return new DocumentBlobInfo(
            Required(Sha256Key),
            fileName is null ? null : Uri.UnescapeDataString(fileName),
            Uri.UnescapeDataString(Required(OwnerKey)),
            organisation is null ? null : Uri.UnescapeDataString(organisation),
            createdAt);
    }
}

/// <summary>What is kept about a document in its blob's metadata (size and content type are blob properties).</summary>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
/// <param name="FileName">The original file name, if given.</param>
/// <param name="OwnerId">The uploader's subject id.</param>
/// <param name="Organisation">The uploader's organisation, if any.</param>
/// <param name="CreatedAt">When it was stored.</param>
public sealed record DocumentBlobInfo(string Sha256, string? FileName, string OwnerId, string? Organisation, DateTimeOffset CreatedAt);
