using Workflows.Durable;

namespace Workflows.Programmes.Assessments;

/// <summary>What a signal to an assessment says.</summary>
public enum AssessmentSignalKind
{
    /// <summary>The base submitted its report.</summary>
    ReportSubmitted,

    /// <summary>The bureau accepted a cause for not taking part this period.</summary>
    AbsenceExcused,

    /// <summary>The bureau graded the period.</summary>
    Graded,

    /// <summary>An accident was reported (any time).</summary>
    Accident,

    /// <summary>The rectification of a suspended base was certified (any time).</summary>
    RectificationCertified,

    /// <summary>No report arrived by the deadline (raised by the orchestration itself).</summary>
    NoShow,
}

/// <summary>The payload of the <see cref="AnnualAssessmentOrchestrator.SignalEvent"/> event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SignalId">Unique per base (idempotency): e.g. <c>grade-2</c>, <c>accident-A2025-17</c>.</param>
/// <param name="Period">The period the signal is for.</param>
/// <param name="ActorId">Who.</param>
/// <param name="ActorRole">Their role.</param>
/// <param name="GradeCode">For a grade: its code.</param>
/// <param name="Title">For a grade conferring a title: the title.</param>
/// <param name="Text">Report summary, reason or accident description.</param>
/// <param name="DueToPoorManagement">For an accident: the finding that poor management caused it.</param>
public sealed record AssessmentSignal(
    AssessmentSignalKind Kind,
    string SignalId,
    int Period,
    string ActorId,
    string ActorRole,
    string? GradeCode = null,
    string? Title = null,
    string? Text = null,
    bool DueToPoorManagement = false);

/// <summary>Input of one execution (one period) of <see cref="AnnualAssessmentOrchestrator"/>.</summary>
/// <param name="BaseId">The base.</param>
/// <param name="Period">The period, from 1.</param>
public sealed record AssessmentInput(string BaseId, int Period);

/// <summary>What an activity tells the orchestration after a step.</summary>
/// <param name="Revoked">The base is revoked: the assessment ends.</param>
/// <param name="PeriodClosed">The period is decided (graded or excused).</param>
/// <param name="Accepted">The signal fit the current phase and was applied.</param>
/// <param name="DeadlineUtc">A deadline the step set (report due), if any.</param>
public sealed record AssessmentStep(bool Revoked, bool PeriodClosed, bool Accepted, DateTime? DeadlineUtc = null);

/// <summary>
/// The periodic assessment of one recognised base, an eternal orchestration: one execution per period, then
/// <see cref="TaskOrchestrationContext.ContinueAsNew"/>. It waits for the period to end, asks for the report with a
/// deadline, collects the bureau's grade and applies the consequences the scheme's clauses give; accidents and
/// certified rectifications are taken at any time. It ends when the base is revoked.
/// </summary>
public sealed class AnnualAssessmentOrchestrator : TaskOrchestrator<AssessmentInput, string>
{
    /// <summary>The orchestrator name.</summary>
    public const string Name = "AnnualAssessment";

    /// <summary>The external event carrying an <see cref="AssessmentSignal"/>.</summary>
    public const string SignalEvent = "AssessmentSignal";

    /// <summary>Gets the instance id of a base's assessment.</summary>
    /// <param name="baseId">The base.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceId(string baseId) => "assessment-" + baseId;

    /// <inheritdoc/>
    public override async Task<string> RunAsync(TaskOrchestrationContext context, AssessmentInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        AssessmentStep begun = await context.CallActivityAsync<AssessmentStep>(AssessmentActivities.BeginPeriod, input);
        if (begun.Revoked)
        {
            return "revoked";
        }

        context.SetCustomStatus(new { period = input.Period, phase = BasePhase.InPeriod });

        // The period runs: only accidents and rectifications can happen before it ends.
        while (true)
        {
            AssessmentSignal? signal = await WaitAsync(context, begun.DeadlineUtc);
            if (signal is null)
            {
                break;
            }

            if (await ApplyAsync(context, input, signal) is { Revoked: true })
            {
                return "revoked";
            }
        }

        AssessmentStep requested = await context.CallActivityAsync<AssessmentStep>(AssessmentActivities.RequestReport, input);
        context.SetCustomStatus(new { period = input.Period, phase = BasePhase.AwaitingReport, reportDue = requested.DeadlineUtc });
        bool closed = false;
        while (true)
        {
            AssessmentSignal? signal = await WaitAsync(context, requested.DeadlineUtc);
            signal ??= new AssessmentSignal(AssessmentSignalKind.NoShow, $"no-show-{input.Period}", input.Period, "system", "system");
            AssessmentStep step = await ApplyAsync(context, input, signal);
            if (step.Revoked)
            {
                return "revoked";
            }

            if (step.Accepted && signal.Kind is AssessmentSignalKind.ReportSubmitted or AssessmentSignalKind.NoShow or AssessmentSignalKind.AbsenceExcused)
            {
                closed = step.PeriodClosed;
                break;
            }
        }

        if (!closed)
        {
            context.SetCustomStatus(new { period = input.Period, phase = BasePhase.AwaitingGrade });
            while (true)
            {
                AssessmentSignal? signal = await WaitAsync(context, null);
                AssessmentStep step = await ApplyAsync(context, input, signal!);
                if (step.Revoked)
                {
                    return "revoked";
                }

                if (step.Accepted && step.PeriodClosed)
                {
                    break;
                }
            }
        }

        context.ContinueAsNew(new AssessmentInput(input.BaseId, input.Period + 1));
        return "continued";
    }

    private static Task<AssessmentStep> ApplyAsync(TaskOrchestrationContext context, AssessmentInput input, AssessmentSignal signal) =>
        context.CallActivityAsync<AssessmentStep>(AssessmentActivities.ApplySignal, new ApplySignalInput(input.BaseId, input.Period, signal));

    private static async Task<AssessmentSignal?> WaitAsync(TaskOrchestrationContext context, DateTime? deadlineUtc)
    {
        if (deadlineUtc is not { } deadline)
        {
            return await context.WaitForExternalEvent<AssessmentSignal>(SignalEvent);
        }

        TimeSpan left = deadline - context.CurrentUtcDateTime;
        try
        {
            return await context.WaitForExternalEvent<AssessmentSignal>(SignalEvent, left < TimeSpan.Zero ? TimeSpan.Zero : left);
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}

/// <summary>Input of the apply-signal activity.</summary>
/// <param name="BaseId">The base.</param>
/// <param name="Period">The orchestration's current period.</param>
/// <param name="Signal">The signal.</param>
public sealed record ApplySignalInput(string BaseId, int Period, AssessmentSignal Signal);
