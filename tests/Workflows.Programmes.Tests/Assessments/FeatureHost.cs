using Workflows.Durable.Testing;
using Workflows.Policies;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Records;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Assessments;

/// <summary>
/// The real runtime on temporary SQLite files (durable store and records.db) with a manual clock, every module
/// registered: shared by the batch, claim, assessment and supervision tests.
/// </summary>
internal sealed class FeatureHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string recordsPath;

    private FeatureHost(DurableTestHost host, ManualTimeProvider time, ProgrammeServices services, string recordsPath)
    {
        this.Host = host;
        this.Time = time;
        this.Services = services;
        this.recordsPath = recordsPath;
    }

    public DurableTestHost Host { get; }

    public ManualTimeProvider Time { get; }

    public ProgrammeServices Services { get; }

    public ProgrammeRecords Records => this.Services.Records;

    public static readonly Actor Officer = new("officer-1", "bureau");

    public static async Task<FeatureHost> StartAsync(DateTimeOffset startUtc, QuoteEngine? quotes = null)
    {
        var time = new ManualTimeProvider(startUtc);
        string recordsPath = Path.Combine(Path.GetTempPath(), "workflows-p2-" + Path.GetRandomFileName() + ".db");
        var services = ProgrammeServices.CreateDefault(TestRecords.Create(recordsPath, time), time, quotes);
        DurableTestHost host = await DurableTestHost.StartAsync(
            ProgrammeModules.RegisterAll,
            new DurableTestHostOptions { TimeProvider = time, Services = new Provider(services) });
        return new FeatureHost(host, time, services, recordsPath);
    }

    /// <summary>
    /// Lets the worker finish everything it can do now: idle twice in a row with the durable store unchanged in
    /// between (an activity result can be in flight at the moment the worker first reports idle).
    /// </summary>
    public async Task SettleAsync()
    {
        string? before = null;
        for (int round = 0; round < 100; round++)
        {
            await this.Host.WaitForIdleAsync(Timeout);
            string marker = this.StoreMarker();
            if (marker == before)
            {
                return;
            }

            before = marker;
            await Task.Yield();
        }

        throw new TimeoutException("The durable store kept changing: the worker did not settle.");
    }

    private string StoreMarker()
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={this.Host.DatabasePath};Pooling=False;Mode=ReadOnly");
        c.Open();
        using Microsoft.Data.Sqlite.SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM history) || '/' || (SELECT COUNT(*) FROM messages) || '/' || (SELECT COUNT(*) FROM timers) || '/' || (SELECT COUNT(*) FROM activities);";
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>Settles, moves the clock to <paramref name="utc"/> (firing due timers), and settles again.</summary>
    public async Task AdvanceToAsync(DateTimeOffset utc)
    {
        await this.SettleAsync();
        this.Time.SetUtcNow(utc);
        await this.SettleAsync();
    }

    /// <summary>Settles and then waits for <paramref name="condition"/>; fails naming what was awaited.</summary>
    public async Task UntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            await this.SettleAsync();
            if (condition())
            {
                return;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {Timeout} waiting for: {what}; instances: {await this.DescribeAsync()}");
            }

            await Task.Yield();
        }
    }

    /// <summary>Describes every instance (status, custom status, failure) for timeout messages.</summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string>();
        await foreach (Durable.Client.OrchestrationMetadata m in this.Host.Client.GetAllInstancesAsync(new Durable.Client.OrchestrationQuery() { FetchInputsAndOutputs = true }))
        {
            lines.Add($"{m.InstanceId} {m.RuntimeStatus} {m.SerializedCustomStatus} {m.FailureDetails?.ErrorMessage}");
        }

        return string.Join(" | ", lines);
    }

    public List<(string Template, string To, string Subject, string Body)> Mails(string? to = null) =>
        this.Records.Read(c => Db.Query(c, null,
            "SELECT template_name, to_address, subject, text_body FROM outbox_mail WHERE ($to IS NULL OR to_address = $to) ORDER BY id;",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), ("$to", to)));

    public IReadOnlyList<AuditEntry> Audit(string subject) => this.Records.Read(c => AuditTrail.ForSubject(c, subject));

    public async ValueTask DisposeAsync()
    {
        await this.Host.DisposeAsync();
        TestRecords.Delete(this.Records, this.recordsPath);
    }

    /// <summary>Beijing midnight starting <paramref name="date"/>, as UTC.</summary>
    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 0) =>
        new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private sealed class Provider(ProgrammeServices services) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(ProgrammeServices) ? services
            : serviceType == typeof(TimeProvider) ? services.Time
            : serviceType == typeof(ProgrammeRecords) ? services.Records
            : null;
    }
}
