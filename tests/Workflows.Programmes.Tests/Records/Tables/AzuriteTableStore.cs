using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// A small <see cref="ITableStore"/> over the Table service REST API (OData JSON, minimal metadata, Shared Key Lite),
/// written for Azurite. It checks nothing itself beyond what the Azure SDK checks locally (an empty transaction), so
/// the conformance suite sees the emulator's own answers.
/// </summary>
public sealed partial class AzuriteTableStore : ITableStore, IDisposable
{
    /// <summary>Azurite's development account name, published in the Azurite and Azure Storage documentation.</summary>
    public const string Account = "devstoreaccount1";

    // Azurite's well-known development account key. It is a documented public value (the same on every machine,
    // printed in Microsoft's Azurite docs and the SDKs' emulator connection strings), not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string JsonAccept = "application/json;odata=minimalmetadata";
    private const string ApiVersion = "2019-02-02";
    private const string OdataType = "@odata.type";

    private static readonly byte[] Key = Convert.FromBase64String(AccountKey);

    private readonly HttpClient http;
    private readonly Uri serviceRoot;
    private readonly string table;

    public AzuriteTableStore(Uri endpoint, string table)
    {
        this.http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        this.serviceRoot = new Uri(endpoint, "/" + Account + "/");
        this.table = table;
    }

    public void Dispose() => this.http.Dispose();

