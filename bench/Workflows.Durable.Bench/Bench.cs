using System.Diagnostics;
using System.Globalization;
using Workflows.Durable.Client;

namespace Workflows.Durable.Bench;

/// <summary>Starts a runtime on a fresh file with the benchmark orchestrations.</summary>
internal static class Runtime
{
    public static Task<EmbeddedDurableTaskRuntime> StartAsync(string root, string name)
    {
        var options = new EmbeddedDurableTaskOptions
        {
            DatabasePath = Path.Combine(root, name + ".db"),
            Synchronous = SqliteSynchronousMode.Full,
        };
        return EmbeddedDurableTaskRuntime.StartAsync(options, Register);
    }

    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<int, int>("Inc", (_, x) => x + 1);
        r.AddOrchestratorFunc<int, int>("Sequential", async (ctx, n) =>
        {
            int x = 0;
            for (int i = 0; i < n; i++)
            {
                x = await ctx.CallActivityAsync<int>("Inc", x);
            }

            return x;
        });
        r.AddOrchestratorFunc<int, long>("FanOut", async (ctx, n) =>
        {
            int[] all = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Inc", i)));
            return all.Sum(v => (long)v);
        });
        r.AddOrchestratorFunc<int, long>("Events", async (ctx, n) =>
        {
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += await ctx.WaitForExternalEvent<int>("e");
            }

            return sum;
        });
        r.AddOrchestratorFunc<int, int>("FiveSteps", async (ctx, x) =>
        {
            for (int i = 0; i < 5; i++)
            {
                x = await ctx.CallActivityAsync<int>("Inc", x);
            }

            return x;
        });
    }
}

/// <summary>The measurements.</summary>
internal static class Bench
{
    private static int next;

    public static async Task<double> SequentialAsync(EmbeddedDurableTaskRuntime rt, int n)
    {
        TimeSpan cpu = Machine.CpuTime();
        var clock = Stopwatch.StartNew();
        string id = await rt.Client.ScheduleNewOrchestrationInstanceAsync("Sequential", n);
        OrchestrationMetadata done = await rt.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        clock.Stop();
        Check(done, n);
        double perSecond = n / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"sequential {n}: {clock.Elapsed.TotalSeconds:0.00} s, {perSecond:N0} activities/s; process CPU {(Machine.CpuTime() - cpu).TotalSeconds:0.00} s = {n / (Machine.CpuTime() - cpu).TotalSeconds:N0} per CPU-second");
        return perSecond;
    }

    public static async Task<double> FanOutAsync(EmbeddedDurableTaskRuntime rt, int n)
    {
        TimeSpan cpu = Machine.CpuTime();
        var clock = Stopwatch.StartNew();
        string id = await rt.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", n);
        OrchestrationMetadata done = await rt.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        clock.Stop();
        Check(done, ((long)n * (n + 1)) / 2);
        double perSecond = n / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"fan-out {n}: {clock.Elapsed.TotalSeconds:0.00} s, {perSecond:N0} activities/s; process CPU {(Machine.CpuTime() - cpu).TotalSeconds:0.00} s = {n / (Machine.CpuTime() - cpu).TotalSeconds:N0} per CPU-second");
        return perSecond;
    }

    public static async Task<double> EventsAsync(EmbeddedDurableTaskRuntime rt, int n)
    {
        string id = await rt.Client.ScheduleNewOrchestrationInstanceAsync("Events", n);
        await rt.Client.WaitForInstanceStartAsync(id);
        TimeSpan cpu = Machine.CpuTime();
        var clock = Stopwatch.StartNew();

        // Many senders at once, as events arrive from many users; each RaiseEventAsync returns when the event is durable.
        await Parallel.ForEachAsync(Enumerable.Range(1, n), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            await rt.Client.RaiseEventAsync(id, "e", i, ct));
        OrchestrationMetadata done = await rt.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        clock.Stop();
        Check(done, ((long)n * (n + 1)) / 2);
        double perSecond = n / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"events {n}: {clock.Elapsed.TotalSeconds:0.00} s, {perSecond:N0} events/s; process CPU {(Machine.CpuTime() - cpu).TotalSeconds:0.00} s");
        return perSecond;
    }

    public static async Task<ManyResult> ManyInstancesAsync(EmbeddedDurableTaskRuntime rt, int count, int offset)
    {
        long peakManaged = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(50, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var clock = Stopwatch.StartNew();
        int batch = Interlocked.Add(ref next, 1);
        string[] ids = Enumerable.Range(offset, count).Select(i => $"b{batch}-{i}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, ct) =>
            await rt.Client.ScheduleNewOrchestrationInstanceAsync("FiveSteps", 10, new StartOrchestrationOptions(id), ct));
        var latencies = new List<TimeSpan>(count);
        foreach (string id in ids)
        {
            OrchestrationMetadata done = await rt.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
            Check(done, 15);
            latencies.Add(done.LastUpdatedAt - done.CreatedAt);
        }

        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        latencies.Sort();
        var result = new ManyResult(
            count / clock.Elapsed.TotalSeconds,
            latencies[latencies.Count / 2],
            latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))],
            peakManaged);
        Console.WriteLine($"{count} instances x 5 steps: {clock.Elapsed.TotalSeconds:0.00} s, {result.InstancesPerSecond:N0} instances/s, p50 {result.P50.TotalMilliseconds:N0} ms, p99 {result.P99.TotalMilliseconds:N0} ms, peak managed {peakManaged / 1048576.0:0.0} MiB");
        return result;
    }

    private static void Check(OrchestrationMetadata done, long expected)
    {
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed || done.ReadOutputAs<long>() != expected)
        {
            throw new InvalidOperationException($"{done.InstanceId}: {done.RuntimeStatus}, output {done.SerializedOutput}, expected {expected.ToString(CultureInfo.InvariantCulture)}: {done.FailureDetails?.ErrorMessage}");
        }
    }

    internal sealed record ManyResult(double InstancesPerSecond, TimeSpan P50, TimeSpan P99, long PeakManagedBytes);
}

/// <summary>Facts about the machine and this process.</summary>
internal static class Machine
{
    public static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string MemoryTotal()
    {
        string? line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? "n/a" : line["MemTotal:".Length..].Trim();
    }

    /// <summary>CPU time used by this process so far (all threads): shows how much of the wall time the run really got.</summary>
    public static TimeSpan CpuTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    public static double ManagedMiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(true) / 1048576.0;
    }

    public static double WorkingSetMiB()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64 / 1048576.0;
    }

    public static double PeakWorkingSetMiB()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64 / 1048576.0;
    }
}
