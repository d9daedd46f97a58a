using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflows.Durable.Client;
using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Hosting;

public class HostingTests
{
    [Fact]
    public async Task AddEmbeddedDurableTask_GenericHost_RunsWorkerAndResolvesClientAndActivityDependencies()
    {
        string path = TestUtil.TempDb();
        try
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton(new Greeting("你好"));
            builder.Services.AddSingleton<TimeProvider>(new ManualTimeProvider());
            builder.Services
                .AddEmbeddedDurableTask(o => o.DatabasePath = path)
                .Configure(o => o.MaxConcurrentActivities = 2)
                .AddTasks(r => r
                    .AddActivity<GreetActivity>()
                    .AddOrchestratorFunc<string, string>("Greet", (ctx, name) => ctx.CallActivityAsync<string>(nameof(GreetActivity), name)));
            using IHost host = builder.Build();
            await host.StartAsync();
            DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
            string id = await client.ScheduleNewOrchestrationInstanceAsync("Greet", "王");
            using var cts = new CancellationTokenSource(TestUtil.Timeout);
            OrchestrationMetadata m = await client.WaitForInstanceCompletionAsync(id, true, cts.Token);
            Assert.Equal("你好 王", m.ReadOutputAs<string>());
            Assert.Equal(2, host.Services.GetRequiredService<EmbeddedDurableTaskRuntime>().Options.MaxConcurrentActivities);
            Assert.IsType<ManualTimeProvider>(host.Services.GetRequiredService<EmbeddedDurableTaskRuntime>().Options.TimeProvider);
            await host.StopAsync();
            Assert.False(host.Services.GetRequiredService<EmbeddedDurableTaskRuntime>().IsWorkerRunning);
        }
        finally
        {
            TestUtil.DeleteDb(path);
        }
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedValues()
    {
        var o = new EmbeddedDurableTaskOptions();
        Assert.Equal("durable.db", o.DatabasePath);
        Assert.Equal(SqliteSynchronousMode.Full, o.Synchronous);
        Assert.Equal(4, o.MaxConcurrentOrchestrations);
        Assert.Equal(16, o.MaxConcurrentActivities);
        Assert.Equal(1000, o.CacheSize);
        Assert.Equal(TimeSpan.FromMinutes(5), o.ActivityLeaseDuration);
        Assert.Equal(16 * 1024, o.MaxCustomStatusBytes);
        Assert.Equal(1024 * 1024, o.MaxPayloadBytes);
        o.Validate();
    }

    [Theory]
    [InlineData("MaxConcurrentOrchestrations", "MaxConcurrentOrchestrations must be between 1 and 256 (was 0)")]
    [InlineData("CacheSize", "CacheSize must be between 0 and 1000000 (was -1)")]
    [InlineData("DatabasePath", "DatabasePath must name a file")]
    [InlineData("ActivityLeaseDuration", "ActivityLeaseDuration must be positive")]
    public void Options_Invalid_ThrowNamingTheOption(string option, string message)
    {
        var o = new EmbeddedDurableTaskOptions();
        switch (option)
        {
            case "MaxConcurrentOrchestrations": o.MaxConcurrentOrchestrations = 0; break;
            case "CacheSize": o.CacheSize = -1; break;
            case "DatabasePath": o.DatabasePath = " "; break;
            case "ActivityLeaseDuration": o.ActivityLeaseDuration = TimeSpan.Zero; break;
        }

        Assert.Contains(message, Assert.Throws<ArgumentException>(o.Validate).Message);
        Assert.Throws<ArgumentException>(() => new EmbeddedDurableTaskRuntime(o, new DurableTaskRegistry()));
    }

    [Fact]
    public void Registry_DuplicateName_ThrowsCaseInsensitively()
    {
        var r = new DurableTaskRegistry().AddActivityFunc<int, int>("Calc", (ctx, x) => x);
        Assert.Contains("'calc' is already registered", Assert.Throws<ArgumentException>(() => r.AddActivityFunc<int, int>("calc", (ctx, x) => x)).Message);
        Assert.Throws<ArgumentException>(() => r.AddOrchestrator("X", typeof(string)));
    }

    [Fact]
    public void TaskName_ComparesCaseInsensitively()
    {
        Assert.Equal(new TaskName("Approve"), (TaskName)"approve");
        Assert.NotEqual(new TaskName("Approve", "1"), new TaskName("Approve", "2"));
        Assert.Equal("Approve:2", new TaskName("Approve", "2").ToString());
    }

    [Fact]
    public void RetryPolicy_InvalidValues_ThrowAndDelaysFollowTheBackoff()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(3, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(3, TimeSpan.FromSeconds(1), 0.5));
        var p = new RetryPolicy(5, TimeSpan.FromSeconds(10), 3, maxRetryInterval: TimeSpan.FromMinutes(1));
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)], Enumerable.Range(1, 4).Select(p.GetNextDelay));
        Assert.Equal(Timeout.InfiniteTimeSpan, p.RetryTimeout);
    }

    public sealed record Greeting(string Text);

    public sealed class GreetActivity(Greeting greeting) : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult($"{greeting.Text} {input}");
    }
}
