using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Workflows.Service.Documents;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Security;

namespace Workflows.Host.Tests.Apis;

public sealed class DocumentsApiFactory : WorkflowsHostFactory
{
    public DocumentsApiFactory() => Settings["Workflows:Documents:MaxBytes"] = "4096";
}

public sealed class DocumentsApiTests(DocumentsApiFactory factory) : IClassFixture<DocumentsApiFactory>
{
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n"u8, .. RandomNumberGenerator.GetBytes(200)];

    private static MultipartFormDataContent Form(byte[] bytes, string contentType = "application/pdf", string fileName = "营业执照.pdf", string field = "file", string? boundary = null)
    {
        var form = boundary is null ? new MultipartFormDataContent() : new MultipartFormDataContent(boundary);
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, field, fileName);
        return form;
    }

    private async Task<StoredDocument> UploadAsync(HttpClient client, byte[]? bytes = null)
    {
        var response = await client.PostAsync("/api/documents", Form(bytes ?? Pdf));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StoredDocument>())!;
    }

    [Fact]
    public async Task Upload_Pdf_Is201WithLocationHashAndSize()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form(Pdf));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<StoredDocument>())!;
        Assert.Equal($"/api/documents/{document.Id}", response.Headers.Location?.ToString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), document.Sha256);
        Assert.Equal(Pdf.Length, document.Size);
        Assert.Equal("营业执照.pdf", document.FileName);
        Assert.Equal("org-a", document.Organisation);
        var content = await client.GetAsync($"/api/documents/{document.Id}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("application/pdf", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pdf, await content.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_Anonymous_Is401AndStoresNothing()
    {
        var before = Directory.GetFiles(factory.DataPath, "*.bin", SearchOption.AllDirectories).Length;

        var response = await factory.CreateClient().PostAsync("/api/documents", Form(Pdf));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(before, Directory.GetFiles(factory.DataPath, "*.bin", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413Problem()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form([.. Pdf, .. new byte[4096]]));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The document is larger than the limit of 4096 bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Upload_ExecutableType_Is415Problem()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form(Pdf, "application/x-msdownload", "setup.exe"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.StartsWith("Content type 'application/x-msdownload' is not accepted.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Upload_PdfBytesDeclaredPng_Is422Problem()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form(Pdf, "image/png", "photo.png"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Upload_NotMultipart_Is415Problem()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");
        var body = new ByteArrayContent(Pdf);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");

        var response = await client.PostAsync("/api/documents", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Upload_NoFileField_Is400Problem()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form(Pdf, field: "attachment"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The form has no file field named 'file'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Upload_TraversalFileName_StaysInTheDocumentsFolder()
    {
        var client = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");

        var response = await client.PostAsync("/api/documents", Form(Pdf, fileName: "../../../../evil.pdf"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<StoredDocument>())!;
        Assert.Equal("../../../../evil.pdf", document.FileName);
        Assert.False(File.Exists(Path.Combine(factory.DataPath, "..", "..", "..", "..", "evil.pdf")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(factory.DataPath)!, "evil.pdf", SearchOption.TopDirectoryOnly));
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "documents", document.Id[..2], document.Id + ".bin")));
    }

    [Fact]
    public async Task Get_OtherOrganisationsApplicant_Is404LikeAMissingDocument()
    {
        var document = await UploadAsync(factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a"));
        var intruder = factory.ClientFor(WorkflowRoles.Applicant, "applicant-b", "org-b");

        var denied = await intruder.GetAsync($"/api/documents/{document.Id}");
        var missing = await intruder.GetAsync($"/api/documents/{new string('0', 32)}");

        var deniedProblem = await ProblemAssert.IsProblemAsync(denied, HttpStatusCode.NotFound);
        var missingProblem = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal(missingProblem.GetProperty("detail").GetString(), deniedProblem.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(await intruder.GetAsync($"/api/documents/{document.Id}/content"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_SameOrganisationColleague_IsAllowed()
    {
        var document = await UploadAsync(factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a"));

        var response = await factory.ClientFor(WorkflowRoles.Applicant, "applicant-a2", "org-a").GetAsync($"/api/documents/{document.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(WorkflowRoles.Bureau, HttpStatusCode.OK)]
    [InlineData(WorkflowRoles.Admin, HttpStatusCode.OK)]
    [InlineData(WorkflowRoles.Expert, HttpStatusCode.NotFound)]
    [InlineData(WorkflowRoles.Finance, HttpStatusCode.NotFound)]
    public async Task Get_ByRole_OnlyBureauAndAdminSeeOthersDocuments(string role, HttpStatusCode expected)
    {
        var document = await UploadAsync(factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a"));

        var response = await factory.ClientFor(role, role + "-1", role == WorkflowRoles.Expert ? "org-a" : null).GetAsync($"/api/documents/{document.Id}");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Get_Anonymous_Is401()
    {
        var document = await UploadAsync(factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a"));

        await ProblemAssert.IsProblemAsync(await factory.CreateClient().GetAsync($"/api/documents/{document.Id}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Delete_NotTheUploader_Is404AndKeepsTheDocument()
    {
        var owner = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");
        var document = await UploadAsync(owner);

        var colleague = await factory.ClientFor(WorkflowRoles.Applicant, "applicant-a2", "org-a").DeleteAsync($"/api/documents/{document.Id}");
        var bureau = await factory.ClientFor(WorkflowRoles.Bureau, "officer-1").DeleteAsync($"/api/documents/{document.Id}");

        await ProblemAssert.IsProblemAsync(colleague, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(bureau, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/documents/{document.Id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_ByUploader_Is204ThenGone()
    {
        var owner = factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a");
        var document = await UploadAsync(owner);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/documents/{document.Id}")).StatusCode);

        await ProblemAssert.IsProblemAsync(await owner.GetAsync($"/api/documents/{document.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_ByAdmin_Is204()
    {
        var document = await UploadAsync(factory.ClientFor(WorkflowRoles.Applicant, "applicant-a", "org-a"));

        var response = await factory.ClientFor(WorkflowRoles.Admin, "admin-1").DeleteAsync($"/api/documents/{document.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
