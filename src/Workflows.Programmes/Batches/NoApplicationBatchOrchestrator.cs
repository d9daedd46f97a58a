using Workflows.Durable;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notices;

namespace Workflows.Programmes.Batches;

/// <summary>Input of <see cref="NoApplicationBatchOrchestrator"/>.</summary>
/// <param name="BatchId">The batch.</param>
public sealed record BatchInput(string BatchId);

/// <summary>Payload of <see cref="NoApplicationBatchOrchestrator.ConfirmationEvent"/> (validated by the facade).</summary>
/// <param name="PartyId">The party.</param>
/// <param name="Accept">Whether it accepts the award (意愿确认) or declines it.</param>
/// <param name="Payee">Its payee details when it accepts.</param>
/// <param name="ActorId">Who confirmed.</param>
/// <param name="ActorRole">Their role.</param>
public sealed record BatchConfirmation(string PartyId, bool Accept, Payee? Payee, string ActorId, string ActorRole);

/// <summary>Payee details given with the confirmation.</summary>
/// <param name="AccountName">户名.</param>
/// <param name="Bank">开户行.</param>
/// <param name="AccountNumber">账号.</param>
public sealed record Payee(string AccountName, string Bank, string AccountNumber);

/// <summary>Where a batch stands after a step.</summary>
/// <param name="Awaiting">Entries still awaiting confirmation.</param>
/// <param name="PayNow">Confirmed entries paid in this batch.</param>
/// <param name="PayNextYear">Confirmed entries paid in next year's unified batch.</param>
/// <param name="ConfirmClosesAtUtc">When confirmation closes.</param>
/// <param name="DeferredPayoutAtUtc">When next year's unified payment starts.</param>
/// <param name="Settings">The notice settings.</param>
public sealed record BatchState(int Awaiting, int PayNow, int PayNextYear, DateTime ConfirmClosesAtUtc, DateTime DeferredPayoutAtUtc, CallSettings Settings);

/// <summary>Input of the cohort activities.</summary>
/// <param name="BatchId">The batch.</param>
/// <param name="NextYear">The cohort: this year's automatic payments, or next year's unified batch.</param>
public sealed record BatchCohort(string BatchId, bool NextYear);

/// <summary>
/// 免申即享: a bureau's recognised list is quoted without applications (done when the batch is loaded); each listed
/// party confirms (意愿确认, with payee details) by the deadline, or is recorded as declined and told; the confirmed
/// awards run through the core 公示 (<see cref="PublicNoticeOrchestrator"/>) and disbursement
/// (<see cref="DisbursementOrchestrator"/>) as sub-orchestrations. Firms that moved in (004 附则: 新迁入企业…于次年度统一兑现)
/// wait for next year's unified payment date and then go through the same notice and payment.
/// </summary>
public sealed class NoApplicationBatchOrchestrator : TaskOrchestrator<BatchInput, string>
{
    /// <summary>The orchestrator name.</summary>
    public const string Name = "NoApplicationBatch";

    /// <summary>The external event carrying a <see cref="BatchConfirmation"/>.</summary>
    public const string ConfirmationEvent = "BatchConfirmation";

    /// <summary>Activity: reads the batch's state.</summary>
    public const string StateActivity = "BatchState";

    /// <summary>Activity: records a confirmation.</summary>
    public const string ConfirmActivity = "BatchConfirm";

    /// <summary>Activity: closes confirmation (unconfirmed → declined).</summary>
    public const string CloseActivity = "BatchCloseConfirmation";

    /// <summary>Activity: lists a cohort's awards as a call for the notice and the disbursement.</summary>
    public const string ListCohortActivity = "BatchListCohort";

    /// <summary>Activity: copies a cohort's notice and payment results back to the batch.</summary>
    public const string SyncCohortActivity = "BatchSyncCohort";

    /// <summary>Gets the instance id of a batch.</summary>
    /// <param name="batchId">The batch.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceId(string batchId) => "batch-" + batchId;

    /// <inheritdoc/>
    public override async Task<string> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        BatchState state = await context.CallActivityAsync<BatchState>(StateActivity, input.BatchId);
        context.SetCustomStatus(new { stage = "confirmation", awaiting = state.Awaiting });
        while (state.Awaiting > 0)
        {
            TimeSpan left = state.ConfirmClosesAtUtc - context.CurrentUtcDateTime;
            BatchConfirmation confirmation;
            try
            {
                confirmation = await context.WaitForExternalEvent<BatchConfirmation>(ConfirmationEvent, left < TimeSpan.Zero ? TimeSpan.Zero : left);
            }
            catch (TaskCanceledException)
            {
                break;
            }

            state = await context.CallActivityAsync<BatchState>(ConfirmActivity, new ConfirmInput(input.BatchId, confirmation));
        }

        state = await context.CallActivityAsync<BatchState>(CloseActivity, input.BatchId);
        if (state.PayNow > 0)
        {
            await RunCohortAsync(context, new BatchCohort(input.BatchId, false), state.Settings);
        }

        if (state.PayNextYear > 0)
        {
            context.SetCustomStatus(new { stage = "awaiting-next-year", payoutAt = state.DeferredPayoutAtUtc });
            if (state.DeferredPayoutAtUtc > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(state.DeferredPayoutAtUtc, CancellationToken.None);
            }

            await RunCohortAsync(context, new BatchCohort(input.BatchId, true), state.Settings);
        }

        context.SetCustomStatus(new { stage = "completed" });
        return "completed";
    }

    private static async Task RunCohortAsync(TaskOrchestrationContext context, BatchCohort cohort, CallSettings settings)
    {
        context.SetCustomStatus(new { stage = cohort.NextYear ? "next-year-notice" : "notice" });
        long callId = await context.CallActivityAsync<long>(ListCohortActivity, cohort);

        // As in a call: the disbursement starts with the notice and pays entries as the notice lets them pass.
        Task<DisbursementResult> disbursement = context.CallSubOrchestratorAsync<DisbursementResult>(
            nameof(DisbursementOrchestrator), new DisbursementInput(callId), TaskOptions.WithInstanceId(DisbursementOrchestrator.InstanceIdOf(callId)));
        await context.CallSubOrchestratorAsync<NoticeResult>(
            nameof(PublicNoticeOrchestrator), new NoticeInput(callId, settings), TaskOptions.WithInstanceId(PublicNoticeOrchestrator.InstanceIdOf(callId)));
        context.SetCustomStatus(new { stage = cohort.NextYear ? "next-year-payment" : "payment" });
        await disbursement;
        await context.CallActivityAsync<int>(SyncCohortActivity, cohort);
    }
}

/// <summary>Input of the confirm activity.</summary>
/// <param name="BatchId">The batch.</param>
/// <param name="Confirmation">The confirmation.</param>
public sealed record ConfirmInput(string BatchId, BatchConfirmation Confirmation);
