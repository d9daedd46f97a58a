using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Functions.Tests;

/// <summary>
/// The catch-all HTTP route of src/Workflows.Functions, matched the way the Functions host matches function routes
/// (an ASP.NET Core <see cref="Route"/> over the template, inline constraints resolved by the routing services).
/// </summary>
public class FunctionsRoutingTests
{
    public static TheoryData<string> ApiPaths => new()
    {
        "/api/calls",
        "/api/applications/12/documents",
        "/health",
        "/openapi/v1.json",
        "/notices/2026-001",
        "/api/runtime",
        "/runtimes/x",
    };

    public static TheoryData<string> HostPaths => new()
    {
        "/runtime",
        "/runtime/webhooks/durabletask/instances",
        "/runtime/webhooks/durabletask/instances/abc?showHistory=true",
        "/Runtime/Webhooks/DurableTask/orchestrators/ProgrammeCall",
    };

    [Theory]
    [MemberData(nameof(ApiPaths))]
    public async Task CatchAllRoute_ApiPath_ReachesTheFunction(string path)
    {
        Assert.True(await MatchesAsync(path), $"The catch-all route {FunctionsSource.CatchAllRoute()} does not match {path}.");
    }

    [Theory]
    [MemberData(nameof(HostPaths))]
    public async Task CatchAllRoute_RuntimeWebhookPath_LeftToTheHost(string path)
    {
        Assert.False(await MatchesAsync(path), $"The catch-all route {FunctionsSource.CatchAllRoute()} shadows the host's {path}.");
    }

    [Fact]
    public void HttpTrigger_IsTheOnlyOne_AndUsesTheCatchAllRoute()
    {
        var triggers = FunctionsSource.HttpTriggers(FunctionsSource.AllCode);

        var trigger = Assert.Single(triggers);
        Assert.Equal("CatchAllRoute", trigger.Route);
        Assert.Equal(["get", "post", "put", "patch", "delete", "head", "options"], trigger.Methods);
        Assert.Equal("Anonymous", trigger.Level);
    }

    private static async Task<bool> MatchesAsync(string pathAndQuery)
    {
        using var services = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();
        var route = new Route(new MatchedRouter(), FunctionsSource.CatchAllRoute(), services.GetRequiredService<IInlineConstraintResolver>());
        var http = new DefaultHttpContext { RequestServices = services };
        int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        var context = new RouteContext(http);

        await route.RouteAsync(context);

        return context.Handler is not null;
    }

    private sealed class MatchedRouter : IRouter
    {
        public VirtualPathData? GetVirtualPath(VirtualPathContext context) => null;

        public Task RouteAsync(RouteContext context)
        {
            context.Handler = _ => Task.CompletedTask;
            return Task.CompletedTask;
        }
    }
}
