using System.Net;
using System.Net.Http.Headers;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Http;

public sealed class KestrelHostFactory : WorkflowsHostFactory
{
    public KestrelHostFactory()
    {
        Settings["Workflows:Documents:MaxBytes"] = "4096";
        UseKestrel(0);
    }
}

/// <summary>The same host over a real socket (Kestrel on a loopback port), where request limits are enforced.</summary>
public sealed class RealHttpTests(KestrelHostFactory factory) : IClassFixture<KestrelHostFactory>
{
    private HttpClient Applicant()
    {
        factory.StartServer();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.Token(WorkflowRoles.Applicant, "a-1", "org-1"));
        return client;
    }

    [Fact]
    public async Task Health_OverLoopback_IsHealthy()
    {
        var client = Applicant();

        var response = await client.GetAsync("/health");

        Assert.True(client.BaseAddress!.IsLoopback && client.BaseAddress.Port != 80, $"expected a real loopback port, got {client.BaseAddress}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Upload_ChunkedBodyOverTheServerLimit_Is413Problem()
    {
        var client = Applicant();
        var form = new MultipartFormDataContent();
        var file = new StreamContent(new MemoryStream(new byte[3 * 1024 * 1024]));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "big.pdf");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        var stored = Directory.GetFiles(factory.DataPath, "*.bin", SearchOption.AllDirectories).Length;

        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(stored, Directory.GetFiles(factory.DataPath, "*.bin", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Upload_PdfOverLoopback_Is201()
    {
        var client = Applicant();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent([.. "%PDF-1.4\n"u8, .. new byte[100]]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "ok.pdf");

        var response = await client.PostAsync("/api/documents", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
