using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>HTTP triggers: ASP.NET Core request binding, one function per method and path, and documented in the README.</summary>
public partial class HttpFunctionsTests
{
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static TheoryData<string> HttpFunctionNames => [.. CompiledFunctions.WithTrigger<HttpTriggerAttribute>().Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(HttpFunctionNames))]
    public void HttpTrigger_BindsAspNetCoreHttpRequest(string name)
    {
        var function = CompiledFunctions.WithTrigger<HttpTriggerAttribute>().Single(f => f.Name == name);

        // Program.cs calls ConfigureFunctionsWebApplication (ASP.NET Core integration), which binds HttpRequest.
        Assert.Equal(typeof(HttpRequest), function.TriggerParameter!.ParameterType);
    }

    [Fact]
    public void HttpTriggers_NoTwoFunctionsShareMethodAndPath()
    {
        var clashes = Endpoints()
            .GroupBy(e => (e.Method, Path: Normalised(e.Path)))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Method} {g.First().Path}: {string.Join(", ", g.Select(e => e.Function))}")
            .ToList();

        Assert.True(clashes.Count == 0, "Functions answering the same method and path: " + string.Join("; ", clashes));
    }

    [Theory]
    [MemberData(nameof(HttpFunctionNames))]
    public void HttpTrigger_MethodsAndPathInFunctionsReadme(string name)
    {
        var documented = DocumentedPaths(RepositoryFiles.ReadFunctionsFile("README.md"));

        var missing = Endpoints().Where(e => e.Function == name)
            .Where(e => !documented.Contains((e.Method, Normalised(e.Path))) && !documented.Contains(("*", Normalised(e.Path))))
            .Select(e => $"{e.Method} {e.Path}")
            .ToList();

        Assert.True(missing.Count == 0, $"HTTP function '{name}' answers {string.Join(", ", missing)}, which src/Workflows.Functions/README.md does not list (write e.g. `GET /api/health`, `GET, POST /api/x` or `* /{{*path}}` for every method).");
    }

    /// <summary>Every (method, path) a function answers: host.json's routePrefix + the route; no methods means all of them.</summary>
    private static IEnumerable<(string Function, string Method, string Path)> Endpoints()
    {
        string prefix = RoutePrefix();
        return CompiledFunctions.WithTrigger<HttpTriggerAttribute>().SelectMany(f =>
        {
            var trigger = f.TriggerAs<HttpTriggerAttribute>()!;
            string path = "/" + string.Join('/', new[] { prefix, trigger.Route ?? f.Name }.Select(p => p.Trim('/')).Where(p => p.Length > 0));
            var methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()) : AllMethods;
            return methods.Select(method => (f.Name, method, path));
        });
    }

    /// <summary>host.json extensions.http.routePrefix; the Functions host uses "api" when it is not set.</summary>
    private static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(RepositoryFiles.ReadFunctionsFile("host.json"));
        return host.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? string.Empty
            : "api";
    }

    /// <summary>Paths compare without parameter constraints and defaults: <c>/documents/{id:length(32)}</c> = <c>/documents/{id}</c>.</summary>
    private static string Normalised(string path) =>
        RouteParameter().Replace("/" + path.Trim('/'), m => "{" + m.Groups["name"].Value + "}").ToUpperInvariant();

    /// <summary>Pairs written in the README as <c>GET /api/x</c>, <c>GET, POST /api/x</c> or <c>* /api/x</c> (any method).</summary>
    private static HashSet<(string Method, string Path)> DocumentedPaths(string readme)
    {
        var pairs = new HashSet<(string, string)>();
        foreach (Match match in DocumentedPath().Matches(readme))
        {
            string path = Normalised(match.Groups["path"].Value);
            foreach (string method in match.Groups["methods"].Value.Split([',', '/', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                pairs.Add((method.ToUpperInvariant(), path));
            }
        }

        return pairs;
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"(?<methods>(?:\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b|\*)(?:\s*[,/]\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b)*)\s+(?<path>/[^\s`|)<>""]*)")]
    private static partial Regex DocumentedPath();
}
