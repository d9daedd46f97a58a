// API-shape stub of the NuGet package Azure.Storage.Blobs 12.25.0 (as pinned in src/Workflows.Functions; the net8.0
// assembly is the one a net10.0 app binds to). Checked against the package's public API listing in
// Azure/azure-sdk-for-net: sdk/storage/Azure.Storage.Blobs/api/Azure.Storage.Blobs.net8.0.cs (BlobServiceClient,
// BlobContainerClient, BlobClient, Specialized.BlobBaseClient, Models.*). For every method the Functions code calls,
// the whole overload set is declared (including [EditorBrowsable(Never)] legacy overloads, which still take part in
// overload resolution), except overloads whose parameter types are not stubbed (AzureSasCredential,
// StorageSharedKeyCredential, AccessTier, StorageTransferOptions, and System.BinaryData from the System.Memory.Data
// package): none of those can match the calls made (a Stream or a path).
// The package is not nullable-annotated (its API listing declares `string x = null`), hence #nullable disable:
// reference types here are oblivious, exactly as the real assembly presents them.
// Left out: BlobClientOptions' base class Azure.Core.ClientOptions and members, and everything not used.
#nullable disable
#pragma warning disable IDE0060 // placeholders ignore their parameters

using System.ComponentModel;
using Azure.Core;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Azure.Storage.Blobs
{
    public class BlobClientOptions
    {
    }

    public class BlobServiceClient
    {
        protected BlobServiceClient()
        {
        }

        public BlobServiceClient(string connectionString)
        {
        }

        public BlobServiceClient(string connectionString, BlobClientOptions options)
        {
        }

        public BlobServiceClient(Uri serviceUri, TokenCredential credential, BlobClientOptions options = null)
        {
        }

        public BlobServiceClient(Uri serviceUri, BlobClientOptions options = null)
        {
        }

        public virtual string AccountName => throw new NotSupportedException("compile-check stub");

        public virtual Uri Uri => throw new NotSupportedException("compile-check stub");

        public virtual BlobContainerClient GetBlobContainerClient(string blobContainerName) => throw new NotSupportedException("compile-check stub");
    }

    public class BlobContainerClient
    {
        protected BlobContainerClient()
        {
        }

        public BlobContainerClient(string connectionString, string blobContainerName)
        {
        }

        public virtual string Name => throw new NotSupportedException("compile-check stub");

        public virtual Uri Uri => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContainerInfo>> CreateIfNotExistsAsync(
            PublicAccessType publicAccessType = PublicAccessType.None,
            IDictionary<string, string> metadata = null,
            BlobContainerEncryptionScopeOptions encryptionScopeOptions = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        [EditorBrowsable(EditorBrowsableState.Never)]
        public virtual Task<Response<BlobContainerInfo>> CreateIfNotExistsAsync(PublicAccessType publicAccessType, IDictionary<string, string> metadata, CancellationToken cancellationToken) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<bool>> DeleteIfExistsAsync(BlobRequestConditions conditions = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual BlobClient GetBlobClient(string blobName) => throw new NotSupportedException("compile-check stub");
    }

    public class BlobClient : BlobBaseClient
    {
        protected BlobClient()
        {
        }

        public BlobClient(string connectionString, string blobContainerName, string blobName)
        {
        }





        public virtual Task<Response<BlobContentInfo>> UploadAsync(Stream content) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(Stream content, BlobUploadOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(Stream content, bool overwrite = false, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(Stream content, CancellationToken cancellationToken) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(string path) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(string path, BlobUploadOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(string path, bool overwrite = false, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobContentInfo>> UploadAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException("compile-check stub");
    }
}

namespace Azure.Storage.Blobs.Specialized
{
    public class BlobBaseClient
    {
        protected BlobBaseClient()
        {
        }

        public virtual string Name => throw new NotSupportedException("compile-check stub");

        public virtual string BlobContainerName => throw new NotSupportedException("compile-check stub");

        public virtual Uri Uri => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<bool>> DeleteIfExistsAsync(
            DeleteSnapshotsOption snapshotsOption = DeleteSnapshotsOption.None,
            BlobRequestConditions conditions = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");

        public virtual Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions conditions = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        public virtual Task<Stream> OpenReadAsync(BlobOpenReadOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        [EditorBrowsable(EditorBrowsableState.Never)]
        public virtual Task<Stream> OpenReadAsync(bool allowBlobModifications, long position = 0, int? bufferSize = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");

        [EditorBrowsable(EditorBrowsableState.Never)]
        public virtual Task<Stream> OpenReadAsync(long position = 0, int? bufferSize = null, BlobRequestConditions conditions = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("compile-check stub");
    }
}

namespace Azure.Storage.Blobs.Models
{
    public enum PublicAccessType
    {
        None = 0,
        BlobContainer = 1,
        Blob = 2,
    }

    public enum DeleteSnapshotsOption
    {
        None = 0,
        IncludeSnapshots = 1,
        OnlySnapshots = 2,
    }

    public class BlobContainerInfo
    {
        private BlobContainerInfo()
        {
        }

        public ETag ETag => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset LastModified => throw new NotSupportedException("compile-check stub");
    }

    public class BlobContentInfo
    {
        private BlobContentInfo()
        {
        }

        public ETag ETag => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset LastModified => throw new NotSupportedException("compile-check stub");

        public byte[] ContentHash => throw new NotSupportedException("compile-check stub");

        public string VersionId => throw new NotSupportedException("compile-check stub");
    }

    public class BlobContainerEncryptionScopeOptions
    {
    }

    public class BlobHttpHeaders
    {
        public string CacheControl { get; set; }

        public string ContentDisposition { get; set; }

        public string ContentEncoding { get; set; }

        public byte[] ContentHash { get; set; }

        public string ContentLanguage { get; set; }

        public string ContentType { get; set; }
    }

    public class BlobLeaseRequestConditions : RequestConditions
    {
        public string TagConditions { get; set; }
    }

    public class BlobRequestConditions : BlobLeaseRequestConditions
    {
        public string LeaseId { get; set; }
    }

    public class BlobOpenReadOptions
    {
        public BlobOpenReadOptions(bool allowModifications)
        {
        }

        public int? BufferSize { get; set; }

        public BlobRequestConditions Conditions { get; set; }

        public long Position { get; set; }
    }

    public class BlobUploadOptions
    {
        public BlobRequestConditions Conditions { get; set; }

        public BlobHttpHeaders HttpHeaders { get; set; }

        public IDictionary<string, string> Metadata { get; set; }

        public IProgress<long> ProgressHandler { get; set; }

        public IDictionary<string, string> Tags { get; set; }

        public bool? LegalHold { get; set; }
    }

    public class BlobProperties
    {
        public string CacheControl => throw new NotSupportedException("compile-check stub");

        public string ContentDisposition => throw new NotSupportedException("compile-check stub");

        public string ContentEncoding => throw new NotSupportedException("compile-check stub");

        public byte[] ContentHash => throw new NotSupportedException("compile-check stub");

        public string ContentLanguage => throw new NotSupportedException("compile-check stub");

        public long ContentLength => throw new NotSupportedException("compile-check stub");

        public string ContentType => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset CreatedOn => throw new NotSupportedException("compile-check stub");

        public ETag ETag => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset LastModified => throw new NotSupportedException("compile-check stub");

        public IDictionary<string, string> Metadata => throw new NotSupportedException("compile-check stub");

        public string VersionId => throw new NotSupportedException("compile-check stub");
    }
}
