using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Durable.Client;
using Workflows.Durable.Core;
using Workflows.Durable.Storage;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Histories;

/// <summary>
/// Golden histories pin the stored event format and replay compatibility. Set DURABLE_REGENERATE_GOLDEN=1 to rewrite
/// the files after a deliberate format change (then review the diff).
/// </summary>
public class GoldenHistoryTests
{
    private const string InstanceId = "golden-approval-1";

    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Histories");

    private static string SourceDir => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Histories"));

    [Fact]
    public void GoldenFiles_DeserializeAndSerializeToTheSameText()
    {
        foreach (string file in new[] { "approval.v1.json", "approval.nondeterministic.json" })
        {
            string text = File.ReadAllText(Path.Combine(Dir, file));
            List<string> lines = ReadLines(text);
            Assert.NotEmpty(lines);
            foreach (string line in lines)
            {
                HistoryEvent e = HistorySerializer.Deserialize(line);
                Assert.Equal(line, HistorySerializer.Serialize(e));
            }
        }
    }

    [Fact]
    public async Task LiveRun_ProducesExactlyTheGoldenHistory()
    {
        await using var host = await DurableTestHost.StartAsync(Register, new DurableTestHostOptions
        {
            TimeProvider = new ManualTimeProvider(ManualTimeProvider.DefaultStart),
            ConfigureRuntime = o => o.MaxConcurrentActivities = 1,
        });
        await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenApproval", new Application("A-7", 120_000m), new StartOrchestrationOptions(InstanceId) { Version = "1" });
        await host.WaitForIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(3));
        await host.Client.RaiseEventAsync(InstanceId, "Decision", "approve");
        await host.WaitForIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        OrchestrationMetadata m = await host.CompleteAsync(InstanceId);
        Assert.Equal("A-7:score=84:approve:paid=120000:notified=2", m.ReadOutputAs<string>());
        List<string> live = TestUtil.ReadHistoryJson(host.DatabasePath, InstanceId);

        if (Environment.GetEnvironmentVariable("DURABLE_REGENERATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir, "approval.v1.json"), Format(live));
            File.WriteAllText(Path.Combine(SourceDir, "approval.nondeterministic.json"), Format(live.Select(l => l.Replace("\"name\":\"Score\"", "\"name\":\"ScoreV0\"", StringComparison.Ordinal)).ToList()));
        }

        // Episode boundaries depend on how completions race with episodes; the recorded work does not.
        static IEnumerable<string> Work(IEnumerable<string> events) => events.Where(e => !e.Contains("OrchestratorStarted.v1", StringComparison.Ordinal));
        Assert.Equal(Work(ReadLines(File.ReadAllText(Path.Combine(Dir, "approval.v1.json")))), Work(live));
    }

    [Fact]
    public void Replay_GoldenHistory_ReproducesTheRecordedOutcome()
    {
        List<HistoryEvent> history = Load("approval.v1.json");
        OrchestrationExecutor executor = NewExecutor();
        executor.Replay(history);
        Assert.True(executor.IsFinished);
        EpisodeOutcome outcome = executor.RunEpisode([], new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc));
        var recorded = (ExecutionCompletedEvent)history[^1];
        Assert.Equal(recorded.Status, outcome.FinalStatus);
        Assert.Equal(recorded.Result, outcome.Output);
        Assert.Empty(outcome.Actions);
    }

    [Fact]
    public void Replay_GoldenHistoryPrefix_ContinuesWithTheSameNextStep()
    {
        List<HistoryEvent> history = Load("approval.v1.json");
        int decision = history.FindIndex(e => e is EventRaisedEvent);
        OrchestrationExecutor executor = NewExecutor();
        executor.Replay(history.Take(decision).ToList());
        Assert.False(executor.IsFinished);
        EpisodeOutcome outcome = executor.RunEpisode([history[decision]], history[decision].Timestamp);
        Assert.Contains(outcome.Actions, a => a is ScheduleActivityAction { Name: "Notify" });
        Assert.Null(outcome.FinalStatus);
    }

    [Fact]
    public void Replay_DeliberatelyNonDeterministicGoldenHistory_Fails()
    {
        OrchestrationExecutor executor = NewExecutor();
        var ex = Assert.Throws<NonDeterministicOrchestrationException>(() => executor.Replay(Load("approval.nondeterministic.json")));
        Assert.Contains("activity 'Score' as task #0, but the history records activity 'ScoreV0'", ex.Message);
    }

    internal static void Register(DurableTaskRegistry r) => r
        .AddActivityFunc<Application, int>("Score", (ctx, app) => app.Amount > 100_000m ? 84 : 60)
        .AddActivityFunc<string, bool>("Notify", (ctx, to) => true)
        .AddActivityFunc<Application, decimal>("Pay", (ctx, app) => app.Amount)
        .AddOrchestratorFunc<Application, decimal>("GoldenPayment", async (ctx, app) => await ctx.CallActivityAsync<decimal>("Pay", app))
        .AddOrchestratorFunc<Application, string>("GoldenApproval", async (ctx, app) =>
        {
            ctx.SetCustomStatus("scoring");
            int score = await ctx.CallActivityAsync<int>("Score", app, TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromMinutes(1))));
            ctx.SetCustomStatus("awaiting decision");
            string decision;
            try
            {
                decision = await ctx.WaitForExternalEvent<string>("Decision", TimeSpan.FromDays(7));
            }
            catch (TaskCanceledException)
            {
                decision = "timeout";
            }

            bool[] notified = await Task.WhenAll(ctx.CallActivityAsync<bool>("Notify", "applicant"), ctx.CallActivityAsync<bool>("Notify", "officer"));
            decimal paid = await ctx.CallSubOrchestratorAsync<decimal>("GoldenPayment", app, TaskOptions.WithInstanceId($"{ctx.InstanceId}-pay"));
            await ctx.CreateTimer(TimeSpan.FromDays(1), CancellationToken.None);
            return $"{app.Id}:score={score}:{decision}:paid={paid}:notified={notified.Count(n => n)}";
        });

    private static OrchestrationExecutor NewExecutor()
    {
        var registry = new DurableTaskRegistry();
        Register(registry);
        var engine = new DurableEngine(new EmbeddedDurableTaskOptions { DatabasePath = "unused.db" }, registry, EmptyServiceProvider.Instance, NullLoggerFactory.Instance);
        return new OrchestrationExecutor(engine, InstanceId, 0);
    }

    private static List<HistoryEvent> Load(string file) => ReadLines(File.ReadAllText(Path.Combine(Dir, file))).Select(HistorySerializer.Deserialize).ToList();

    private static List<string> ReadLines(string text)
    {
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    private static string Format(List<string> events) => "[\n  " + string.Join(",\n  ", events) + "\n]\n";

    public sealed record Application(string Id, decimal Amount);
}
