using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable.Client;
using Workflows.Service.Schedules;
using Workflows.Host.Tests.Infrastructure;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

namespace Workflows.Host.Tests.Jobs;

/// <summary>The host with fixed job crons, on its own or on an existing data folder, and helpers to drive the cycle.</summary>
internal sealed class JobsHost : WorkflowsHostFactory
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    public static readonly Actor Officer = new("officer-1", "bureau");

    public JobsHost(string? dataPath = null, DateTimeOffset? now = null)
        : base(dataPath)
    {
        if (now is { } at)
        {
            Clock.SetUtcNow(at);
        }

        Settings["Workflows:Schedules:AnnualAssessments"] = "0 0 1 * * *";
        Settings["Workflows:Schedules:Instalments"] = "0 30 1 * * *";
        Settings["Workflows:Schedules:DeadlineSweep"] = "0 0 2 * * *";
        Settings["Workflows:Jobs:BureauEmail"] = "bureau@kw.example.cn";
    }

    public ProgrammeOperations Ops => Services.GetRequiredService<ProgrammeOperations>();

    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public ProgrammeRecords Records => Services.GetRequiredService<ProgrammeRecords>();

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Waits until the runner has seen the job (its state row exists), so a clock move is measured from a known cursor.</summary>
    public Task JobSeenAsync(string job) =>
        WaitUntilAsync(() => Services.GetRequiredService<ScheduleStateStore>().Get(job) is not null, $"the runner to register {job}");

    /// <summary>Waits until the job has finished the given occurrence.</summary>
    public Task JobFinishedAsync(string job, DateTimeOffset occurrence) =>
        WaitUntilAsync(
            () => Services.GetRequiredService<ScheduleStateStore>().Get(job) is { InFlight: null } s && s.Cursor >= occurrence,
            $"{job} to finish its {occurrence:O} run");

    public Task StatusAsync(string instanceId, OrchestrationRuntimeStatus status) =>
        WaitUntilAsync(async () => (await Client.GetInstanceAsync(instanceId))?.RuntimeStatus == status, $"{instanceId} to be {status}");

    public Task StatusAsync(long applicationId, Workflows.Programmes.Applications.ApplicationStatus status) =>
        WaitUntilAsync(() => Ops.GetApplication(applicationId).Status == status, $"application {applicationId} to be {status}");

    public long Count(string sql, params (string Name, object Value)[] parameters) => Records.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)command.ExecuteScalar()!;
    });

    public long AuditCount(string action) => Count("SELECT COUNT(*) FROM audit_entries WHERE action = $a;", ("$a", action));

    public long MailCount(string? to = null, string? template = null) =>
        Count("SELECT COUNT(*) FROM outbox_mail WHERE ($to = '' OR to_address = $to) AND ($t = '' OR template_name = $t);", ("$to", to ?? string.Empty), ("$t", template ?? string.Empty));

    /// <summary>Publishes a 001 专精特新 call open for ten days and waits until it accepts applications.</summary>
    public async Task<Workflows.Programmes.Calls.CallRecord> PublishOpenCallAsync()
    {
        var call = await Ops.PublishCallAsync(new Workflows.Programmes.Calls.PublishCallRequest("001-zjtx-award", 2026, Now, Now.AddDays(10), 5_000_000m), Officer);
        await WaitUntilAsync(() => Ops.GetCall(call.CallId).Status == Workflows.Programmes.Calls.CallStatus.Open, $"call {call.CallId} to open");
        return call;
    }

    public void Experts(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            Ops.RegisterExpert(new Expert($"e{i:D2}", $"专家{i}", $"e{i:D2}@experts.example.cn", $"某大学{i}"), Officer);
        }
    }

    public Party Applicant(string id)
    {
        var party = new Party(id, $"北京{id}科技有限公司", $"{id}@example.cn", $"北京{id}科技有限公司");
        Ops.RegisterParty(party, Officer);
        return party;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
    }
}