    public async Task CreateTableAsync(CancellationToken cancellationToken = default)
    {
        using var request = this.Request(HttpMethod.Post, "Tables");
        request.Content = JsonContent(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = this.table }));
        request.Headers.Add("Prefer", "return-no-content");
        using var response = await this.http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, null, cancellationToken);
        }
    }

    public async Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        using var request = this.Request(HttpMethod.Get, this.EntityPath(partitionKey, rowKey));
        using var response = await this.http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && await ErrorCodeAsync(response, cancellationToken) == "ResourceNotFound")
        {
            return null;
        }

        await EnsureSuccessAsync(response, (partitionKey, rowKey), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return ReadRow(json.RootElement);
    }

    public async Task<TablePage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, TableQuery.MaxPageSize, nameof(query));
        string filter = $"PartitionKey eq {Literal(query.PartitionKey)}";
        if (query.RowKeyFrom is not null)
        {
            filter += $" and RowKey ge {Literal(query.RowKeyFrom)}";
        }

        if (query.RowKeyTo is not null)
        {
            filter += $" and RowKey lt {Literal(query.RowKeyTo)}";
        }

        string queryString = $"?$filter={Uri.EscapeDataString(filter)}&$top={query.PageSize.ToString(CultureInfo.InvariantCulture)}";
        if (query.Continuation is { } token)
        {
            string[] parts = token.Split('\n');
            queryString += $"&NextPartitionKey={Uri.EscapeDataString(parts[0])}&NextRowKey={Uri.EscapeDataString(parts[1])}";
        }

        using var request = this.Request(HttpMethod.Get, this.table + "()", queryString);
        using var response = await this.http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, null, cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var rows = json.RootElement.GetProperty("value").EnumerateArray().Select(ReadRow).ToList();
        string? nextPk = Header(response, "x-ms-continuation-NextPartitionKey");
        string? nextRk = Header(response, "x-ms-continuation-NextRowKey");
        return new TablePage(rows, nextPk is null ? null : nextPk + "\n" + (nextRk ?? string.Empty));
    }

    public Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default) =>
        this.WriteAsync(HttpMethod.Post, this.table, row, null, cancellationToken);

    public Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default) =>
        this.WriteAsync(HttpMethod.Put, this.EntityPath(row.PartitionKey, row.RowKey), row, null, cancellationToken);

    public Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default) =>
        this.WriteAsync(HttpMethod.Put, this.EntityPath(row.PartitionKey, row.RowKey), row, ifMatch, cancellationToken);

    public async Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default)
    {
        using var request = this.Request(HttpMethod.Delete, this.EntityPath(partitionKey, rowKey));
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await this.http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, (partitionKey, rowKey), cancellationToken);
    }

    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            // As the Azure SDK does: an empty change set is refused before it is sent.
            throw new TableInvalidInputException("InvalidInput", "A transaction needs at least one operation.");
        }

        string batch = "batch_" + Guid.NewGuid().ToString("N");
        string changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var operation in operations)
        {
            var row = operation.Row;
            (string method, string path) = operation.Kind switch
            {
                TableOperationKind.Insert => ("POST", this.table),
                TableOperationKind.Delete => ("DELETE", this.EntityPath(row.PartitionKey, row.RowKey)),
                _ => ("PUT", this.EntityPath(row.PartitionKey, row.RowKey)),
            };
            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(new Uri(this.serviceRoot, path).AbsoluteUri).Append(" HTTP/1.1\r\n")
                .Append("Accept: ").Append(JsonAccept).Append("\r\nDataServiceVersion: 3.0\r\n");
            if (operation.IfMatch is { } ifMatch)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (operation.Kind == TableOperationKind.Delete)
            {
                body.Append("\r\n");
            }
            else
            {
                body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n")
                    .Append(Encoding.UTF8.GetString(WriteRow(row))).Append("\r\n");
            }
        }

        body.Append("--").Append(changeset).Append("--\r\n--").Append(batch).Append("--\r\n");

        using var request = this.Request(HttpMethod.Post, "$batch");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToString()));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=" + batch);
        using var response = await this.http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, null, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);

        // Each change-set response part is "HTTP/1.1 <status> ...", headers, a blank line and an optional body.
        var parts = ResponsePart().Matches(text);
        foreach (Match part in parts)
        {
            int status = int.Parse(part.Groups["status"].Value, CultureInfo.InvariantCulture);
            if (status >= 300)
            {
                string json = part.Groups["body"].Value.Trim();
                (string code, string message) = ParseError(json);
                var index = IndexPrefix().Match(message);
                int? failed = index.Success ? int.Parse(index.Groups[1].Value, CultureInfo.InvariantCulture) : null;
                var keys = failed is { } f && f < operations.Count ? (operations[f].Row.PartitionKey, operations[f].Row.RowKey) : ("?", "?");
                throw Map(status, code, message, keys, failed);
            }
        }

        if (parts.Count != operations.Count)
        {
            throw new InvalidOperationException($"The batch response holds {parts.Count} parts for {operations.Count} operations:\n{text}");
        }

        return parts.Select((p, i) => operations[i].Kind == TableOperationKind.Delete ? null : EtagOf(p.Groups["headers"].Value)).ToList();
    }

    private static string? EtagOf(string headers) =>
        headers.Split("\r\n").Where(h => h.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase)).Select(h => h[5..].Trim()).FirstOrDefault();

    private async Task<string> WriteAsync(HttpMethod method, string path, TableRow row, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = this.Request(method, path);
        request.Content = JsonContent(WriteRow(row));
        request.Headers.Add("Prefer", "return-no-content");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await this.http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, (row.PartitionKey, row.RowKey), cancellationToken);
        return Header(response, "ETag") ?? throw new InvalidOperationException($"{method} {path} answered without an ETag.");
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string queryString = "")
    {
        var uri = new Uri(this.serviceRoot, path + queryString);
        var request = new HttpRequestMessage(method, uri);
        string date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", ApiVersion);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.TryAddWithoutValidation("Accept", JsonAccept);

        // Shared Key Lite for the Table service: the date and the canonicalized resource "/account/path".
        string stringToSign = date + "\n/" + Account + uri.AbsolutePath;
        string signature = Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {Account}:{signature}");
        return request;
    }

    private string EntityPath(string partitionKey, string rowKey) =>
        $"{this.table}(PartitionKey={Uri.EscapeDataString(Literal(partitionKey))},RowKey={Uri.EscapeDataString(Literal(rowKey))})";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static ByteArrayContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return content;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static byte[] WriteRow(TableRow row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", row.PartitionKey);
            writer.WriteString("RowKey", row.RowKey);
            foreach (var (name, value) in row.Properties)
            {
                switch (value.Kind)
                {
                    case TableValueKind.String:
                        writer.WriteString(name, value.AsString());
                        break;
                    case TableValueKind.Boolean:
                        writer.WriteBoolean(name, value.AsBoolean());
                        break;
                    case TableValueKind.Int32:
                        writer.WriteNumber(name, value.AsInt32());
                        break;
                    case TableValueKind.Int64:
                        writer.WriteString(name, value.AsInt64().ToString(CultureInfo.InvariantCulture));
                        writer.WriteString(name + OdataType, "Edm.Int64");
                        break;
                    case TableValueKind.Double:
                        double d = value.AsDouble();
                        if (double.IsFinite(d))
                        {
                            writer.WriteNumber(name, d);
                        }
                        else
                        {
                            writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                        }

                        writer.WriteString(name + OdataType, "Edm.Double");
                        break;
                    case TableValueKind.DateTime:
                        writer.WriteString(name, value.AsDateTime().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                        writer.WriteString(name + OdataType, "Edm.DateTime");
                        break;
                    case TableValueKind.Guid:
                        writer.WriteString(name, value.AsGuid().ToString("D"));
                        writer.WriteString(name + OdataType, "Edm.Guid");
                        break;
                    case TableValueKind.Binary:
                        writer.WriteString(name, Convert.ToBase64String(value.AsBinary()));
                        writer.WriteString(name + OdataType, "Edm.Binary");
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown kind {value.Kind}.");
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static TableRow ReadRow(JsonElement json)
    {
        var row = new TableRow(json.GetProperty("PartitionKey").GetString()!, json.GetProperty("RowKey").GetString()!);
        foreach (var property in json.EnumerateObject())
        {
            string name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.EndsWith(OdataType, StringComparison.Ordinal))
            {
                continue;
            }

            if (name == "Timestamp")
            {
                row.Timestamp = DateTimeOffset.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                continue;
            }

            string? type = json.TryGetProperty(name + OdataType, out var t) ? t.GetString() : null;
            var v = property.Value;
            row[name] = type switch
            {
                "Edm.Int64" => long.Parse(v.GetString()!, CultureInfo.InvariantCulture),
                "Edm.Double" when v.ValueKind == JsonValueKind.String => v.GetString() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    var s => double.Parse(s!, CultureInfo.InvariantCulture),
                },
                "Edm.Double" => v.GetDouble(),
                "Edm.DateTime" => DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
                "Edm.Guid" => Guid.Parse(v.GetString()!),
                "Edm.Binary" => Convert.FromBase64String(v.GetString()!),
                _ => v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString()!,
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,

                    // Without an annotation a number is Int32 unless written as a double ("3.0", "1e5").
                    JsonValueKind.Number when v.GetRawText().AsSpan().IndexOfAny(".eE") < 0 => v.GetInt32(),
                    JsonValueKind.Number => v.GetDouble(),
                    _ => throw new InvalidOperationException($"Unexpected JSON for property '{name}': {v.GetRawText()}"),
                },
            };
        }

        row.ETag = json.TryGetProperty("odata.etag", out var etag) ? etag.GetString() : null;
        return row;
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Header(response, "x-ms-error-code") ?? ParseError(await response.Content.ReadAsStringAsync(cancellationToken)).Code;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, (string Pk, string Rk)? keys, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        (string code, string message) = ParseError(body);
        code = Header(response, "x-ms-error-code") ?? code;
        throw Map((int)response.StatusCode, code, message, keys ?? ("?", "?"), null);
    }

    private static Exception Map(int status, string code, string message, (string Pk, string Rk) keys, int? index) => (status, code) switch
    {
        (409, "EntityAlreadyExists") => new TableEntityExistsException(keys.Pk, keys.Rk, index),
        (412, _) => new TableConditionFailedException(keys.Pk, keys.Rk, index),
        (404, "ResourceNotFound") => new TableEntityNotFoundException(keys.Pk, keys.Rk, index),
        (400 or 413, _) => new TableInvalidInputException(code, $"Azurite refused the request ({status} {code}): {message}", index, status),
        _ => new HttpRequestException($"Azurite answered {status} {code}: {message}"),
    };

    private static (string Code, string Message) ParseError(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var error = doc.RootElement.GetProperty("odata.error");
            return (error.GetProperty("code").GetString() ?? string.Empty, error.GetProperty("message").GetProperty("value").GetString() ?? string.Empty);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (string.Empty, json);
        }
    }

    [GeneratedRegex(@"HTTP/1\.1 (?<status>\d{3})[^\r\n]*\r\n(?<headers>(?:[^\r\n]+\r\n)*)\r\n(?<body>(?:(?!--(?:changesetresponse|batchresponse))[\s\S])*)")]
    private static partial Regex ResponsePart();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
