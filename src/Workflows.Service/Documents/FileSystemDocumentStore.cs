using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflows.Service.Configuration;

namespace Workflows.Service.Documents;

/// <summary>
/// Stores documents as files under <c>{root}/{id[0..2]}/{id}.bin</c> (the embedded host's root is <c>{data}/documents</c>) with a <c>{id}.json</c>
/// metadata file beside each. Paths are built from the store's own random hex ids only; the client's file
/// name never reaches the file system. Content is written to a temporary file and renamed into place, so a
/// failed or refused upload leaves nothing behind.
/// </summary>
public sealed class FileSystemDocumentStore : IDocumentStore
{
    private readonly string _root;
    private readonly IOptionsMonitor<DocumentOptions> _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store in <paramref name="root"/> (the embedded host passes its data folder's <c>documents</c> folder).</summary>
    /// <param name="root">The folder holding the documents; created when missing.</param>
    /// <param name="options">Size limit and allowed types.</param>
    /// <param name="timeProvider">The clock for <see cref="StoredDocument.CreatedAt"/>.</param>
    public FileSystemDocumentStore(string root, IOptionsMonitor<DocumentOptions> options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _options = options;
        _timeProvider = timeProvider;
        Directory.CreateDirectory(_root);
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a store id (32 lower-case hex characters).</summary>
    /// <param name="id">The text to check.</param>
    /// <returns><see langword="true"/> for a well-formed id.</returns>
    public static bool IsWellFormedId(string? id) => DocumentIntake.IsWellFormedId(id);

    /// <summary>Normalises a declared content type: lower-case media type without parameters.</summary>
    /// <param name="contentType">The declared type, e.g. <c>Application/PDF; name=x</c>.</param>
    /// <returns>The media type, or null when it cannot be parsed.</returns>
    public static string? NormaliseContentType(string? contentType) => DocumentIntake.NormaliseContentType(contentType);

    /// <inheritdoc />
    public async Task<StoredDocument> SaveAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var options = _options.CurrentValue;
        _ = DocumentIntake.CheckContentType(upload.ContentType, options);

        var id = DocumentIntake.NewId();
        var folder = Path.Combine(_root, id[..2]);
        Directory.CreateDirectory(folder);
        var contentPath = Path.Combine(folder, id + ".bin");
        var temporaryPath = Path.Combine(folder, id + ".tmp");

        try
        {
            CheckedContent accepted;
            await using (var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                accepted = await DocumentIntake.CopyCheckedAsync(upload.ContentType, content, file, options, cancellationToken);
            }

            var document = new StoredDocument(
                id,
                accepted.Sha256,
                accepted.Size,
                accepted.ContentType,
                DocumentIntake.CleanFileName(upload.FileName),
                upload.OwnerId,
                upload.Organisation,
                _timeProvider.GetUtcNow());

            File.Move(temporaryPath, contentPath);
            await File.WriteAllBytesAsync(
                Path.Combine(folder, id + ".json"),
                JsonSerializer.SerializeToUtf8Bytes(document, DocumentJsonContext.Default.StoredDocument),
                cancellationToken);
            return document;
        }
        catch
        {
            File.Delete(temporaryPath);
            File.Delete(contentPath);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<StoredDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var metadataPath = Path.Combine(_root, id[..2], id + ".json");
        try
        {
            await using var stream = File.OpenRead(metadataPath);
            return await JsonSerializer.DeserializeAsync(stream, DocumentJsonContext.Default.StoredDocument, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(id, cancellationToken) is null)
        {
            return null;
        }

        try
        {
            return new FileStream(Path.Combine(_root, id[..2], id + ".bin"), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(id))
        {
            return Task.FromResult(false);
        }

        var folder = Path.Combine(_root, id[..2]);
        var metadataPath = Path.Combine(folder, id + ".json");
        if (!File.Exists(metadataPath))
        {
            return Task.FromResult(false);
        }

        // Metadata first: once it is gone the document is gone for every reader.
        File.Delete(metadataPath);
        File.Delete(Path.Combine(folder, id + ".bin"));
        return Task.FromResult(true);
    }
}
