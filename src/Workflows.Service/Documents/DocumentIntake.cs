using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Workflows.Service.Configuration;

namespace Workflows.Service.Documents;

/// <summary>What <see cref="DocumentIntake.CopyCheckedAsync"/> learnt about an accepted document.</summary>
/// <param name="ContentType">The accepted content type (lower-case, without parameters).</param>
/// <param name="Size">Content length in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
public sealed record CheckedContent(string ContentType, long Size, string Sha256);

/// <summary>
/// The checks every <see cref="IDocumentStore"/> applies to an upload, whatever it stores into (files here, blobs on
/// Azure): the content type must be allowed, the size within <see cref="DocumentOptions.MaxBytes"/>, the document not
/// empty and, for types with a known signature (PDF, PNG, JPEG, Office), the first bytes must match the type.
/// </summary>
public static class DocumentIntake
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

    /// <summary>Whether <paramref name="id"/> has the shape of a store id (32 lower-case hex characters).</summary>
    /// <param name="id">The text to check.</param>
    /// <returns><see langword="true"/> for a well-formed id.</returns>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>A new random store id: 32 lower-case hex characters, safe in any path or blob name.</summary>
    /// <returns>The id.</returns>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Normalises a declared content type: lower-case media type without parameters.</summary>
    /// <param name="contentType">The declared type, e.g. <c>Application/PDF; name=x</c>.</param>
    /// <returns>The media type, or null when it cannot be parsed.</returns>
    public static string? NormaliseContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } media
            ? media.ToLowerInvariant()
            : null;

    /// <summary>Checks the declared content type before anything is stored.</summary>
    /// <param name="declared">The uploader's content type.</param>
    /// <param name="options">The allowed types.</param>
    /// <returns>The normalised, allowed type.</returns>
    /// <exception cref="DocumentRejectedException">The type is not allowed (<see cref="DocumentRejection.ContentTypeNotAllowed"/>).</exception>
    public static string CheckContentType(string? declared, DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var contentType = NormaliseContentType(declared);
        var allowed = options.AllowedContentTypeSet();
        return contentType is not null && allowed.Contains(contentType)
            ? contentType
            : throw new DocumentRejectedException(
                DocumentRejection.ContentTypeNotAllowed,
                $"Content type '{declared}' is not accepted. Accepted types: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>
    /// Checks the type, then copies <paramref name="content"/> to <paramref name="destination"/> while counting, hashing
    /// and checking it. On <see cref="DocumentRejectedException"/> the caller discards what was written.
    /// </summary>
    /// <param name="declaredContentType">The uploader's content type.</param>
    /// <param name="content">The bytes, read once to the end.</param>
    /// <param name="destination">Where the bytes go (a temporary file, a staging blob).</param>
    /// <param name="options">Size limit and allowed types.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>Type, size and SHA-256 of the accepted content.</returns>
    /// <exception cref="DocumentRejectedException">A check failed; <see cref="DocumentRejectedException.Reason"/> says which.</exception>
    public static async Task<CheckedContent> CopyCheckedAsync(
        string? declaredContentType, Stream content, Stream destination, DocumentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(destination);
        var contentType = CheckContentType(declaredContentType, options);
        long size = 0;
        var head = new byte[16];
        var headLength = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
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
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
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

        return new CheckedContent(contentType, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The client's file name for display: control characters removed, trimmed, cut to 255 characters.</summary>
    /// <param name="fileName">The name as sent.</param>
    /// <returns>The clean name, or null for a missing or blank one.</returns>
    public static string? CleanFileName(string? fileName)
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
