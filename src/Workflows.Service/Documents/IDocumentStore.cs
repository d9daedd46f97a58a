namespace Workflows.Service.Documents;

/// <summary>What the uploader says about a document; the client's file name is kept as metadata only.</summary>
/// <param name="ContentType">The declared content type, e.g. <c>application/pdf</c>.</param>
/// <param name="FileName">The client's file name, for display and downloads; never used as a path. May be null.</param>
/// <param name="OwnerId">The user id (<c>sub</c>) of the uploader.</param>
/// <param name="Organisation">The uploader's organisation or person profile id, or null.</param>
public sealed record DocumentUpload(string ContentType, string? FileName, string OwnerId, string? Organisation);

/// <summary>A stored document's metadata.</summary>
/// <param name="Id">The store's id: 32 lower-case hex characters.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
/// <param name="Size">Content length in bytes.</param>
/// <param name="ContentType">The accepted content type (lower-case, without parameters).</param>
/// <param name="FileName">The client's file name, cleaned of control characters and cut to 255 characters; may be null.</param>
/// <param name="OwnerId">The uploader's user id.</param>
/// <param name="Organisation">The uploader's organisation or person profile id, or null.</param>
/// <param name="CreatedAt">When the document was stored.</param>
public sealed record StoredDocument(
    string Id,
    string Sha256,
    long Size,
    string ContentType,
    string? FileName,
    string OwnerId,
    string? Organisation,
    DateTimeOffset CreatedAt);

/// <summary>
/// Keeps uploaded documents. The file-system store is the embedded default; a blob store can replace it
/// behind this interface.
/// </summary>
public interface IDocumentStore
{
    /// <summary>
    /// Checks and stores <paramref name="content"/>: the content type must be allowed, the size within the
    /// limit and, for types with a known signature (PDF, PNG, JPEG, Office), the bytes must match the type.
    /// Nothing is kept when a check fails.
    /// </summary>
    /// <param name="upload">Declared type, file name and owner.</param>
    /// <param name="content">The bytes, read once to the end.</param>
    /// <param name="cancellationToken">Cancels the upload; nothing is kept.</param>
    /// <returns>The stored document's metadata, with its SHA-256 and size.</returns>
    /// <exception cref="DocumentRejectedException">A check failed; <see cref="DocumentRejectedException.Reason"/> says which.</exception>
    Task<StoredDocument> SaveAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Reads a document's metadata.</summary>
    /// <param name="id">The document id; any other text (e.g. a path) finds nothing.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The metadata, or null if there is no such document.</returns>
    Task<StoredDocument?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Opens a document's content for reading; the caller disposes the stream.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The content stream, or null if there is no such document.</returns>
    Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> if it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Why a document was refused.</summary>
public enum DocumentRejection
{
    /// <summary>Larger than <c>Workflows:Documents:MaxBytes</c> (HTTP 413).</summary>
    TooLarge,

    /// <summary>The declared content type is not in <c>Workflows:Documents:AllowedContentTypes</c> (HTTP 415).</summary>
    ContentTypeNotAllowed,

    /// <summary>The bytes do not match the declared content type, or the document is empty (HTTP 422).</summary>
    ContentMismatch,
}

/// <summary>A document failed a check and was not stored.</summary>
public sealed class DocumentRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Which check failed.</param>
    /// <param name="message">What is wrong, for the caller.</param>
    public DocumentRejectedException(DocumentRejection reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Creates the exception without a reason (the content did not match).</summary>
    public DocumentRejectedException()
        : this(DocumentRejection.ContentMismatch, "The document was rejected.")
    {
    }

    /// <summary>Creates the exception without a reason (the content did not match).</summary>
    /// <param name="message">What is wrong.</param>
    public DocumentRejectedException(string message)
        : this(DocumentRejection.ContentMismatch, message)
    {
    }

    /// <summary>Creates the exception without a reason (the content did not match).</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DocumentRejectedException(string message, Exception innerException)
        : base(message, innerException) => Reason = DocumentRejection.ContentMismatch;

    /// <summary>Which check failed.</summary>
    public DocumentRejection Reason { get; }
}
