using Workflows.Durable;

namespace Workflows.Programmes.Notices;

/// <summary>
/// The 公示 of a call's awards for the length its clause gives (or the call's setting), natural or working days,
/// from its start date. Objections are filed through the facade while it runs (each holds its entry); bureau
/// decisions arrive as <see cref="ProgrammeEvents.ObjectionDecision"/>: upheld removes the entry, dismissed lets it
/// proceed. At the end, entries without an open objection pass and the call's Disbursement is told
/// (<see cref="ProgrammeEvents.EntriesPassed"/>); the orchestration then waits for the decisions on held entries,
/// telling the Disbursement after each, before it completes.
/// </summary>
public sealed class PublicNoticeOrchestrator : TaskOrchestrator<NoticeInput, NoticeResult>
{
    /// <summary>The instance id of a call's notice orchestration.</summary>
    /// <param name="callId">The call.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdOf(long callId) => FormattableString.Invariant($"notice-{callId}");

    /// <inheritdoc/>
    public override async Task<NoticeResult> RunAsync(TaskOrchestrationContext context, NoticeInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var notice = await context.CallActivityAsync<NoticeInfo>(nameof(OpenNoticeActivity), new NoticeInputAt(input.CallId, input.Settings, Now(context)));
        while (true)
        {
            using var cts = new CancellationTokenSource();
            var decision = context.WaitForExternalEvent<ObjectionDecisionEvent>(ProgrammeEvents.ObjectionDecision, cts.Token);
            var end = context.CreateTimer(notice.EndsAt.UtcDateTime, cts.Token);
            var winner = await Task.WhenAny(decision, end);
            cts.Cancel();
            if (winner == end)
            {
                break;
            }

            await context.CallActivityAsync<int>(nameof(DecideObjectionActivity), new DecideObjectionInput(notice.NoticeId, await decision, Now(context)));
        }

        // Entries without an open objection proceed now; held ones follow as the bureau decides.
        var held = await context.CallActivityAsync<int>(nameof(CloseNoticeActivity), new CloseNoticeInput(notice.NoticeId, Now(context)));
        var disbursement = Disbursements.DisbursementOrchestrator.InstanceIdOf(input.CallId);
        context.SendEvent(disbursement, ProgrammeEvents.EntriesPassed, new EntriesPassedEvent(held == 0));
        while (held > 0)
        {
            var decision = await context.WaitForExternalEvent<ObjectionDecisionEvent>(ProgrammeEvents.ObjectionDecision);
            held = await context.CallActivityAsync<int>(nameof(DecideObjectionActivity), new DecideObjectionInput(notice.NoticeId, decision, Now(context)));
            context.SendEvent(disbursement, ProgrammeEvents.EntriesPassed, new EntriesPassedEvent(held == 0));
        }

        var counts = await context.CallActivityAsync<NoticeCounts>(nameof(CompleteNoticeActivity), new CloseNoticeInput(notice.NoticeId, Now(context)));
        return new NoticeResult(notice.NoticeId, counts.Passed, counts.Removed);
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}

/// <summary>Payload of <see cref="ProgrammeEvents.EntriesPassed"/>.</summary>
/// <param name="Final">True when no entry is held any more: nothing further will pass.</param>
public sealed record EntriesPassedEvent(bool Final);

/// <summary>Final counts of a notice.</summary>
/// <param name="Passed">Entries passed.</param>
/// <param name="Removed">Entries removed.</param>
public sealed record NoticeCounts(int Passed, int Removed);

/// <summary>Marks a notice completed and returns its counts. Idempotent.</summary>
/// <param name="services">The programme services.</param>
public sealed class CompleteNoticeActivity(ProgrammeServices services) : TaskActivity<CloseNoticeInput, NoticeCounts>
{
    /// <inheritdoc/>
    public override Task<NoticeCounts> RunAsync(TaskActivityContext context, CloseNoticeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(services.Records.Transaction((c, t) =>
        {
            Records.Db.Execute(c, t, "UPDATE notices SET status = 'completed' WHERE notice_id = $n;", ("$n", input.NoticeId));
            var counts = Records.Db.Query(c, t, "SELECT status, COUNT(*) FROM notice_entries WHERE notice_id = $n GROUP BY status;",
                r => (r.GetString(0), r.GetInt32(1)), ("$n", input.NoticeId)).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
            return new NoticeCounts(counts.GetValueOrDefault("passed"), counts.GetValueOrDefault("removed"));
        }));
    }
}
