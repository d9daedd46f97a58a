using Workflows.Durable;

namespace Workflows.Programmes.Supervision;

/// <summary>What a signal to a supervised task carries.</summary>
public enum SupervisionSignalKind
{
    /// <summary>The lead unit submitted the implementation plan (validated by the facade).</summary>
    PlanSubmitted,

    /// <summary>The lead unit reported progress for a check.</summary>
    ProgressReported,
}

/// <summary>The payload of <see cref="TaskSupervisionOrchestrator.SignalEvent"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Check">For progress: the check number.</param>
/// <param name="ActorId">Who.</param>
/// <param name="ActorRole">Their role.</param>
/// <param name="Plan">For a plan: its fields (label → value).</param>
/// <param name="Report">For progress: the report text.</param>
/// <param name="Completed">For progress: the task is complete.</param>
public sealed record SupervisionSignal(
    SupervisionSignalKind Kind,
    int Check,
    string ActorId,
    string ActorRole,
    IReadOnlyDictionary<string, string?>? Plan = null,
    string? Report = null,
    bool Completed = false);

/// <summary>Input of one execution of <see cref="TaskSupervisionOrchestrator"/>.</summary>
/// <param name="TaskNumber">The task (1–38).</param>
/// <param name="Check">0 while the plan is awaited; then the number of the progress check.</param>
public sealed record SupervisionInput(int TaskNumber, int Check);

/// <summary>What the supervision step activity does.</summary>
public enum SupervisionAction
{
    /// <summary>Assign the task: mail the lead and the participating units.</summary>
    Assign,

    /// <summary>Escalate an overdue plan.</summary>
    EscalatePlan,

    /// <summary>Accept the submitted plan.</summary>
    AcceptPlan,

    /// <summary>Schedule a progress check.</summary>
    ScheduleCheck,

    /// <summary>Ask for the progress report.</summary>
    RequestProgress,

    /// <summary>Escalate an overdue progress report.</summary>
    EscalateProgress,

    /// <summary>Accept a progress report.</summary>
    AcceptProgress,
}

/// <summary>Input of the supervision step activity.</summary>
/// <param name="Action">The action.</param>
/// <param name="TaskNumber">The task.</param>
/// <param name="Check">The check number (0 for the plan).</param>
/// <param name="Escalation">The escalation number, from 1.</param>
/// <param name="Signal">The signal to accept.</param>
public sealed record SupervisionStepInput(SupervisionAction Action, int TaskNumber, int Check, int Escalation = 0, SupervisionSignal? Signal = null);

/// <summary>The outcome of a supervision step.</summary>
/// <param name="Accepted">The signal fit the state and was recorded.</param>
/// <param name="Done">The task is complete: supervision ends.</param>
/// <param name="StartUtc">When the check is due (the timer to wait for).</param>
/// <param name="DeadlineUtc">The next deadline.</param>
public sealed record SupervisionStep(bool Accepted, bool Done, DateTime? StartUtc, DateTime? DeadlineUtc);

/// <summary>
/// Supervises one of 002's 38 tasks: asks the lead unit for the implementation plan by the deadline (通知: 2015年4月3日前),
/// escalates an overdue plan to the lead unit and the supervisor every few days until it arrives, then runs the periodic
/// progress checks (定期…检查指导; the period is the bureau's setting) with the same escalation, one check per
/// execution (<see cref="TaskOrchestrationContext.ContinueAsNew"/>), until the lead unit reports the task complete.
/// </summary>
public sealed class TaskSupervisionOrchestrator : TaskOrchestrator<SupervisionInput, string>
{
    /// <summary>The orchestrator name.</summary>
    public const string Name = "TaskSupervision";

    /// <summary>The external event carrying a <see cref="SupervisionSignal"/>.</summary>
    public const string SignalEvent = "SupervisionSignal";

    /// <summary>The single activity, parameterised by <see cref="SupervisionAction"/>.</summary>
    public const string StepActivity = "SupervisionStep";

    /// <summary>Gets the instance id of a task's supervision.</summary>
    /// <param name="taskNumber">The task.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceId(int taskNumber) => FormattableString.Invariant($"supervision-002-{taskNumber}");

    /// <inheritdoc/>
    public override async Task<string> RunAsync(TaskOrchestrationContext context, SupervisionInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Check == 0)
        {
            SupervisionStep assigned = await StepAsync(context, new(SupervisionAction.Assign, input.TaskNumber, 0));
            DateTime deadline = assigned.DeadlineUtc!.Value;
            int escalation = 0;
            while (true)
            {
                SupervisionSignal? signal = await WaitAsync(context, deadline);
                if (signal is null)
                {
                    SupervisionStep escalated = await StepAsync(context, new(SupervisionAction.EscalatePlan, input.TaskNumber, 0, ++escalation));
                    deadline = escalated.DeadlineUtc!.Value;
                    continue;
                }

                if ((await StepAsync(context, new(SupervisionAction.AcceptPlan, input.TaskNumber, 0, Signal: signal))).Accepted)
                {
                    break;
                }
            }

            context.ContinueAsNew(new SupervisionInput(input.TaskNumber, 1));
            return "plan-accepted";
        }

        SupervisionStep scheduled = await StepAsync(context, new(SupervisionAction.ScheduleCheck, input.TaskNumber, input.Check));
        if (scheduled.Done)
        {
            return "completed";
        }

        await context.CreateTimer(scheduled.StartUtc!.Value, CancellationToken.None);
        SupervisionStep requested = await StepAsync(context, new(SupervisionAction.RequestProgress, input.TaskNumber, input.Check));
        DateTime due = requested.DeadlineUtc!.Value;
        int overdue = 0;
        while (true)
        {
            SupervisionSignal? signal = await WaitAsync(context, due);
            if (signal is null)
            {
                SupervisionStep escalated = await StepAsync(context, new(SupervisionAction.EscalateProgress, input.TaskNumber, input.Check, ++overdue));
                due = escalated.DeadlineUtc!.Value;
                continue;
            }

            SupervisionStep accepted = await StepAsync(context, new(SupervisionAction.AcceptProgress, input.TaskNumber, input.Check, Signal: signal));
            if (accepted.Done)
            {
                return "completed";
            }

            if (accepted.Accepted)
            {
                break;
            }
        }

        context.ContinueAsNew(new SupervisionInput(input.TaskNumber, input.Check + 1));
        return "check-done";
    }

    private static Task<SupervisionStep> StepAsync(TaskOrchestrationContext context, SupervisionStepInput input) =>
        context.CallActivityAsync<SupervisionStep>(StepActivity, input);

    private static async Task<SupervisionSignal?> WaitAsync(TaskOrchestrationContext context, DateTime deadlineUtc)
    {
        TimeSpan left = deadlineUtc - context.CurrentUtcDateTime;
        try
        {
            return await context.WaitForExternalEvent<SupervisionSignal>(SignalEvent, left < TimeSpan.Zero ? TimeSpan.Zero : left);
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
