// API-shape stub of the NuGet package Azure.Core (1.4x, brought in by Azure.Storage.Blobs 12.25.0, Azure.Identity
// 1.14.2 and Microsoft.Azure.Functions.Worker.Core): ETag, RequestFailedException, Response / Response<T>, the request
// conditions, TokenCredential and the ObjectSerializer / JsonObjectSerializer pair that WorkerOptions.Serializer takes.
// Checked against the package's public API listing in Azure/azure-sdk-for-net: sdk/core/Azure.Core/api/Azure.Core.net8.0.cs
// (namespaces Azure, Azure.Core, Azure.Core.Serialization). Azure.Core is nullable-annotated; so is this file.
// AsyncPageable/Page and Response.Headers (ResponseHeaders) are there for Azure.Data.Tables' query and write results.
// Left out: everything not used (pipelines, ClientOptions, Operation, pageables, the Response members other than
// Status / IsError, RequestFailedException's response-taking constructors, TokenCredential's token methods, and the
// ObjectSerializer overloads over System.BinaryData, a type of the System.Memory.Data package that is not stubbed).
#pragma warning disable IDE0060 // placeholders ignore their parameters

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Azure
{
    public readonly struct ETag : IEquatable<ETag>
    {
        public static readonly ETag All = new("*");

        private readonly string? value;

        public ETag(string etag) => this.value = etag;

        public static bool operator ==(ETag left, ETag right) => left.Equals(right);

        public static bool operator !=(ETag left, ETag right) => !left.Equals(right);

        public bool Equals(ETag other) => string.Equals(this.value, other.value, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is ETag other && this.Equals(other);

        public bool Equals(string? other) => string.Equals(this.value, other, StringComparison.Ordinal);

        public override int GetHashCode() => this.value?.GetHashCode(StringComparison.Ordinal) ?? 0;

        public override string ToString() => this.value ?? string.Empty;

        public string ToString(string format) => this.value ?? string.Empty;
    }

    public class MatchConditions
    {
        public ETag? IfMatch { get; set; }

        public ETag? IfNoneMatch { get; set; }
    }

    public class RequestConditions : MatchConditions
    {
        public DateTimeOffset? IfModifiedSince { get; set; }

        public DateTimeOffset? IfUnmodifiedSince { get; set; }
    }

    public class RequestFailedException : Exception
    {
        public RequestFailedException(string message)
            : base(message)
        {
        }

        public RequestFailedException(string message, Exception? innerException)
            : base(message, innerException)
        {
        }

        public string? ErrorCode { get; }

        public int Status { get; }

        public Response? GetRawResponse() => throw new NotSupportedException("compile-check stub");
    }

    public abstract class Response : IDisposable
    {
        public abstract int Status { get; }

        public virtual Azure.Core.ResponseHeaders Headers => throw new NotSupportedException("compile-check stub");

        public abstract string ReasonPhrase { get; }

        public virtual bool IsError => throw new NotSupportedException("compile-check stub");

        public abstract void Dispose();
    }

    public abstract class AsyncPageable<T> : IAsyncEnumerable<T>
        where T : notnull
    {
        protected AsyncPageable()
        {
        }

        protected AsyncPageable(CancellationToken cancellationToken)
        {
        }

        protected virtual CancellationToken CancellationToken => throw new NotSupportedException("compile-check stub");

        public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

        public virtual IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => throw new NotSupportedException("compile-check stub");
    }

    public abstract class Page<T>
    {
        public abstract string? ContinuationToken { get; }

        public abstract IReadOnlyList<T> Values { get; }

        public abstract Response GetRawResponse();
    }

    public abstract class NullableResponse<T>
    {
        public abstract bool HasValue { get; }

        public abstract T? Value { get; }

        public abstract Response GetRawResponse();
    }

    public abstract class Response<T> : NullableResponse<T>
    {
        public override bool HasValue => throw new NotSupportedException("compile-check stub");

        public override T Value => throw new NotSupportedException("compile-check stub");

        public static implicit operator T(Response<T> response) => throw new NotSupportedException("compile-check stub");
    }
}

namespace Azure.Core
{
    public abstract class TokenCredential
    {
    }

    // The real struct also enumerates Azure.Core.HttpHeader values (IEnumerable<HttpHeader>); left out.
    public readonly struct ResponseHeaders
    {
        public int? ContentLength => throw new NotSupportedException("compile-check stub");

        public long? ContentLengthLong => throw new NotSupportedException("compile-check stub");

        public string? ContentType => throw new NotSupportedException("compile-check stub");

        public DateTimeOffset? Date => throw new NotSupportedException("compile-check stub");

        public ETag? ETag => throw new NotSupportedException("compile-check stub");

        public string? RequestId => throw new NotSupportedException("compile-check stub");

        public bool Contains(string name) => throw new NotSupportedException("compile-check stub");

        public bool TryGetValue(string name, [NotNullWhen(true)] out string? value) => throw new NotSupportedException("compile-check stub");

        public bool TryGetValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values) => throw new NotSupportedException("compile-check stub");
    }
}

namespace Azure.Core.Serialization
{
    public abstract class ObjectSerializer
    {
        public abstract object? Deserialize(Stream stream, Type returnType, CancellationToken cancellationToken);

        public abstract ValueTask<object?> DeserializeAsync(Stream stream, Type returnType, CancellationToken cancellationToken);

        public abstract void Serialize(Stream stream, object? value, Type inputType, CancellationToken cancellationToken);


        public abstract ValueTask SerializeAsync(Stream stream, object? value, Type inputType, CancellationToken cancellationToken);

    }

    [RequiresDynamicCode("This class uses reflection-based JSON serialization and deserialization that is not compatible with trimming.")]
    public class JsonObjectSerializer : ObjectSerializer
    {
        public JsonObjectSerializer()
        {
        }

        public JsonObjectSerializer(JsonSerializerOptions options)
        {
        }

        public static JsonObjectSerializer Default => throw new NotSupportedException("compile-check stub");

        public override object? Deserialize(Stream stream, Type returnType, CancellationToken cancellationToken) =>
            throw new NotSupportedException("compile-check stub");

        public override ValueTask<object?> DeserializeAsync(Stream stream, Type returnType, CancellationToken cancellationToken) =>
            throw new NotSupportedException("compile-check stub");

        public override void Serialize(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
            throw new NotSupportedException("compile-check stub");

        public override ValueTask SerializeAsync(Stream stream, object? value, Type inputType, CancellationToken cancellationToken) =>
            throw new NotSupportedException("compile-check stub");
    }
}
