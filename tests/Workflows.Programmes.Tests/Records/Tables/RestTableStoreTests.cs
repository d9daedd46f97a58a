using System.Net;
using System.Text;
using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// <see cref="RestTableStore"/> without a service: connection strings, the authorization of its requests and the
/// retry of reads, seen through a recording handler. Its answers from a real service are checked by
/// <see cref="RestTableStoreConformanceTests"/> on Azurite.
/// </summary>
public sealed class RestTableStoreTests
{
    // A made-up key for the tests (base64 of 32 bytes), not any account's.
    private const string FakeKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private const string EmptyPage = """{"value":[]}""";

    [Fact]
    public async Task FromConnectionString_DevelopmentStorage_TalksToAzuriteDefaultPortWithDevelopmentAccount()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, EmptyPage);
        using var store = RestTableStore.FromConnectionString("UseDevelopmentStorage=true", "records", handler);

        await store.QueryAsync(new TableQuery("p"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1/records()", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.StartsWith("SharedKeyLite devstoreaccount1:", request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromConnectionString_AccountKeyAndSuffix_BuildsAccountEndpointAndSignsWithTheKey()
    {
        var handler = new RecordingHandler(HttpStatusCode.NotFound, """{"odata.error":{"code":"ResourceNotFound","message":{"value":"none"}}}""");
        using var store = RestTableStore.FromConnectionString(
            $"DefaultEndpointsProtocol=https;AccountName=bjdistrict;AccountKey={FakeKey};EndpointSuffix=core.chinacloudapi.cn", "records", handler);

        Assert.Null(await store.GetAsync("p", "r"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://bjdistrict.table.core.chinacloudapi.cn/records(PartitionKey='p',RowKey='r')", Uri.UnescapeDataString(request.Uri.AbsoluteUri));
        Assert.StartsWith("SharedKeyLite bjdistrict:", request.Authorization, StringComparison.Ordinal);
        Assert.Equal(new Uri("https://bjdistrict.table.core.chinacloudapi.cn/"), store.ServiceEndpoint);
    }

    [Fact]
    public void FromConnectionString_AccountKeyWithoutSuffix_UsesHttpsAndCoreWindowsNet()
    {
        using var store = RestTableStore.FromConnectionString($"AccountName=bjdistrict;AccountKey={FakeKey}", "records");

        Assert.Equal(new Uri("https://bjdistrict.table.core.windows.net/"), store.ServiceEndpoint);
        Assert.Equal("records", store.TableName);
    }

    [Fact]
    public void FromConnectionString_TableEndpointWins_OverProtocolAndSuffix()
    {
        using var store = RestTableStore.FromConnectionString(
            $"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey={FakeKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;", "records");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/"), store.ServiceEndpoint);
    }

    [Fact]
    public async Task FromConnectionString_SharedAccessSignature_AppendsItToEveryRequestWithoutAuthorization()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, EmptyPage);
        using var store = RestTableStore.FromConnectionString(
            "TableEndpoint=https://bjdistrict.table.core.windows.net/;SharedAccessSignature=?sv=2019-02-02&tn=records&sp=raud&sig=c2lnbmF0dXJl", "records", handler);

        await store.QueryAsync(new TableQuery("p", Continuation: "p\nr5"));
        handler.Next(HttpStatusCode.NoContent, string.Empty, ("ETag", "W/\"1\""));
        await store.UpsertAsync(new TableRow("p", "r") { ["V"] = 1 });
        handler.Next(HttpStatusCode.NoContent, string.Empty);
        await store.CreateTableIfNotExistsAsync();

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r =>
        {
            Assert.Null(r.Authorization);
            Assert.EndsWith("sv=2019-02-02&tn=records&sp=raud&sig=c2lnbmF0dXJl", r.Uri.Query, StringComparison.Ordinal);
        });
        Assert.Contains("NextRowKey=r5&sv=2019-02-02", handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Equal("?sv=2019-02-02&tn=records&sp=raud&sig=c2lnbmF0dXJl", handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task SharedAccessSignature_TransactionAndDelete_CarryItOnTheOuterRequestOnly()
    {
        const string Sas = "sv=2019-02-02&tn=records&sp=raud&sig=c2lnbmF0dXJl";
        const string BatchAnswer =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_1\r\n\r\n" +
            "--changesetresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\nETag: W/\"2\"\r\n\r\n\r\n--changesetresponse_1--\r\n--batchresponse_1--\r\n";
        var handler = new RecordingHandler(HttpStatusCode.Accepted, BatchAnswer);
        using var store = RestTableStore.WithSharedAccessSignature(new Uri("https://bjdistrict.table.core.windows.net"), "?" + Sas, "records", handler);

        var etags = await store.SubmitTransactionAsync([TableOperation.Upsert(new TableRow("p", "r") { ["V"] = 1 })]);
        handler.Next(HttpStatusCode.NoContent, string.Empty);
        await store.DeleteAsync("p", "r", "*");

        Assert.Equal(["W/\"2\""], etags);
        Assert.Equal("https://bjdistrict.table.core.windows.net/$batch?" + Sas, handler.Requests[0].Uri.AbsoluteUri);
        Assert.DoesNotContain("sig=", handler.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("PUT https://bjdistrict.table.core.windows.net/records(PartitionKey=", handler.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
        Assert.Equal("?" + Sas, handler.Requests[1].Uri.Query);
        Assert.All(handler.Requests, r => Assert.Null(r.Authorization));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountName=bjdistrict", "neither AccountKey nor SharedAccessSignature")]
    [InlineData("AccountKey=" + FakeKey, "neither TableEndpoint nor AccountName")]
    [InlineData("TableEndpoint=https://x.table.core.windows.net;AccountKey=" + FakeKey, "AccountKey but no AccountName")]
    [InlineData("AccountName=bjdistrict;AccountKey=not*base64!", "AccountKey in the storage connection string is not valid base64")]
    [InlineData("TableEndpoint=table.core.windows.net;SharedAccessSignature=sig=abc", "TableEndpoint in the storage connection string is not an absolute http or https address")]
    [InlineData("TableEndpoint=https://x.table.core.windows.net;SharedAccessSignature=?", "SharedAccessSignature in the storage connection string is empty")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage must be 'true'")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=a;AccountKey=" + FakeKey, "DefaultEndpointsProtocol")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=" + FakeKey, "sets AccountName twice")]
    [InlineData("AccountName=bjdistrict;c2VjcmV0a2V5", "Part 2 of the storage connection string is not Name=value")]
    public void FromConnectionString_Invalid_ThrowsNamingTheProblemWithoutTheKey(string connectionString, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RestTableStore.FromConnectionString(connectionString, "records"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("connectionString", ex.ParamName);
        Assert.DoesNotContain(FakeKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base64!", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0a2V5", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("re")]
    [InlineData("1records")]
    [InlineData("records-log")]
    public void FromConnectionString_BadTableName_ThrowsNamingTheRule(string table)
    {
        var ex = Assert.Throws<ArgumentException>(() => RestTableStore.FromConnectionString("UseDevelopmentStorage=true", table));

        Assert.Contains($"'{table}' is not a table name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ServiceUnavailableThenFound_RetriesAndReturnsTheRow()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, string.Empty);
        using var store = NewStore(handler);
        handler.Then(HttpStatusCode.InternalServerError, string.Empty);
        handler.Then(HttpStatusCode.OK, """{"PartitionKey":"p","RowKey":"r","V":7,"odata.etag":"W/\"1\""}""");

        var row = await store.GetAsync("p", "r");

        Assert.Equal(7, row!.GetInt32("V"));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Query_NetworkErrorEveryTime_GivesUpAfterMaxReadAttempts()
    {
        var handler = new RecordingHandler(new HttpRequestException("connection refused"));
        using var store = NewStore(handler);

        await Assert.ThrowsAsync<HttpRequestException>(() => store.QueryAsync(new TableQuery("p")));

        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task Insert_ServiceUnavailable_IsSentOnceAndThrowsWithTheStatus()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, """{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}""");
        using var store = NewStore(handler);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => store.InsertAsync(new TableRow("p", "r")));

        Assert.Single(handler.Requests);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("503 ServerBusy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transaction_NetworkError_IsSentOnce()
    {
        var handler = new RecordingHandler(new HttpRequestException("connection reset"));
        using var store = NewStore(handler);

        await Assert.ThrowsAsync<HttpRequestException>(() => store.SubmitTransactionAsync([TableOperation.Insert(new TableRow("p", "r"))]));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task CreateTableIfNotExists_TableAlreadyExists_ReturnsFalse()
    {
        var handler = new RecordingHandler(HttpStatusCode.Conflict, """{"odata.error":{"code":"TableAlreadyExists","message":{"value":"exists"}}}""");
        using var store = NewStore(handler);

        Assert.False(await store.CreateTableIfNotExistsAsync());
        Assert.Equal(HttpMethod.Post, Assert.Single(handler.Requests).Method);
    }

    [Fact]
    public async Task Get_TableMissing_ThrowsSayingTheTableDoesNotExist()
    {
        var handler = new RecordingHandler(HttpStatusCode.NotFound, """{"odata.error":{"code":"TableNotFound","message":{"value":"The table specified does not exist."}}}""");
        using var store = NewStore(handler);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => store.GetAsync("p", "r"));

        Assert.Contains("The table does not exist", ex.Message, StringComparison.Ordinal);
    }

    private static RestTableStore NewStore(RecordingHandler handler) =>
        new(new Uri("http://127.0.0.1:10002/devstoreaccount1"), RestTableStore.DevelopmentAccount, RestTableStore.DevelopmentAccountKey, "records", handler)
        {
            ReadRetryDelay = TimeSpan.Zero,
        };

    /// <summary>Records each request and answers from a queue; the last answer repeats.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        private readonly Queue<Func<HttpResponseMessage>> answers = new();
        private Func<HttpResponseMessage> last;

        public RecordingHandler(HttpStatusCode status, string body) => this.last = Answer(status, body);

        public RecordingHandler(HttpRequestException failure) => this.last = () => throw failure;

        public List<(HttpMethod Method, Uri Uri, string? Authorization, string Body)> Requests { get; } = [];

        /// <summary>Queues an answer after the current one (the first answer is the constructor's).</summary>
        public void Then(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
        {
            this.answers.Enqueue(this.last);
            this.last = Answer(status, body, headers);
        }

        /// <summary>Answers every following request with this.</summary>
        public void Next(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
        {
            this.answers.Clear();
            this.last = Answer(status, body, headers);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            this.Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
            var answer = this.answers.Count > 0 ? this.answers.Dequeue() : this.last;
            return answer();
        }

        private static Func<HttpResponseMessage> Answer(HttpStatusCode status, string body, params (string Name, string Value)[] headers) => () =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        };
    }
}
