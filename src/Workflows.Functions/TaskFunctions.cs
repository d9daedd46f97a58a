using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Mdt = Microsoft.DurableTask;

namespace Workflows.Functions;

// One function per orchestrator and activity class of Workflows.Programmes. The function name is the name the class
// is registered under (what orchestrators call); the method name is the class name, which
// tests/Workflows.Functions.Tests checks against the Workflows.Programmes assembly so none can be forgotten.

/// <summary>Orchestrator functions: each runs one Workflows.Programmes orchestrator class through the adapter.</summary>
/// <param name="dispatcher">Runs registered tasks.</param>
public sealed class OrchestratorFunctions(ProgrammeTaskDispatcher dispatcher)
{
    /// <summary>Runs <c>ProgrammeCallOrchestrator</c> (registered as <c>ProgrammeCallOrchestrator</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("ProgrammeCallOrchestrator")]
    public Task<object?> ProgrammeCallOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("ProgrammeCallOrchestrator", context);

    /// <summary>Runs <c>ApplicationOrchestrator</c> (registered as <c>ApplicationOrchestrator</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("ApplicationOrchestrator")]
    public Task<object?> ApplicationOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("ApplicationOrchestrator", context);

    /// <summary>Runs <c>PublicNoticeOrchestrator</c> (registered as <c>PublicNoticeOrchestrator</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("PublicNoticeOrchestrator")]
    public Task<object?> PublicNoticeOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("PublicNoticeOrchestrator", context);

    /// <summary>Runs <c>DisbursementOrchestrator</c> (registered as <c>DisbursementOrchestrator</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("DisbursementOrchestrator")]
    public Task<object?> DisbursementOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("DisbursementOrchestrator", context);

    /// <summary>Runs <c>AnnualAssessmentOrchestrator</c> (registered as <c>AnnualAssessment</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("AnnualAssessment")]
    public Task<object?> AnnualAssessmentOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("AnnualAssessment", context);

    /// <summary>Runs <c>ClaimWindowOrchestrator</c> (registered as <c>ClaimWindow</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("ClaimWindow")]
    public Task<object?> ClaimWindowOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("ClaimWindow", context);

    /// <summary>Runs <c>NoApplicationBatchOrchestrator</c> (registered as <c>NoApplicationBatch</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("NoApplicationBatch")]
    public Task<object?> NoApplicationBatchOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("NoApplicationBatch", context);

    /// <summary>Runs <c>TaskSupervisionOrchestrator</c> (registered as <c>TaskSupervision</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("TaskSupervision")]
    public Task<object?> TaskSupervisionOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("TaskSupervision", context);

    /// <summary>Runs <c>RecoveryOrchestrator</c> (registered as <c>RecoveryOrchestrator</c>).</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The orchestrator's output.</returns>
    [Function("RecoveryOrchestrator")]
    public Task<object?> RecoveryOrchestrator([OrchestrationTrigger] Mdt.TaskOrchestrationContext context) => dispatcher.RunOrchestratorAsync("RecoveryOrchestrator", context);
}

/// <summary>Activity functions: each runs one Workflows.Programmes activity class.</summary>
/// <param name="dispatcher">Runs registered tasks.</param>
public sealed class ActivityFunctions(ProgrammeTaskDispatcher dispatcher)
{
    /// <summary>Runs <c>LoadCallActivity</c> (registered as <c>LoadCallActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("LoadCallActivity")]
    public Task<object?> LoadCallActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("LoadCallActivity", input, context);

    /// <summary>Runs <c>OpenCallActivity</c> (registered as <c>OpenCallActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("OpenCallActivity")]
    public Task<object?> OpenCallActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("OpenCallActivity", input, context);

    /// <summary>Runs <c>CloseCallActivity</c> (registered as <c>CloseCallActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("CloseCallActivity")]
    public Task<object?> CloseCallActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("CloseCallActivity", input, context);

    /// <summary>Runs <c>AwardCallActivity</c> (registered as <c>AwardCallActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("AwardCallActivity")]
    public Task<object?> AwardCallActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("AwardCallActivity", input, context);

    /// <summary>Runs <c>CallStageActivity</c> (registered as <c>CallStageActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("CallStageActivity")]
    public Task<object?> CallStageActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("CallStageActivity", input, context);

    /// <summary>Runs <c>ApplicationStepActivity</c> (registered as <c>ApplicationStepActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("ApplicationStepActivity")]
    public Task<object?> ApplicationStepActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("ApplicationStepActivity", input, context);

    /// <summary>Runs <c>AssignPanelActivity</c> (registered as <c>AssignPanelActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("AssignPanelActivity")]
    public Task<object?> AssignPanelActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("AssignPanelActivity", input, context);

    /// <summary>Runs <c>RecordScoreActivity</c> (registered as <c>RecordScoreActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("RecordScoreActivity")]
    public Task<object?> RecordScoreActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("RecordScoreActivity", input, context);

    /// <summary>Runs <c>RemindReviewersActivity</c> (registered as <c>RemindReviewersActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("RemindReviewersActivity")]
    public Task<object?> RemindReviewersActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("RemindReviewersActivity", input, context);

