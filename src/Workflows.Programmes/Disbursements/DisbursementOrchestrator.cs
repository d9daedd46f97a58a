using Workflows.Durable;
using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Disbursements;

/// <summary>
/// Pays a call's approved awards: the first instalment as soon as the 公示 lets entries pass
/// (<see cref="ProgrammeEvents.EntriesPassed"/>, again for entries released later by a dismissed objection), then each later instalment (分三年, 连续两年 …) on
/// the anniversary of the first payment in its year, by a durable timer, after re-checking eligibility
/// (<see cref="IInstalmentEligibility"/>). Ledger entries are written exactly once; each payment is mailed.
/// </summary>
public sealed class DisbursementOrchestrator : TaskOrchestrator<DisbursementInput, DisbursementResult>
{
    /// <summary>The instance id of a call's disbursement orchestration.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdOf(long callId) => FormattableString.Invariant($"disbursement-{callId}");

    /// <inheritdoc/>
    public override async Task<DisbursementResult> RunAsync(TaskOrchestrationContext context, DisbursementInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        DisbursementPlan? plan = null;
        var round = 0;
        while (true)
        {
            var passed = await context.WaitForExternalEvent<Notices.EntriesPassedEvent>(ProgrammeEvents.EntriesPassed);
            round++;
            var paid = await context.CallActivityAsync<DisbursementPlan>(nameof(PayFirstInstalmentsActivity), new PaymentRoundInput(input.CallId, round, Now(context)));
            plan ??= paid;
            if (passed.Final)
            {
                plan = plan with { LaterYears = paid.LaterYears };
                break;
            }
        }

        foreach (var year in plan.LaterYears)
        {
            var fireAt = plan.PaidAt.AddYears(Math.Max(0, year - plan.FirstYear));
            if (fireAt.UtcDateTime > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(fireAt.UtcDateTime, CancellationToken.None);
            }

            await context.CallActivityAsync<InstalmentYearResult>(nameof(PayInstalmentYearActivity), new InstalmentYearInput(input.CallId, year, Now(context)));
        }

        return await context.CallActivityAsync<DisbursementResult>(nameof(CompleteDisbursementActivity), new CallStepInput(input.CallId, Now(context)));
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}
