using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflows.Host.Tests.Infrastructure;

namespace Workflows.Host.Tests.Domain;

/// <summary>Helpers shared by the domain API tests.</summary>
internal static class DomainClient
{
    public const string Programme = "001-zjtx-award";

    public static string Facts001(string level = "national-little-giant") =>
        "{ \"operatesInArea\": true, \"majorPenaltyWithin3Years\": false, \"criminalRecordWithin3Years\": false, \"seriousDishonestyListed\": false, \"zjtxLevel\": \"" + level + "\" }";

    /// <summary>A client whose token outlives the clock moves of a whole cycle.</summary>
    public static HttpClient Client(IApiHost host, string role, string sub, string? org = null)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token(role, sub, org, lifetime: TimeSpan.FromDays(90)));
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task RegisterExpertsAsync(HttpClient bureau, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var response = await bureau.PostAsJsonAsync("/api/experts", new { expertId = $"e{i:D2}", name = $"专家{i}", email = $"e{i:D2}@experts.example.cn", organisation = $"某大学{i}" });
            await ReadAsync(response, System.Net.HttpStatusCode.NoContent);
        }
    }

    public static async Task PutProfileAsync(HttpClient applicant, string name, string email, string facts)
    {
        var response = await applicant.PutAsync("/api/profile", Json($"{{ \"name\": \"{name}\", \"email\": \"{email}\", \"facts\": {facts} }}"));
        await ReadAsync(response, System.Net.HttpStatusCode.OK);
    }

    public static async Task<long> PublishAsync(IApiHost host, HttpClient bureau, string? key = null)
    {
        var now = host.Clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls")
        {
            Content = JsonContent.Create(new { programmeId = Programme, cycleYear = 2026, opensAt = now, closesAt = now.AddDays(10), budget = 5_000_000m }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        var call = await ReadAsync(await bureau.SendAsync(request), System.Net.HttpStatusCode.Created);
        var id = call.GetProperty("callId").GetInt64();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var status = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            status = (await ReadAsync(await bureau.GetAsync($"/api/calls/{id}"), System.Net.HttpStatusCode.OK)).GetProperty("call").GetProperty("status").GetString()!;
            if (status == "Open")
            {
                return id;
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            wait.Token.WaitHandle.WaitOne();
        }

        throw new TimeoutException($"Call {id} did not open (last status {status}).");
    }

    public static async Task<long> ApplyAsync(HttpClient applicant, long callId, string? facts = null)
    {
        var response = await applicant.PostAsync("/api/applications", Json($"{{ \"callId\": {callId}, \"facts\": {facts ?? Facts001()} }}"));
        return (await ReadAsync(response, System.Net.HttpStatusCode.Created)).GetProperty("applicationId").GetInt64();
    }

    /// <summary>Polls the application until its status is <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient reader, long applicationId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        string last = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await reader.GetAsync($"/api/applications/{applicationId}");
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                last = $"{(int)response.StatusCode} {body}";
            }
            else
            {
                var root = JsonDocument.Parse(body).RootElement.Clone();
                var app = root.TryGetProperty("application", out var a) ? a : root;
                last = app.GetProperty("status").GetString()!;
                if (last == status)
                {
                    return root;
                }
            }

            await Task.Yield();
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            wait.Token.WaitHandle.WaitOne();
        }

        throw new TimeoutException($"Application {applicationId} did not reach status {status} (last seen {last}).");
    }
}