    /// <summary>Runs <c>ReplaceReviewersActivity</c> (registered as <c>ReplaceReviewersActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("ReplaceReviewersActivity")]
    public Task<object?> ReplaceReviewersActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("ReplaceReviewersActivity", input, context);

    /// <summary>Runs <c>OpenNoticeActivity</c> (registered as <c>OpenNoticeActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("OpenNoticeActivity")]
    public Task<object?> OpenNoticeActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("OpenNoticeActivity", input, context);

    /// <summary>Runs <c>DecideObjectionActivity</c> (registered as <c>DecideObjectionActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("DecideObjectionActivity")]
    public Task<object?> DecideObjectionActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("DecideObjectionActivity", input, context);

    /// <summary>Runs <c>CloseNoticeActivity</c> (registered as <c>CloseNoticeActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("CloseNoticeActivity")]
    public Task<object?> CloseNoticeActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("CloseNoticeActivity", input, context);

    /// <summary>Runs <c>CompleteNoticeActivity</c> (registered as <c>CompleteNoticeActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("CompleteNoticeActivity")]
    public Task<object?> CompleteNoticeActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("CompleteNoticeActivity", input, context);

    /// <summary>Runs <c>PayFirstInstalmentsActivity</c> (registered as <c>PayFirstInstalmentsActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("PayFirstInstalmentsActivity")]
    public Task<object?> PayFirstInstalmentsActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("PayFirstInstalmentsActivity", input, context);

    /// <summary>Runs <c>PayInstalmentYearActivity</c> (registered as <c>PayInstalmentYearActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("PayInstalmentYearActivity")]
    public Task<object?> PayInstalmentYearActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("PayInstalmentYearActivity", input, context);

    /// <summary>Runs <c>CompleteDisbursementActivity</c> (registered as <c>CompleteDisbursementActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("CompleteDisbursementActivity")]
    public Task<object?> CompleteDisbursementActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("CompleteDisbursementActivity", input, context);

    /// <summary>Runs <c>RecoveryBalanceActivity</c> (registered as <c>RecoveryBalanceActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("RecoveryBalanceActivity")]
    public Task<object?> RecoveryBalanceActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("RecoveryBalanceActivity", input, context);

    /// <summary>Runs <c>EscalateRecoveryActivity</c> (registered as <c>EscalateRecoveryActivity</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("EscalateRecoveryActivity")]
    public Task<object?> EscalateRecoveryActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("EscalateRecoveryActivity", input, context);

    /// <summary>Runs <c>BeginAssessmentPeriodActivity</c> (registered as <c>AssessmentBeginPeriod</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("AssessmentBeginPeriod")]
    public Task<object?> BeginAssessmentPeriodActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("AssessmentBeginPeriod", input, context);

    /// <summary>Runs <c>RequestAssessmentReportActivity</c> (registered as <c>AssessmentRequestReport</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("AssessmentRequestReport")]
    public Task<object?> RequestAssessmentReportActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("AssessmentRequestReport", input, context);

    /// <summary>Runs <c>ApplyAssessmentSignalActivity</c> (registered as <c>AssessmentApplySignal</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("AssessmentApplySignal")]
    public Task<object?> ApplyAssessmentSignalActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("AssessmentApplySignal", input, context);

    /// <summary>Runs <c>LapseClaimActivity</c> (registered as <c>ClaimWindowLapse</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("ClaimWindowLapse")]
    public Task<object?> LapseClaimActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("ClaimWindowLapse", input, context);

    /// <summary>Runs <c>BatchStateActivity</c> (registered as <c>BatchState</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("BatchState")]
    public Task<object?> BatchStateActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("BatchState", input, context);

    /// <summary>Runs <c>BatchConfirmActivity</c> (registered as <c>BatchConfirm</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("BatchConfirm")]
    public Task<object?> BatchConfirmActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("BatchConfirm", input, context);

    /// <summary>Runs <c>BatchCloseActivity</c> (registered as <c>BatchCloseConfirmation</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("BatchCloseConfirmation")]
    public Task<object?> BatchCloseActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("BatchCloseConfirmation", input, context);

    /// <summary>Runs <c>BatchListCohortActivity</c> (registered as <c>BatchListCohort</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("BatchListCohort")]
    public Task<object?> BatchListCohortActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("BatchListCohort", input, context);

    /// <summary>Runs <c>BatchSyncCohortActivity</c> (registered as <c>BatchSyncCohort</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("BatchSyncCohort")]
    public Task<object?> BatchSyncCohortActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("BatchSyncCohort", input, context);

    /// <summary>Runs <c>SupervisionStepActivity</c> (registered as <c>SupervisionStep</c>).</summary>
    /// <param name="input">The activity input as JSON.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The activity's output.</returns>
    [Function("SupervisionStep")]
    public Task<object?> SupervisionStepActivity([ActivityTrigger] JsonElement? input, FunctionContext context) => dispatcher.RunActivityAsync("SupervisionStep", input, context);
}
