using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Service.Documents;
using Workflows.Service.Http;
using Workflows.Programmes;

namespace Workflows.Host.Tests.Http;

public sealed class ProblemExceptionHandlerTests
{
    private static async Task<(int Status, JsonElement Body)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().AddExceptionHandler<ProblemExceptionHandler>().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = services.GetRequiredService<IExceptionHandler>();

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Handle_ProgrammeNotFound_Is404WithTheMessage()
    {
        var (status, body) = await HandleAsync(new ProgrammeNotFoundException("application", "12"));

        Assert.Equal(404, status);
        Assert.Equal("No application '12' exists.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Handle_ProgrammeConflict_Is409()
    {
        var (status, body) = await HandleAsync(new ProgrammeConflictException("The application is closed; scores can no longer change."));

        Assert.Equal(409, status);
        Assert.Equal("The application is closed; scores can no longer change.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Handle_ProgrammeValidation_Is422WithErrorsByField()
    {
        var (status, body) = await HandleAsync(new ProgrammeValidationException("amount", "must be positive"));

        Assert.Equal(422, status);
        Assert.Equal("must be positive", body.GetProperty("errors").GetProperty("amount")[0].GetString());
    }

    [Fact]
    public async Task Handle_BadJson_Is400NamingTheJsonError()
    {
        var (status, body) = await HandleAsync(new BadHttpRequestException("Failed to read parameter \"Thing thing\" from the request body as JSON.", 400, new JsonException("'x' is an invalid start of a value.")));

        Assert.Equal(400, status);
        Assert.Equal("The request body is not valid JSON.", body.GetProperty("title").GetString());
        Assert.Contains("'x' is an invalid start of a value.", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(DocumentRejection.TooLarge, 413)]
    [InlineData(DocumentRejection.ContentTypeNotAllowed, 415)]
    [InlineData(DocumentRejection.ContentMismatch, 422)]
    public async Task Handle_DocumentRejected_MapsTheReason(DocumentRejection reason, int expected)
    {
        var (status, _) = await HandleAsync(new DocumentRejectedException(reason, "no"));

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Handle_Unexpected_Is500ThatNamesNoInternals()
    {
        var (status, body) = await HandleAsync(new InvalidOperationException("connection string Data Source=/secret/path.db failed"));

        Assert.Equal(500, status);
        Assert.DoesNotContain("secret", body.GetRawText());
    }
}
