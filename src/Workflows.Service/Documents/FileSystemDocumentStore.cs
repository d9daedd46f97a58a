using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
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
    // Leading bytes of the types whose content is checked against the declared type.
    private static readonly Dictionary<string, byte[][]> Signatures = new(StringComparer.Ordinal)
    {
        ["application/pdf"] = [[0x25, 0x50, 0x44, 0x46, 0x2D]],
        ["image/png"] = [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]],
        ["image/jpeg"] = [[0xFF, 0xD8, 0xFF]],
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = [[0x50, 0x4B, 0x03, 0x04]],
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = [[0x50, 0x4B, 0x03, 0x04]],
    };

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
    public static bool IsWellFormedId(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Normalises a declared content type: lower-case media type without parameters.</summary>
    /// <param name="contentType">The declared type, e.g. <c>Application/PDF; name=x</c>.</param>
    /// <returns>The media type, or null when it cannot be parsed.</returns>
    public static string? NormaliseContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } media
            ? media.ToLowerInvariant()
            : null;

    /// <inheritdoc />
    public async Task<StoredDocument> SaveAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        var contentType = NormaliseContentType(upload.ContentType);
        var allowed = options.AllowedContentTypeSet();
        if (contentType is null || !allowed.Contains(contentType))
        {
            throw new DocumentRejectedException(
                DocumentRejection.ContentTypeNotAllowed,
                $"Content type '{upload.ContentType}' is not accepted. Accepted types: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var folder = Path.Combine(_root, id[..2]);
        Directory.CreateDirectory(folder);
        var contentPath = Path.Combine(folder, id + ".bin");
        var temporaryPath = Path.Combine(folder, id + ".tmp");

        try
        {
            long size = 0;
            var head = new byte[16];
            var headLength = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                await using var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > options.MaxBytes)
                    {
                        throw new DocumentRejectedException(
                            DocumentRejection.TooLarge,
                            $"The document is larger than the limit of {options.MaxBytes} bytes.");
                    }

                    var take = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (size == 0)
            {
                throw new DocumentRejectedException(DocumentRejection.ContentMismatch, "The document is empty.");
            }

            if (Signatures.TryGetValue(contentType, out var signatures)
                && !signatures.Any(s => head.AsSpan(0, headLength).StartsWith(s)))
            {
                throw new DocumentRejectedException(
                    DocumentRejection.ContentMismatch,
                    $"The content does not look like {contentType}: its first bytes do not match that format.");
            }

            var document = new StoredDocument(
                id,
                Convert.ToHexStringLower(hash.GetHashAndReset()),
                size,
                contentType,
                CleanFileName(upload.FileName),
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

    private static string? CleanFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        var builder = new StringBuilder(fileName.Length);
        foreach (var c in fileName.Trim())
        {
            if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        var clean = builder.ToString();
        return clean.Length > 255 ? clean[..255] : clean;
    }
}
