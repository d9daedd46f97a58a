using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflows.Programmes.Records.Tables;

/// <summary>
/// An <see cref="ITableStore"/> over the Azure Table service's REST API (OData JSON with minimal metadata), for Azure
/// Storage and for Azurite. Authenticates with Shared Key Lite (account name and key) or with a shared access
/// signature, which is appended to every request and nothing is signed.
/// </summary>
/// <remarks>
/// <para>It checks nothing itself beyond what the Azure SDK checks locally (an empty transaction), so the service's own
/// answers reach the caller: 409 <c>EntityAlreadyExists</c>, 412 and 404 <c>ResourceNotFound</c> become the
/// <see cref="TableStoreException"/> types, 400 and 413 <see cref="TableInvalidInputException"/>, anything else an
/// <see cref="HttpRequestException"/> with the status and the service's error code.</para>
/// <para>Reads (<see cref="GetAsync"/>, <see cref="QueryAsync"/>) are tried again after a 500, a 503, a network error or
/// a timeout, up to <see cref="MaxReadAttempts"/> times. Writes are sent once: whether a write whose answer was lost
/// went in is the caller's question (the records replica reads the log position back).</para>
/// <para>Thread-safe; one instance per table and process is enough.</para>
/// </remarks>
public sealed partial class RestTableStore : ITableStore, IDisposable
{
    /// <summary>The development account of Azurite and the storage emulator, published in Microsoft's Azurite documentation.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>
    /// The development account's key. A documented public value (the same on every machine, printed in the Azurite
    /// documentation and the SDKs' <c>UseDevelopmentStorage=true</c> connection strings), not a secret.
    /// </summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string JsonAccept = "application/json;odata=minimalmetadata";
    private const string ApiVersion = "2019-02-02";
    private const string OdataType = "@odata.type";

    private readonly HttpClient http;
    private readonly Uri serviceRoot;
    private readonly string table;
    private readonly string? account;
    private readonly byte[]? key;
    private readonly string? sas;
    private readonly TimeProvider time;

    /// <summary>Initializes a store that signs its requests with the account key (Shared Key Lite).</summary>
    /// <param name="tableEndpoint">
    /// The Table service endpoint: <c>https://{account}.table.core.windows.net</c>, or for Azurite the path-style
    /// <c>http://127.0.0.1:{port}/devstoreaccount1</c>.
    /// </param>
    /// <param name="accountName">The storage account's name.</param>
    /// <param name="accountKey">The account key (base64).</param>
    /// <param name="table">The table's name (3 to 63 letters and digits, starting with a letter).</param>
    /// <param name="handler">The HTTP handler (tests record requests with it); a new one when null. The caller keeps ownership of a given handler.</param>
    /// <param name="time">The clock for the request dates; the system clock when null.</param>
    /// <exception cref="ArgumentException">An argument is missing or malformed; the message never contains the key.</exception>
    public RestTableStore(Uri tableEndpoint, string accountName, string accountKey, string table, HttpMessageHandler? handler = null, TimeProvider? time = null)
        : this(tableEndpoint, table, handler, time)
    {
        if (string.IsNullOrWhiteSpace(accountName))
        {
            throw new ArgumentException("The account name is missing.", nameof(accountName));
        }

        this.account = accountName;
        this.key = DecodeKey(accountKey, nameof(accountKey));
    }

