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
/// lower-case hex digits) and the same upload rules as the embedded host's file store (<see cref="DocumentIntake"/>:
/// <c>Workflows:Documents:MaxBytes</c>, <c>AllowedContentTypes</c>, no empty document, leading bytes matching the
/// type), so the shared documents API answers the same.
/// </summary>
/// <param name="container">The documents container (<c>Workflows:Documents:BlobContainer</c>).</param>
/// <param name="options">The upload rules.</param>
/// <param name="time">Clock for the upload instant.</param>
public sealed class BlobDocumentStore(BlobContainerClient container, IOptionsMonitor<DocumentOptions> options, TimeProvider time) : IDocumentStore
{
    /// <inheritdoc/>
    public async Task<StoredDocument> SaveAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);

        // The embedded store's rules, from the same code: accepted type, size limit, not empty, leading bytes that
        // match the declared type, SHA-256; rejections are DocumentRejectedException (415, 413, 422).
        using var buffer = new MemoryStream();
        var checkedContent = await DocumentIntake.CopyCheckedAsync(upload.ContentType, content, buffer, options.CurrentValue, cancellationToken);
        string id = DocumentIntake.NewId();
        var info = new DocumentBlobInfo(checkedContent.Sha256, DocumentIntake.CleanFileName(upload.FileName), upload.OwnerId, upload.Organisation, time.GetUtcNow());
        buffer.Position = 0;

        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.GetBlobClient(DocumentBlobNames.BlobName(id)).UploadAsync(
            buffer,
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = checkedContent.ContentType },
                Metadata = DocumentBlobNames.ToMetadata(info),
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, // never overwrite a stored document
            },
            cancellationToken);

        return new StoredDocument(id, checkedContent.Sha256, checkedContent.Size, checkedContent.ContentType, info.FileName, info.OwnerId, info.Organisation, info.CreatedAt);
    }

    /// <inheritdoc/>
    public async Task<StoredDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!DocumentIntake.IsWellFormedId(id))
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
        if (!DocumentIntake.IsWellFormedId(id))
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
        if (!DocumentIntake.IsWellFormedId(id))
        {
            return false;
        }

        var deleted = await container.GetBlobClient(DocumentBlobNames.BlobName(id)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        return deleted.Value;
    }
}
