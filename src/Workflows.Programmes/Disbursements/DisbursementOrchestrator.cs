using Workflows.Durable;
using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Disbursements;

/// <summary>
/// Pays a call's approved awards: the first instalment at once, then each later instalment (分三年, 连续两年 …) on
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
        var plan = await context.CallActivityAsync<DisbursementPlan>(nameof(PayFirstInstalmentsActivity), new CallStepInput(input.CallId, Now(context)));
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
