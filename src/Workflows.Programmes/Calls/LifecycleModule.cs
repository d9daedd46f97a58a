using Workflows.Durable;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Notices;

namespace Workflows.Programmes.Calls;

/// <summary>The core lifecycles: ProgrammeCall, Application, PublicNotice, Disbursement, their tables and activities.</summary>
public sealed class LifecycleModule : IProgrammeModule
{
    /// <inheritdoc/>
    public string Name => "lifecycle";

    /// <inheritdoc/>
    public string? SchemaScript => LifecycleSchema.Script;

    /// <inheritdoc/>
    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<ProgrammeCallOrchestrator>()
            .AddOrchestrator<ApplicationOrchestrator>()
            .AddOrchestrator<PublicNoticeOrchestrator>()
            .AddOrchestrator<DisbursementOrchestrator>()
            .AddActivity<LoadCallActivity>()
            .AddActivity<OpenCallActivity>()
            .AddActivity<CloseCallActivity>()
            .AddActivity<AwardCallActivity>()
            .AddActivity<CallStageActivity>()
            .AddActivity<ApplicationStepActivity>()
            .AddActivity<AssignPanelActivity>()
            .AddActivity<RecordScoreActivity>()
            .AddActivity<RemindReviewersActivity>()
            .AddActivity<ReplaceReviewersActivity>()
            .AddActivity<OpenNoticeActivity>()
            .AddActivity<DecideObjectionActivity>()
            .AddActivity<CloseNoticeActivity>()
            .AddActivity<CompleteNoticeActivity>()
            .AddActivity<PayFirstInstalmentsActivity>()
            .AddActivity<PayInstalmentYearActivity>()
            .AddActivity<CompleteDisbursementActivity>();
    }
}
