using System.Security.Cryptography;
using Workflows.Service.Configuration;
using Workflows.Service.Documents;

namespace Workflows.Host.Tests.Documents;

/// <summary>The checks any document store (files, blobs) runs, exercised into a plain stream.</summary>
public sealed class DocumentIntakeTests
{
    private static readonly DocumentOptions Options = new() { MaxBytes = 64 };

    [Fact]
    public async Task CopyChecked_PdfWithParameters_CopiedWithNormalisedTypeSizeAndHash()
    {
        byte[] pdf = [.. "%PDF-1.7\n"u8, 1, 2, 3];
        using var destination = new MemoryStream();

        var accepted = await DocumentIntake.CopyCheckedAsync("Application/PDF; name=x", new MemoryStream(pdf), destination, Options);

        Assert.Equal(new CheckedContent("application/pdf", pdf.Length, Convert.ToHexStringLower(SHA256.HashData(pdf))), accepted);
        Assert.Equal(pdf, destination.ToArray());
    }

    [Theory]
    [InlineData("application/zip", "%PDF-1.7", DocumentRejection.ContentTypeNotAllowed)]
    [InlineData("application/pdf", "not a pdf at all", DocumentRejection.ContentMismatch)]
    [InlineData("application/pdf", "", DocumentRejection.ContentMismatch)]
    [InlineData("text/csv", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,0,1,2,3,4,5,6", DocumentRejection.TooLarge)]
    public async Task CopyChecked_BadUpload_RejectedWithTheReason(string type, string text, DocumentRejection reason)
    {
        using var destination = new MemoryStream();

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            DocumentIntake.CopyCheckedAsync(type, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), destination, Options));

        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void CleanFileName_ControlCharactersAndLength_RemovedAndCut()
    {
        Assert.Equal("申报书.pdf", DocumentIntake.CleanFileName(" 申\u0000报书.pdf\r\n"));
        Assert.Equal(255, DocumentIntake.CleanFileName(new string('a', 300))!.Length);
        Assert.Null(DocumentIntake.CleanFileName("  "));
        Assert.True(DocumentIntake.IsWellFormedId(DocumentIntake.NewId()));
    }
}
