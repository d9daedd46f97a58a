using Microsoft.Data.Sqlite;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Durable.Testing;
using Workflows.Policies;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Programmes.Tests.Support;

/// <summary>The real durable runtime on a temp SQLite file, a records.db beside it, a fake clock and the facade.</summary>
internal sealed class LifecycleFixture : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan China = TimeSpan.FromHours(8);
    public static readonly Actor Officer = new("officer-1", "bureau");

    private readonly string recordsPath;

    private LifecycleFixture(string recordsPath, ManualTimeProvider clock, ProgrammeServices services, DurableTestHost host)
    {
        this.recordsPath = recordsPath;
        this.Clock = clock;
        this.Services = services;
        this.Host = host;
        this.Ops = new ProgrammeOperations(services, host.Client);
    }

    public ManualTimeProvider Clock { get; }

    public ProgrammeServices Services { get; }

    public DurableTestHost Host { get; }

    public ProgrammeOperations Ops { get; }

    public DurableTaskClient Client => this.Host.Client;

    public ProgrammeRecords Records => this.Services.Records;

    public DateTimeOffset Now => this.Clock.GetUtcNow();

    /// <param name="recordsLog">When given, the records are replicated through a log in this table (as on Azure Functions) instead of a local file.</param>
    public static async Task<LifecycleFixture> StartAsync(DateTimeOffset start, QuoteEngine? quotes = null, IEnumerable<IInstalmentEligibility>? extraChecks = null, Action<EmbeddedDurableTaskOptions>? runtime = null, ITableStore? recordsLog = null)
    {
        var recordsPath = Path.Combine(Path.GetTempPath(), $"programmes-records-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
        var clock = new ManualTimeProvider(start);
        var records = recordsLog is null ? TestRecords.Create(recordsPath, clock) : TestRecords.Create(recordsPath, clock, recordsLog, snapshotEvery: 10);
        quotes ??= new QuoteEngine();
        var checks = new List<IInstalmentEligibility> { new ProfileInstalmentEligibility(records, quotes) };
        checks.AddRange(extraChecks ?? []);
        var services = new ProgrammeServices(records, new Notifier(), quotes, clock, checks);
        var host = await DurableTestHost.StartAsync(ProgrammeModules.RegisterAll, new DurableTestHostOptions
        {
            TimeProvider = clock,
            Services = new SingleServiceProvider(services),
            ConfigureRuntime = runtime,
        });
        return new LifecycleFixture(recordsPath, clock, services, host);
    }

    public async ValueTask DisposeAsync()
    {
        await this.Host.DisposeAsync();
        TestRecords.Delete(this.Records, this.recordsPath);
    }

    public Task IdleAsync() => this.Host.WaitForIdleAsync(Timeout);

    /// <summary>Settles, moves the clock, settles again.</summary>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        await this.IdleAsync();
        this.Clock.Advance(delta);
        await this.IdleAsync();
    }

    public async Task AdvanceToAsync(DateTimeOffset when)
    {
        await this.IdleAsync();
        if (when > this.Now)
        {
            this.Clock.SetUtcNow(when);
        }

        await this.IdleAsync();
    }

    public Party Applicant(string id, string? organisation = null)
    {
        var party = new Party(id, $"北京{id}科技有限公司", $"{id}@example.cn", organisation ?? $"北京{id}科技有限公司");
        this.Ops.RegisterParty(party, Officer);
        return party;
    }

    public void Experts(int count, string? organisation = null, string prefix = "e")
    {
        for (var i = 1; i <= count; i++)
        {
            this.Ops.RegisterExpert(new Expert($"{prefix}{i:D2}", $"专家{prefix}{i}", $"{prefix}{i:D2}@experts.example.cn", organisation ?? $"某大学{i}"), Officer);
        }
    }

    public async Task<CallRecord> PublishAsync(string programmeId, int cycleYear, TimeSpan window, decimal budget, CallSettingsInput? settings = null)
    {
        var call = await this.Ops.PublishCallAsync(new PublishCallRequest(programmeId, cycleYear, this.Now, this.Now + window, budget, settings), Officer);
        await this.IdleAsync();
        return call;
    }

    public async Task<string> DescribeAsync(string instanceId)
    {
        var m = await this.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        return m is null ? $"{instanceId}: missing" : $"{instanceId}: {m.RuntimeStatus} status={m.SerializedCustomStatus} output={m.SerializedOutput} failure={m.FailureDetails}";
    }

    public async Task AcceptAsync(long applicationId)
    {
        await this.Ops.DecidePreliminaryAsync(applicationId, new PreliminaryDecisionRequest(PreliminaryOutcome.Accept), Officer);
        await this.IdleAsync();
    }

    public SubmissionResult Submit(long callId, string applicantId, string factsJson) =>
        this.Ops.SubmitApplication(new SubmitApplicationRequest(callId, applicantId, factsJson), new Actor(applicantId, "applicant"));

    public ApplicationStatus StatusOf(long applicationId) => this.Ops.GetApplication(applicationId).Status;

    public async Task<OrchestrationMetadata> MetadataAsync(string instanceId) =>
        await this.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {instanceId}.");

    /// <summary>Scores every open assignment of the application.</summary>
    public async Task ScoreAllAsync(long applicationId, decimal score)
    {
        foreach (var a in this.Ops.GetApplication(applicationId).Reviewers.Where(r => r.Status == "assigned"))
        {
            await this.Ops.ScoreAsync(applicationId, a.ExpertId, score, "评审意见");
        }

        await this.IdleAsync();
    }

    public List<(string To, string Template, string Subject, string Body)> Mails(string? to = null) =>
        this.Records.Read(c => Db.Query(c, null, "SELECT to_address, template_name, subject, text_body FROM outbox_mail WHERE $to IS NULL OR to_address = $to ORDER BY id;",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), ("$to", to)));

    public long Count(string sql, params (string, object?)[] parameters) =>
        this.Records.Read(c => (long)Db.Scalar(c, null, sql, parameters)!);

    private sealed class SingleServiceProvider(ProgrammeServices services) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(ProgrammeServices) ? services : null;
    }
}

/// <summary>Facts and ids used across the lifecycle tests.</summary>
internal static class Facts
{
    /// <summary>General rules of 001 all passing, plus the given extra facts.</summary>
    public static string Of001(string extra) =>
        "{ \"operatesInArea\": true, \"majorPenaltyWithin3Years\": false, \"criminalRecordWithin3Years\": false, \"seriousDishonestyListed\": false" +
        (string.IsNullOrEmpty(extra) ? string.Empty : ", " + extra) + " }";

    /// <summary>General rules of 004 all passing, plus the given extra facts.</summary>
    public static string Of004(string extra) =>
        "{ \"registeredInArea\": true, \"majorPenaltyWithin3Years\": false, \"criminalRecordWithin3Years\": false, \"seriousDishonestyListed\": false, \"newlyRelocated\": false" +
        (string.IsNullOrEmpty(extra) ? string.Empty : ", " + extra) + " }";
}
