using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Azure;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

namespace Workflows.Functions;

/// <summary>
/// The shared <see cref="IDocumentStore"/> over Azure Blob Storage: one blob per document, named by
/// <see cref="DocumentBlobNames.BlobName"/>, with the document's description in the blob's metadata
/// (<see cref="DocumentBlobNames.ToMetadata"/>) and its media type as the blob's content type. The same ids (32
/// lower-case hex digits) and the same upload rules (<c>Workflows:Documents:MaxBytes</c>, <c>AllowedContentTypes</c>,
/// no empty document) as the embedded host's file store, so the shared documents API answers the same.
/// </summary>
/// <param name="container">The documents container (<c>Workflows:Documents:BlobContainer</c>).</param>
/// <param name="options">The upload rules.</param>
/// <param name="time">Clock for the upload instant.</param>
public sealed class BlobDocumentStore(BlobContainerClient container, IOptionsMonitor<DocumentOptions> options, TimeProvider time) : IDocumentStore
{
    private const int MaxFileNameLength = 255;

    /// <inheritdoc/>
    public async Task<StoredDocument> SaveAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);
        var rules = options.CurrentValue;
        var contentType = FileSystemDocumentStore.NormaliseContentType(upload.ContentType);
        var allowed = rules.AllowedContentTypeSet();
        if (contentType is null || !allowed.Contains(contentType))
        {
            throw new DocumentRejectedException(
                DocumentRejection.ContentTypeNotAllowed,
                $"Content type '{upload.ContentType}' is not accepted. Accepted types: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk.AsMemory(), cancellationToken)) > 0)
        {
            if (buffer.Length + read > rules.MaxBytes)
            {
                throw new DocumentRejectedException(DocumentRejection.TooLarge, $"The document is larger than the limit of {rules.MaxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new DocumentRejectedException(DocumentRejection.ContentMismatch, "The document is empty.");
        }

        string sha = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var info = new DocumentBlobInfo(sha, CleanFileName(upload.FileName), upload.OwnerId, upload.Organisation, time.GetUtcNow());
        buffer.Position = 0;

        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.GetBlobClient(DocumentBlobNames.BlobName(id)).UploadAsync(
            buffer,
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = DocumentBlobNames.ToMetadata(info),
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, // never overwrite a stored document
            },
            cancellationToken);

        return new StoredDocument(id, sha, buffer.Length, contentType, info.FileName, info.OwnerId, info.Organisation, info.CreatedAt);
    }

    /// <inheritdoc/>
    public async Task<StoredDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!FileSystemDocumentStore.IsWellFormedId(id))
        {
            return null;
        }

        try
        {
            var response = await container.GetBlobClient(DocumentBlobNames.BlobName(id)).GetPropertiesAsync(cancellationToken: cancellationToken);
            BlobProperties props = response.Value;
            var info = DocumentBlobNames.FromMetadata(props.Metadata.AsReadOnly());
            return new StoredDocument(id, info.Sha256, props.ContentLength, props.ContentType, info.FileName, info.OwnerId, info.Organisation, info.CreatedAt);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!FileSystemDocumentStore.IsWellFormedId(id))
        {
            return null;
        }

        try
        {
            return await container.GetBlobClient(DocumentBlobNames.BlobName(id)).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!FileSystemDocumentStore.IsWellFormedId(id))
        {
            return false;
        }

        var deleted = await container.GetBlobClient(DocumentBlobNames.BlobName(id)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        return deleted.Value;
    }

    // The client's file name is metadata only (never a path): trimmed, control characters dropped, at most 255
    // characters, exactly as the embedded file store keeps it.
    private static string? CleanFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        string clean = new(fileName.Trim().Where(c => !char.IsControl(c)).ToArray());
        return clean.Length > MaxFileNameLength ? clean[..MaxFileNameLength] : clean;
    }
}
