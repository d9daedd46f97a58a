using Microsoft.Extensions.DependencyInjection;
using Workflows.Durable;
using Workflows.Durable.Client;
using Workflows.Service.Jobs;
using Workflows.Programmes.Disbursements;

namespace Workflows.Host.Tests.Jobs;

public sealed class InstalmentsJobTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task InstalmentsJob_DisbursementTerminatedWithInstalmentsScheduled_RestartedOnceAndDueReportedOnce()
    {
        using var host = new JobsHost();
        await host.JobSeenAsync("Instalments");
        host.Records.EnsureSchema();

        // A call whose 公示 has ended and one applicant with two later instalments still scheduled (2026 and 2027).
        var now = host.Now.ToUnixTimeMilliseconds();
        host.Records.Transaction((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = """
                INSERT INTO calls (call_id, programme_id, cycle_year, opens_at, closes_at, budget_fen, settings_json, status, published_by, published_at, instance_id)
                VALUES (41, '900-talent-grant', 2025, $now, $now, 100000000, '{}', 'completed', 'officer-1', $now, 'call-41');
                INSERT INTO applications (application_id, call_id, applicant_id, programme_id, cycle_year, status, facts_json, submitted_at, quoted_on, updated_at)
                VALUES (7, 41, 'a1', '900-talent-grant', 2025, 'paid', '{}', $now, '2025-05-06', $now);
                INSERT INTO notices (call_id, starts_at, ends_at, length_days, day_kind, status, opened_at) VALUES (41, $now, $now, 7, 'natural', 'completed', $now);
                INSERT INTO instalment_plans (application_id, instalment, payment_year, amount_fen, status) VALUES (7, 1, 2025, 10000000, 'paid'), (7, 2, 2026, 10000000, 'scheduled'), (7, 3, 2027, 10000000, 'scheduled');
                """;
            command.Parameters.AddWithValue("$now", now);
            command.ExecuteNonQuery();
        });
        var id = DisbursementOrchestrator.InstanceIdOf(41);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(DisbursementOrchestrator), new DisbursementInput(41), new StartOrchestrationOptions(id));
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Running);
        var first = (await host.Client.GetInstanceAsync(id))!.CreatedAt;
        await host.Client.TerminateInstanceAsync(id, "lost in a test");
        await host.StatusAsync(id, OrchestrationRuntimeStatus.Terminated);

        var occurrence = new DateTimeOffset(2026, 3, 3, 1, 30, 0, China);
        host.Clock.SetUtcNow(occurrence.AddSeconds(30));
        await host.JobFinishedAsync("Instalments", occurrence);

        var restarted = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.True(restarted.CreatedAt > first, "the disbursement was not started again");
        Assert.Equal(new DisbursementInput(41), restarted.ReadInputAs<DisbursementInput>());
        Assert.Equal(1, host.AuditCount("schedule.disbursement.restarted"));
        Assert.Equal(1, host.AuditCount("schedule.instalments.due"));

        // Again for the same occurrence, whatever became of the restarted instance: nothing more.
        await host.Services.GetRequiredService<InstalmentsJob>().RunAsync(occurrence, CancellationToken.None);
        Assert.Equal(1, host.AuditCount("schedule.disbursement.restarted"));
        Assert.Equal(1, host.AuditCount("schedule.instalments.due"));
        Assert.Equal(restarted.CreatedAt, (await host.Client.GetInstanceAsync(id))!.CreatedAt);
    }
}