    private RestTableStore(Uri tableEndpoint, string table, HttpMessageHandler? handler, TimeProvider? time, string? sharedAccessSignature = null)
    {
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        if (!tableEndpoint.IsAbsoluteUri || (tableEndpoint.Scheme != Uri.UriSchemeHttp && tableEndpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The table endpoint must be an absolute http or https address.", nameof(tableEndpoint));
        }

        if (!string.IsNullOrEmpty(tableEndpoint.Query))
        {
            throw new ArgumentException("The table endpoint must not carry a query; give a shared access signature as SharedAccessSignature.", nameof(tableEndpoint));
        }

        ValidateTableName(table);
        this.table = table;
        this.sas = sharedAccessSignature;
        this.time = time ?? TimeProvider.System;
        this.serviceRoot = new Uri(tableEndpoint.AbsoluteUri.TrimEnd('/') + "/");
        this.http = handler is null
            ? new HttpClient { Timeout = TimeSpan.FromSeconds(100) }
            : new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>Gets the table's name.</summary>
    public string TableName => this.table;

    /// <summary>Gets the Table service endpoint the store talks to (without any shared access signature).</summary>
    public Uri ServiceEndpoint => this.serviceRoot;

    /// <summary>Gets or sets how many times a read is sent at most when the service answers 500 or 503 or the network fails (4 unless set; 1 = no retry).</summary>
    public int MaxReadAttempts { get; set; } = 4;

    /// <summary>Gets or sets the wait before the first read retry; it doubles with each further retry (500 ms unless set).</summary>
    public TimeSpan ReadRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Creates a store from an Azure Storage connection string. Accepted forms:
    /// <c>UseDevelopmentStorage=true</c> (Azurite on <c>http://127.0.0.1:10002/devstoreaccount1</c> with the published
    /// development account); <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net</c>
    /// (or with <c>TableEndpoint=…</c> instead of protocol and suffix); and <c>TableEndpoint=…;SharedAccessSignature=…</c>.
    /// Other settings (<c>BlobEndpoint</c>, <c>QueueEndpoint</c>, …) are ignored.
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="table">The table's name.</param>
    /// <param name="handler">The HTTP handler; a new one when null. The caller keeps ownership of a given handler.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The connection string lacks a setting or has a malformed one; the message names it and never contains a key or signature.</exception>
    public static RestTableStore FromConnectionString(string connectionString, string table, HttpMessageHandler? handler = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The storage connection string is empty.", nameof(connectionString));
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int index = 0;
        foreach (string part in connectionString.Split(';'))
        {
            index++;
            if (string.IsNullOrWhiteSpace(part))
            {
                continue;
            }

            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // The part is not echoed: it may be a piece of a key.
                throw new ArgumentException($"Part {index.ToString(CultureInfo.InvariantCulture)} of the storage connection string is not Name=value.", nameof(connectionString));
            }

            string name = part[..eq].Trim();
            if (!settings.TryAdd(name, part[(eq + 1)..].Trim()))
            {
                throw new ArgumentException($"The storage connection string sets {name} twice.", nameof(connectionString));
            }
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out string? development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("UseDevelopmentStorage must be 'true' when it is set.", nameof(connectionString));
            }

            return new RestTableStore(new Uri("http://127.0.0.1:10002/" + DevelopmentAccount), DevelopmentAccount, DevelopmentAccountKey, table, handler);
        }

        settings.TryGetValue("AccountName", out string? accountName);
        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out string? tableEndpoint))
        {
            if (!Uri.TryCreate(tableEndpoint, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("TableEndpoint in the storage connection string is not an absolute http or https address.", nameof(connectionString));
            }

            endpoint = parsed;
        }
        else
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new ArgumentException("The storage connection string has neither TableEndpoint nor AccountName, so there is no table endpoint.", nameof(connectionString));
            }

            string protocol = settings.TryGetValue("DefaultEndpointsProtocol", out string? p) ? p.ToLowerInvariant() : "https";
            if (protocol is not ("http" or "https"))
            {
                throw new ArgumentException("DefaultEndpointsProtocol in the storage connection string must be http or https.", nameof(connectionString));
            }

            string suffix = settings.TryGetValue("EndpointSuffix", out string? s) && s.Length > 0 ? s : "core.windows.net";
            if (!Uri.TryCreate($"{protocol}://{accountName}.table.{suffix}", UriKind.Absolute, out var built))
            {
                throw new ArgumentException("AccountName and EndpointSuffix in the storage connection string do not make a valid table endpoint.", nameof(connectionString));
            }

            endpoint = built;
        }

        if (settings.TryGetValue("AccountKey", out string? accountKey))
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new ArgumentException("The storage connection string has an AccountKey but no AccountName.", nameof(connectionString));
            }

            try
            {
                return new RestTableStore(endpoint, accountName, accountKey, table, handler);
            }
            catch (ArgumentException ex) when (ex.ParamName == "accountKey")
            {
                throw new ArgumentException("AccountKey in the storage connection string is not valid base64.", nameof(connectionString));
            }
        }

        if (settings.TryGetValue("SharedAccessSignature", out string? signature))
        {
            signature = signature.TrimStart('?');
            if (signature.Length == 0)
            {
                throw new ArgumentException("SharedAccessSignature in the storage connection string is empty.", nameof(connectionString));
            }

            return new RestTableStore(endpoint, table, handler, null, signature);
        }

        throw new ArgumentException("The storage connection string has neither AccountKey nor SharedAccessSignature, so requests cannot be authorized.", nameof(connectionString));
    }

    /// <summary>Creates a store that appends a shared access signature to every request and signs nothing.</summary>
    /// <param name="tableEndpoint">The Table service endpoint.</param>
    /// <param name="sharedAccessSignature">The signature's query (with or without the leading <c>?</c>).</param>
    /// <param name="table">The table's name.</param>
    /// <param name="handler">The HTTP handler; a new one when null. The caller keeps ownership of a given handler.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">An argument is missing or malformed.</exception>
    public static RestTableStore WithSharedAccessSignature(Uri tableEndpoint, string sharedAccessSignature, string table, HttpMessageHandler? handler = null)
    {
        if (string.IsNullOrWhiteSpace(sharedAccessSignature) || sharedAccessSignature.TrimStart('?').Length == 0)
        {
            throw new ArgumentException("The shared access signature is empty.", nameof(sharedAccessSignature));
        }

        return new RestTableStore(tableEndpoint, table, handler, null, sharedAccessSignature.Trim().TrimStart('?'));
    }

    /// <inheritdoc/>
    public void Dispose() => this.http.Dispose();

    /// <summary>Creates the table unless it exists.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the table was created, false when it existed (409 <c>TableAlreadyExists</c>).</returns>
    /// <exception cref="HttpRequestException">The service refused (e.g. 403 for a signature without create permission).</exception>
    public async Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var request = this.Request(HttpMethod.Post, "Tables");
        request.Content = JsonContent(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = this.table }));
        request.Headers.Add("Prefer", "return-no-content");
        using var response = await this.http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            string? code = await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
            if (code is "TableAlreadyExists" or null or "")
            {
                return false;
            }
        }

        await EnsureSuccessAsync(response, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        string path = this.EntityPath(partitionKey, rowKey);
        using var response = await this.ReadAsync(() => this.Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound && await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false) == "ResourceNotFound")
        {
            return null;
        }

        await EnsureSuccessAsync(response, (partitionKey, rowKey), cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return ReadRow(json.RootElement);
    }

    /// <inheritdoc/>
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
            if (parts.Length != 2)
            {
                throw new ArgumentException("The continuation token does not come from this store.", nameof(query));
            }

            queryString += $"&NextPartitionKey={Uri.EscapeDataString(parts[0])}&NextRowKey={Uri.EscapeDataString(parts[1])}";
        }

        using var response = await this.ReadAsync(() => this.Request(HttpMethod.Get, this.table + "()", queryString), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, null, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        var rows = json.RootElement.GetProperty("value").EnumerateArray().Select(ReadRow).ToList();
        string? nextPk = Header(response, "x-ms-continuation-NextPartitionKey");
        string? nextRk = Header(response, "x-ms-continuation-NextRowKey");
        return new TablePage(rows, nextPk is null ? null : nextPk + "\n" + (nextRk ?? string.Empty));
    }

    /// <inheritdoc/>
    public Task<string> InsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        return this.WriteAsync(HttpMethod.Post, this.table, row, null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<string> UpsertAsync(TableRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        return this.WriteAsync(HttpMethod.Put, this.EntityPath(row.PartitionKey, row.RowKey), row, null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<string> UpdateAsync(TableRow row, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        return this.WriteAsync(HttpMethod.Put, this.EntityPath(row.PartitionKey, row.RowKey), row, ifMatch, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var request = this.Request(HttpMethod.Delete, this.EntityPath(partitionKey, rowKey));
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await this.http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, (partitionKey, rowKey), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            // As the Azure SDK does: an empty change set is refused before it is sent.
            throw new TableInvalidInputException("InvalidInput", "A transaction needs at least one operation.");
        }

        string batch = "batch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string changeset = "changeset_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
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

            // The parts carry no signature: the outer request is the one authorized.
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
        using var response = await this.http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, null, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

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

    private static byte[] DecodeKey(string accountKey, string parameter)
    {
        if (string.IsNullOrWhiteSpace(accountKey))
        {
            throw new ArgumentException("The account key is missing.", parameter);
        }

        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new ArgumentException("The account key is not valid base64.", parameter);
        }
    }

    private static void ValidateTableName(string table)
    {
        if (table is null || !TableNamePattern().IsMatch(table))
        {
            throw new ArgumentException($"'{table}' is not a table name: 3 to 63 letters and digits, starting with a letter.", nameof(table));
        }
    }

    private static string? EtagOf(string headers) =>
        headers.Split("\r\n").Where(h => h.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase)).Select(h => h[5..].Trim()).FirstOrDefault();

    private static bool Transient(HttpStatusCode status) => status is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable;

    /// <summary>Sends an idempotent read, again after a transient failure; the last failure's answer or exception reaches the caller.</summary>
    private async Task<HttpResponseMessage> ReadAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        int attempts = Math.Max(1, this.MaxReadAttempts);
        var delay = this.ReadRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            using var request = create();
            HttpResponseMessage response;
            try
            {
                response = await this.http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < attempts && !cancellationToken.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(delay, this.time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            if (attempt < attempts && Transient(response.StatusCode))
            {
                response.Dispose();
                await Task.Delay(delay, this.time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            return response;
        }
    }

    private async Task<string> WriteAsync(HttpMethod method, string path, TableRow row, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = this.Request(method, path);
        request.Content = JsonContent(WriteRow(row));
        request.Headers.Add("Prefer", "return-no-content");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await this.http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, (row.PartitionKey, row.RowKey), cancellationToken).ConfigureAwait(false);
        return Header(response, "ETag") ?? throw new InvalidOperationException($"{method} {path} answered without an ETag.");
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string queryString = "")
    {
        if (this.sas is not null)
        {
            queryString += (queryString.Length == 0 ? "?" : "&") + this.sas;
        }

        var uri = new Uri(this.serviceRoot, path + queryString);
        var request = new HttpRequestMessage(method, uri);
        string date = this.time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", ApiVersion);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.TryAddWithoutValidation("Accept", JsonAccept);
        if (this.key is not null)
        {
            // Shared Key Lite for the Table service: the date and the canonicalized resource "/account/path" (for
            // Azurite's path-style addresses the path starts with the account again, as the emulator expects).
            string stringToSign = date + "\n/" + this.account + uri.AbsolutePath;
            string signature = Convert.ToBase64String(HMACSHA256.HashData(this.key, Encoding.UTF8.GetBytes(stringToSign)));
            request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {this.account}:{signature}");
        }

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
        Header(response, "x-ms-error-code") ?? ParseError(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Code;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, (string Pk, string Rk)? keys, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        (string code, string message) = ParseError(body);
        code = Header(response, "x-ms-error-code") ?? code;
        throw Map((int)response.StatusCode, code, message, keys ?? ("?", "?"), null);
    }

    private static Exception Map(int status, string code, string message, (string Pk, string Rk) keys, int? index) => (status, code) switch
    {
        (409, "EntityAlreadyExists") => new TableEntityExistsException(keys.Pk, keys.Rk, index),
        (412, _) => new TableConditionFailedException(keys.Pk, keys.Rk, index),
        (404, "ResourceNotFound") => new TableEntityNotFoundException(keys.Pk, keys.Rk, index),
        (400 or 413, _) => new TableInvalidInputException(code, $"The table service refused the request ({status} {code}): {message}", index, status),
        (404, "TableNotFound") => new HttpRequestException($"The table does not exist (404 TableNotFound): {message}", null, HttpStatusCode.NotFound),
        (403, _) => new HttpRequestException($"The table service refused the credentials (403 {code}): {message}", null, HttpStatusCode.Forbidden),
        _ => new HttpRequestException($"The table service answered {status} {code}: {message}", null, (HttpStatusCode)status),
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

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
