using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Workflows.Durable.Testing;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

namespace Workflows.Host.Tests.Documents;

public sealed class FileSystemDocumentStoreTests : IDisposable
{
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n"u8, .. new byte[100]];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "workflows-docs-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new();
    private readonly FileSystemDocumentStore _store;

    public FileSystemDocumentStoreTests()
    {
        _store = new FileSystemDocumentStore(Path.Combine(_root, "data", "documents"), new FixedOptions(new DocumentOptions { MaxBytes = 1000 }), _clock);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string DocumentsRoot => Path.Combine(_root, "data", "documents");

    private static DocumentUpload Upload(string type = "application/pdf", string? name = "申报书.pdf") => new(type, name, "user-1", "org-1");

    [Fact]
    public async Task SaveAsync_Pdf_RecordsHashSizeTypeAndOwner_AndOpensTheSameBytes()
    {
        var saved = await _store.SaveAsync(Upload("Application/PDF; charset=binary"), new MemoryStream(Pdf));

        Assert.True(FileSystemDocumentStore.IsWellFormedId(saved.Id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), saved.Sha256);
        Assert.Equal(Pdf.Length, saved.Size);
        Assert.Equal("application/pdf", saved.ContentType);
        Assert.Equal("申报书.pdf", saved.FileName);
        Assert.Equal("user-1", saved.OwnerId);
        Assert.Equal(_clock.GetUtcNow(), saved.CreatedAt);
        Assert.Equal(saved, await _store.GetAsync(saved.Id));
        await using var stream = await _store.OpenReadAsync(saved.Id);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(Pdf, copy.ToArray());
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("..\\..\\windows\\win.ini")]
    [InlineData("/tmp/absolute.pdf")]
    [InlineData("a\0b\r\n.pdf")]
    public async Task SaveAsync_PathLikeFileName_IsMetadataOnly(string name)
    {
        var saved = await _store.SaveAsync(Upload(name: name), new MemoryStream(Pdf));

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DocumentsRoot, f)).Order().ToArray();
        Assert.Equal([Path.Combine(saved.Id[..2], saved.Id + ".bin"), Path.Combine(saved.Id[..2], saved.Id + ".json")], files);
        Assert.Equal(name.Replace("\0", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), saved.FileName);
    }

    [Theory]
    [InlineData("../documents")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("")]
    public async Task GetOpenDelete_NotAStoreId_FindNothing(string id)
    {
        Assert.Null(await _store.GetAsync(id));
        Assert.Null(await _store.OpenReadAsync(id));
        Assert.False(await _store.DeleteAsync(id));
    }

    [Fact]
    public async Task SaveAsync_OverTheLimit_IsTooLargeAndLeavesNoFile()
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => _store.SaveAsync(Upload(), new MemoryStream([.. Pdf, .. new byte[1000]])));

        Assert.Equal(DocumentRejection.TooLarge, ex.Reason);
        Assert.Equal("The document is larger than the limit of 1000 bytes.", ex.Message);
        Assert.Empty(Directory.GetFiles(DocumentsRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task SaveAsync_ExactlyTheLimit_IsAccepted()
    {
        var saved = await _store.SaveAsync(Upload(), new MemoryStream([.. Pdf, .. new byte[1000 - Pdf.Length]]));
        Assert.Equal(1000, saved.Size);
    }

    [Fact]
    public async Task SaveAsync_TypeNotAllowed_ListsTheAcceptedTypes()
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => _store.SaveAsync(Upload("application/x-msdownload"), new MemoryStream(Pdf)));

        Assert.Equal(DocumentRejection.ContentTypeNotAllowed, ex.Reason);
        Assert.StartsWith("Content type 'application/x-msdownload' is not accepted. Accepted types: application/pdf, ", ex.Message);
        Assert.Empty(Directory.GetFiles(DocumentsRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task SaveAsync_BytesDoNotMatchTheType_IsAMismatch()
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => _store.SaveAsync(Upload("image/png"), new MemoryStream(Pdf)));

        Assert.Equal(DocumentRejection.ContentMismatch, ex.Reason);
        Assert.Equal("The content does not look like image/png: its first bytes do not match that format.", ex.Message);
        Assert.Empty(Directory.GetFiles(DocumentsRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task SaveAsync_Empty_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => _store.SaveAsync(Upload("text/csv"), new MemoryStream()));
        Assert.Equal("The document is empty.", ex.Message);
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesBothFiles()
    {
        var saved = await _store.SaveAsync(Upload(), new MemoryStream(Pdf));

        Assert.True(await _store.DeleteAsync(saved.Id));

        Assert.Null(await _store.GetAsync(saved.Id));
        Assert.Empty(Directory.GetFiles(DocumentsRoot, "*", SearchOption.AllDirectories));
        Assert.False(await _store.DeleteAsync(saved.Id));
    }

    private sealed class FixedOptions(DocumentOptions value) : IOptionsMonitor<DocumentOptions>
    {
        public DocumentOptions CurrentValue => value;

        public DocumentOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<DocumentOptions, string?> listener) => null;
    }
}
