using System.Net;
using System.Net.Http.Headers;
using Workflows.Host.Tests.Infrastructure;
using static Workflows.Host.Tests.Domain.DomainClient;

namespace Workflows.Host.Tests.Domain;

/// <summary>Documents attached to an application are evidence of its review and payment.</summary>
public sealed class ApplicationDocumentsTests
{
    [Theory]
    [MemberData(nameof(ApiHosts.Kinds), MemberType = typeof(ApiHosts))]
    public async Task Delete_AttachedToApplication_ListedUploaderRefused409AdminDeletesIntoTheAuditTrail(ApiHostKind kind)
    {
        using var host = ApiHosts.Create(kind);
        var bureau = Client(host, "bureau", "officer-1");
        var applicant = Client(host, "applicant", "u-a", "91110000A");
        await PutProfileAsync(applicant, "北京甲科技有限公司", "a@example.cn", Facts001());
        var appId = await ApplyAsync(applicant, await PublishAsync(host, bureau));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent([.. "%PDF-1.7\n"u8, .. "审计报告"u8]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "审计报告.pdf");
        var documentId = (await ReadAsync(await applicant.PostAsync($"/api/applications/{appId}/documents", form), HttpStatusCode.Created)).GetProperty("id").GetString();

        var listed = Assert.Single((await ReadAsync(await bureau.GetAsync($"/api/applications/{appId}"), HttpStatusCode.OK)).GetProperty("documents").EnumerateArray());
        Assert.Equal(documentId, listed.GetProperty("id").GetString());
        Assert.Equal("审计报告.pdf", listed.GetProperty("fileName").GetString());
        Assert.Equal("u-a", listed.GetProperty("attachedBy").GetString());
        Assert.False(listed.GetProperty("deleted").GetBoolean());

        var refused = await applicant.DeleteAsync($"/api/documents/{documentId}");

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains($"attached to application/{appId}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ReadAsync(await bureau.GetAsync($"/api/documents/{documentId}"), HttpStatusCode.OK);

        var admin = Client(host, "admin", "admin-1");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/documents/{documentId}")).StatusCode);
        var trail = await ReadAsync(await bureau.GetAsync($"/api/audit?subject=application/{appId}"), HttpStatusCode.OK);
        var deleted = Assert.Single(trail.EnumerateArray(), e => e.GetProperty("action").GetString() == "document.deleted");
        Assert.Equal("admin-1", deleted.GetProperty("actor").GetProperty("id").GetString());
        Assert.Contains(documentId!, deleted.GetProperty("details").GetString(), StringComparison.Ordinal);
        var kept = Assert.Single((await ReadAsync(await bureau.GetAsync($"/api/applications/{appId}"), HttpStatusCode.OK)).GetProperty("documents").EnumerateArray());
        Assert.True(kept.GetProperty("deleted").GetBoolean());
        Assert.Equal(listed.GetProperty("sha256").GetString(), kept.GetProperty("sha256").GetString());
    }
}
