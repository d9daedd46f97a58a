using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflows.Host.Tests.Email;

/// <summary>One request the fake SendGrid received.</summary>
public sealed record SendGridRequest(string Method, string Path, string? Authorization, string? ContentType, JsonNode? Body);

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, any free port) standing in for SendGrid's v3 API. It checks each
/// request against the documented mail-send contract — POST /v3/mail/send, <c>Authorization: Bearer &lt;key&gt;</c>,
/// JSON with personalizations[].to[].email, from.email, subject, content[] (text/plain first) — and answers 400
/// with SendGrid's error shape when the contract is broken, 401 for a wrong key; otherwise it answers what
/// <see cref="Respond"/> says (default 202 Accepted with an X-Message-Id).
/// </summary>
public sealed class LoopbackSendGridServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private LoopbackSendGridServer(WebApplication app, string apiKey)
    {
        _app = app;
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<SendGridRequest> Requests { get; } = new();

    /// <summary>Given the 0-based number of a valid request, the response to give.</summary>
    public Func<int, IResult> Respond { get; set; } = i => Accepted($"msg-{i}");

    public static IResult Accepted(string messageId) => new HeaderResult(StatusCodes.Status202Accepted, null, ("X-Message-Id", messageId));

    public static IResult Status(int status, string? body = null, params (string Name, string Value)[] headers) => new HeaderResult(status, body, headers);

    public static async Task<LoopbackSendGridServer> StartAsync(string apiKey = "SG.test-key")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackSendGridServer(app, apiKey);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        JsonNode? body = null;
        string? parseError = null;
        try
        {
            body = await JsonNode.ParseAsync(request.Body);
        }
        catch (System.Text.Json.JsonException ex)
        {
            parseError = ex.Message;
        }

        Requests.Enqueue(new SendGridRequest(request.Method, request.Path, request.Headers.Authorization, request.ContentType, body));
        if (request.Method != "POST" || request.Path != "/v3/mail/send")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (request.Headers.Authorization != $"Bearer {ApiKey}")
        {
            await Error(context, 401, "The provided authorization grant is invalid, expired, or revoked", null);
            return;
        }

        var problem = parseError ?? Check(request.ContentType, body);
        if (problem is not null)
        {
            await Error(context, 400, problem, null);
            return;
        }

        var index = Interlocked.Increment(ref _count) - 1;
        await Respond(index).ExecuteAsync(context);
    }

    private static string? Check(string? contentType, JsonNode? body)
    {
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "Content-Type must be application/json";
        }

        if (body?["personalizations"] is not JsonArray { Count: > 0 } personalizations)
        {
            return "You must have at least one personalization.";
        }

        foreach (var p in personalizations)
        {
            if (p?["to"] is not JsonArray { Count: > 0 } to || to.Any(t => t?["email"]?.GetValue<string>() is not { Length: > 0 }))
            {
                return "Each personalization needs at least one to with an email.";
            }
        }

        if (body["from"]?["email"]?.GetValue<string>() is not { Length: > 0 })
        {
            return "The from object must be provided for every email send.";
        }

        if (body["subject"]?.GetValue<string>() is not { Length: > 0 })
        {
            return "The subject is required.";
        }

        if (body["content"] is not JsonArray { Count: > 0 } content
            || content.Any(c => c?["type"]?.GetValue<string>() is not { Length: > 0 } || c["value"]?.GetValue<string>() is null))
        {
            return "Unless a valid template_id is provided, the content parameter is required.";
        }

        if (content[0]!["type"]!.GetValue<string>() != "text/plain")
        {
            return "The text/plain content type must be first.";
        }

        if (body["custom_args"] is JsonObject args && args.Any(a => a.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            return "custom_args values must be strings.";
        }

        return null;
    }

    private static Task Error(HttpContext context, int status, string message, string? field)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { errors = new[] { new { message, field, help = (string?)null } } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class HeaderResult(int status, string? body, params (string Name, string Value)[] headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            if (body is not null)
            {
                httpContext.Response.ContentType = "application/json";
                await httpContext.Response.WriteAsync(body);
            }
        }
    }
}
