using Workflows.Durable;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notices;

namespace Workflows.Programmes.Calls;

/// <summary>Custom status of a running call.</summary>
/// <param name="Stage">The call's stage.</param>
/// <param name="Applications">Counts by application status.</param>
/// <param name="Budget">The budget.</param>
/// <param name="BudgetUsed">The sum awarded.</param>
/// <param name="Paid">The sum paid.</param>
public sealed record CallStatusView(string Stage, IReadOnlyDictionary<string, int> Applications, decimal Budget, decimal BudgetUsed, decimal Paid);

/// <summary>Output of a call.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Progress">Its final progress.</param>
public sealed record CallResult(long CallId, CallProgress Progress);

/// <summary>
/// One call for applications: waits for the window to open, notifies subscribers, closes at the deadline (durable
/// timer) or on <see cref="ProgrammeEvents.CloseEarly"/>, reviews every submitted application as a sub-orchestration
/// (<see cref="ApplicationOrchestrator"/>, instance <c>application-{id}</c>), computes the awards down the ranked
/// list within the budget, runs the 公示 (<see cref="PublicNoticeOrchestrator"/>) and the disbursement
/// (<see cref="DisbursementOrchestrator"/>). The custom status shows counts per status and the budget used.
/// </summary>
public sealed class ProgrammeCallOrchestrator : TaskOrchestrator<CallInput, CallResult>
{
    /// <summary>The instance id of a call's orchestration.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdOf(long callId) => FormattableString.Invariant($"call-{callId}");

    /// <inheritdoc/>
    public override async Task<CallResult> RunAsync(TaskOrchestrationContext context, CallInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var call = await context.CallActivityAsync<CallRecord>(nameof(LoadCallActivity), input.CallId);
        if (call.OpensAt.UtcDateTime > context.CurrentUtcDateTime)
        {
            context.SetCustomStatus(new CallStatusView(nameof(CallStatus.Published), new Dictionary<string, int>(), call.Budget, 0m, 0m));
            await context.CreateTimer(call.OpensAt.UtcDateTime, CancellationToken.None);
        }

        await context.CallActivityAsync<int>(nameof(OpenCallActivity), new CallStepInput(call.CallId, Now(context)));
        context.SetCustomStatus(new CallStatusView(nameof(CallStatus.Open), new Dictionary<string, int>(), call.Budget, 0m, 0m));

        CallCloseEvent? early = null;
        using (var cts = new CancellationTokenSource())
        {
            var close = context.WaitForExternalEvent<CallCloseEvent>(ProgrammeEvents.CloseEarly, cts.Token);
            var deadline = context.CreateTimer(call.ClosesAt.UtcDateTime, cts.Token);
            if (await Task.WhenAny(close, deadline) == close)
            {
                early = await close;
            }

            cts.Cancel();
        }

        var ids = await context.CallActivityAsync<List<long>>(nameof(CloseCallActivity),
            new CallStepInput(call.CallId, Now(context), early?.ActorId ?? "system", early?.Reason));
        var progress = await Stage(context, call.CallId, CallStatus.Reviewing);

        var reviews = ids.Select(id => context.CallSubOrchestratorAsync<ApplicationResult>(
            nameof(ApplicationOrchestrator), new ApplicationInput(id, call.CallId, call.Settings),
            TaskOptions.WithInstanceId(ApplicationOrchestrator.InstanceIdOf(id)))).ToList();
        var counts = new SortedDictionary<string, int>(progress.Applications.ToDictionary(), StringComparer.Ordinal);
        foreach (var review in reviews)
        {
            var result = await review;
            Move(counts, nameof(ApplicationStatus.Submitted), result.Status.ToString());
            context.SetCustomStatus(new CallStatusView(nameof(CallStatus.Reviewing), counts, call.Budget, 0m, 0m));
        }

        var awards = await context.CallActivityAsync<AwardSummary>(nameof(AwardCallActivity), new CallStepInput(call.CallId, Now(context)));
        if (awards.Awarded > 0)
        {
            progress = await Stage(context, call.CallId, CallStatus.Notice);

            // The disbursement starts with the notice and pays entries as the notice lets them pass.
            var disbursement = context.CallSubOrchestratorAsync<DisbursementResult>(nameof(DisbursementOrchestrator), new DisbursementInput(call.CallId),
                TaskOptions.WithInstanceId(DisbursementOrchestrator.InstanceIdOf(call.CallId)));
            await context.CallSubOrchestratorAsync<NoticeResult>(nameof(PublicNoticeOrchestrator), new NoticeInput(call.CallId, call.Settings),
                TaskOptions.WithInstanceId(PublicNoticeOrchestrator.InstanceIdOf(call.CallId)));
            progress = await Stage(context, call.CallId, CallStatus.Disbursing);
            await disbursement;
        }

        progress = await Stage(context, call.CallId, CallStatus.Completed);
        return new CallResult(call.CallId, progress);
    }

    private static async Task<CallProgress> Stage(TaskOrchestrationContext context, long callId, CallStatus status)
    {
        var progress = await context.CallActivityAsync<CallProgress>(nameof(CallStageActivity), new CallStageInput(callId, status, Now(context)));
        context.SetCustomStatus(new CallStatusView(status.ToString(), progress.Applications, progress.Budget, progress.BudgetUsed, progress.Paid));
        return progress;
    }

    private static void Move(IDictionary<string, int> counts, string from, string to)
    {
        if (counts.TryGetValue(from, out var n) && n > 0)
        {
            counts[from] = n - 1;
            if (n == 1)
            {
                counts.Remove(from);
            }
        }

        counts[to] = counts.TryGetValue(to, out var m) ? m + 1 : 1;
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}

/// <summary>Payload of <see cref="ProgrammeEvents.CloseEarly"/>.</summary>
/// <param name="ActorId">The officer.</param>
/// <param name="Reason">Why.</param>
public sealed record CallCloseEvent(string ActorId, string? Reason);
