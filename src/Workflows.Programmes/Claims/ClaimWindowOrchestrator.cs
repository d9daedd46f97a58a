using Workflows.Durable;

namespace Workflows.Programmes.Claims;

/// <summary>Input of <see cref="ClaimWindowOrchestrator"/>.</summary>
/// <param name="ClaimId">The claim window.</param>
/// <param name="ClosesAtUtc">When the window closes: the end (Beijing time) of its last day.</param>
public sealed record ClaimWindowInput(string ClaimId, DateTime ClosesAtUtc);

/// <summary>Payload of <see cref="ClaimWindowOrchestrator.ClaimedEvent"/>: the claim was recorded and its application started.</summary>
/// <param name="ApplicationId">The application started for the claim.</param>
public sealed record ClaimMadeEvent(long ApplicationId);

/// <summary>The result of the lapse check.</summary>
/// <param name="Status">The claim's status after the check: <c>lapsed</c>, <c>claimed</c>, <c>claiming</c> (a claim is being recorded) or <c>open</c> (its end has not come yet).</param>
public sealed record ClaimCheck(string Status);

/// <summary>
/// A right to claim opened by an event (e.g. a listing under 003 平谷区进一步鼓励和促进企业上市办法 三(一): 60 个工作日,
/// 逾期申请视为自动放弃). A claim inside the window is recorded and starts an application (through the facade);
/// when the window's last day ends without one, the right lapses and the party is told.
/// </summary>
public sealed class ClaimWindowOrchestrator : TaskOrchestrator<ClaimWindowInput, string>
{
    /// <summary>The orchestrator name.</summary>
    public const string Name = "ClaimWindow";

    /// <summary>The external event raised when a claim was recorded.</summary>
    public const string ClaimedEvent = "ClaimMade";

    /// <summary>The activity that lapses an unclaimed right.</summary>
    public const string LapseActivity = "ClaimWindowLapse";

    /// <summary>Gets the instance id of a claim window.</summary>
    /// <param name="claimId">The claim window id.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceId(string claimId) => "claim-" + claimId;

    /// <inheritdoc/>
    public override async Task<string> RunAsync(TaskOrchestrationContext context, ClaimWindowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new { status = "open", closesAt = input.ClosesAtUtc });
        DateTime until = input.ClosesAtUtc;
        while (true)
        {
            TimeSpan left = until - context.CurrentUtcDateTime;
            try
            {
                ClaimMadeEvent made = await context.WaitForExternalEvent<ClaimMadeEvent>(ClaimedEvent, left < TimeSpan.Zero ? TimeSpan.Zero : left);
                context.SetCustomStatus(new { status = "claimed", applicationId = made.ApplicationId });
                return "claimed";
            }
            catch (TaskCanceledException)
            {
                ClaimCheck check = await context.CallActivityAsync<ClaimCheck>(LapseActivity, input.ClaimId);
                if (check.Status is not ("claiming" or "open"))
                {
                    context.SetCustomStatus(new { status = check.Status });
                    return check.Status;
                }

                // A claim made before the end is being recorded, or the clock has not reached the end yet: look again shortly.
                until = check.Status == "open" && input.ClosesAtUtc > context.CurrentUtcDateTime ? input.ClosesAtUtc : context.CurrentUtcDateTime.AddMinutes(1);
            }
        }
    }
}
