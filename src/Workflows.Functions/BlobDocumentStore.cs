using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Workflows.Programmes.Azure;

namespace Workflows.Functions;

/// <summary>
/// Documents in Azure Blob Storage. Same shape as the embedded host's <c>IDocumentStore</c>
/// (Workflows.Host.Documents), which this project cannot reference; the records are duplicated here.
/// </summary>
public interface IDocumentBlobStore
{
    /// <summary>Stores content under a new random id (32 lower-case hex digits, as the embedded host's file store).</summary>
    /// <param name="upload">Who uploads what.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The stored document.</returns>
    Task<BlobDocument> SaveAsync(BlobDocumentUpload upload, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The document's description, or null.</summary>
    /// <param name="id">Document id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The description or null.</returns>
    Task<BlobDocument?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Opens the content, or null.</summary>
    /// <param name="id">Document id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A readable stream or null.</returns>
    Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document.</summary>
    /// <param name="id">Document id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>An upload (as Workflows.Host.Documents.DocumentUpload).</summary>
/// <param name="ContentType">MIME type.</param>
/// <param name="FileName">Original file name.</param>
/// <param name="OwnerId">Uploader.</param>
/// <param name="Organisation">Uploader's organisation.</param>
public sealed record BlobDocumentUpload(string ContentType, string? FileName, string OwnerId, string? Organisation);

/// <summary>A stored document (as Workflows.Host.Documents.StoredDocument).</summary>
/// <param name="Id">Document id.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="FileName">Original file name.</param>
/// <param name="OwnerId">Uploader.</param>
/// <param name="Organisation">Uploader's organisation.</param>
/// <param name="CreatedAt">When stored.</param>
public sealed record BlobDocument(string Id, string Sha256, long Size, string ContentType, string? FileName, string OwnerId, string? Organisation, DateTimeOffset CreatedAt);

/// <summary>The blob implementation; names and metadata from <see cref="DocumentBlobNames"/>.</summary>
/// <param name="container">The documents container.</param>
/// <param name="time">Clock for the upload instant.</param>
public sealed class BlobDocumentStore(BlobContainerClient container, TimeProvider time) : IDocumentBlobStore
{
    /// <inheritdoc/>
    public async Task<BlobDocument> SaveAsync(BlobDocumentUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        string sha = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        buffer.Position = 0;

        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var info = new DocumentBlobInfo(sha, upload.FileName, upload.OwnerId, upload.Organisation, time.GetUtcNow());
        var blob = container.GetBlobClient(DocumentBlobNames.BlobName(id));
        await blob.UploadAsync(
            buffer,
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = upload.ContentType },
                Metadata = DocumentBlobNames.ToMetadata(info),
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, // never overwrite a stored document
            },
            cancellationToken);

        return new BlobDocument(id, sha, buffer.Length, upload.ContentType, upload.FileName, upload.OwnerId, upload.Organisation, info.CreatedAt);
    }

    /// <inheritdoc/>
    public async Task<BlobDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!DocumentBlobNames.IsValidId(id))
        {
            return null;
        }

        try
        {
            BlobProperties props = await container.GetBlobClient(DocumentBlobNames.BlobName(id)).GetPropertiesAsync(cancellationToken: cancellationToken);
            var info = DocumentBlobNames.FromMetadata(props.Metadata.AsReadOnly());
            return new BlobDocument(id, info.Sha256, props.ContentLength, props.ContentType, info.FileName, info.OwnerId, info.Organisation, info.CreatedAt);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!DocumentBlobNames.IsValidId(id))
        {
            return null;
        }

        try
        {
            return await container.GetBlobClient(DocumentBlobNames.BlobName(id)).OpenReadAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        DocumentBlobNames.IsValidId(id)
        && (await container.GetBlobClient(DocumentBlobNames.BlobName(id)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
}
