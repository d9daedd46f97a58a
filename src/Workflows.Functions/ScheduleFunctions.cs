using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Service.Email;
using Workflows.Service.Schedules;

namespace Workflows.Functions;

/// <summary>
/// Timer triggers. The Functions timer reads its cron in UTC (Linux and Flex plans have no <c>WEBSITE_TIME_ZONE</c>),
/// so no programme schedule is a Functions cron: <see cref="Schedules"/> fires every minute and runs one pass of the
/// shared <see cref="ScheduleRunner"/>, which evaluates <c>Workflows:Schedules:*</c> in <c>Workflows:Schedules:TimeZone</c>
/// (China Standard Time by default) with the embedded host's missed-run and retry rules; <see cref="OutboxDispatch"/>
/// runs one pass of the shared <see cref="OutboxDispatcher"/> with the embedded retry rules. Each attaches its
/// <c>[DurableClient]</c> binding to the bridge first, because the jobs start and signal orchestrations through it.
/// </summary>
/// <param name="bridge">The durable client the facades and jobs use.</param>
/// <param name="schedules">The shared schedule runner.</param>
/// <param name="outbox">The shared outbox dispatcher.</param>
/// <param name="time">Clock.</param>
public sealed class ScheduleFunctions(DurableClientBridge bridge, ScheduleRunner schedules, OutboxDispatcher outbox, TimeProvider time)
{
    /// <summary>Runs the programme jobs that are due (one pass of <see cref="ScheduleRunner.RunDueAsync(DateTimeOffset, CancellationToken)"/>), every minute.</summary>
    /// <param name="timer">Timer information.</param>
    /// <param name="client">Durable Functions' client, attached to the bridge first.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    [Function("Schedules")]
    public async Task Schedules(
        [TimerTrigger("0 * * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        bridge.Attach(client);
        await schedules.RunDueAsync(time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Sends due outbox mail (one pass of <see cref="OutboxDispatcher.DispatchDueAsync"/>), every 30 seconds.</summary>
    /// <param name="timer">Timer information.</param>
    /// <param name="client">Durable Functions' client, attached to the bridge first.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    [Function("OutboxDispatch")]
    public async Task OutboxDispatch(
        [TimerTrigger("*/30 * * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        bridge.Attach(client);
        if (outbox.IsEnabled)
        {
            // Provider None keeps every mail Pending in the outbox, as the embedded host does.
            await outbox.DispatchDueAsync(cancellationToken);
        }
    }
}
