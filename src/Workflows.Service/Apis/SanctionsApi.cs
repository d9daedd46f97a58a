using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Policies;
using Workflows.Programmes;
using Workflows.Programmes.Sanctions;

namespace Workflows.Service.Apis;

/// <summary>A standing record as sent by the bureau.</summary>
/// <param name="ApplicantId">The applicant (party id).</param>
/// <param name="Kind">Violation, Penalty, DishonestyList, Disqualification or Suspension.</param>
/// <param name="BasisSeed">The seed number of the legal basis, e.g. <c>003</c>.</param>
/// <param name="BasisClause">The clause, e.g. <c>四</c>.</param>
/// <param name="BasisTitle">The document title, optional.</param>
/// <param name="From">First day in force.</param>
/// <param name="To">Last day in force, or null.</param>
/// <param name="Reason">Why.</param>
/// <param name="EvidenceDocumentIds">Evidence documents.</param>
/// <param name="ProgrammeIds">Programmes blocked, or null for all.</param>
public sealed record StandingBody(
    string? ApplicantId, string? Kind, string? BasisSeed, string? BasisClause, string? BasisTitle, DateOnly From, DateOnly? To, string? Reason,
    IReadOnlyList<string>? EvidenceDocumentIds, IReadOnlyList<string>? ProgrammeIds);

/// <summary>A reason for lifting a record.</summary>
/// <param name="Reason">Why.</param>
public sealed record StandingLiftBody(string? Reason);

/// <summary>A correction of a record.</summary>
/// <param name="Standing">The corrected record.</param>
/// <param name="Reason">Why.</param>
public sealed record StandingCorrectionBody(StandingBody? Standing, string? Reason);

/// <summary>A recovery as opened by the bureau.</summary>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="LedgerEntryIds">The payments to recover.</param>
/// <param name="BasisSeed">Seed number of the basis.</param>
/// <param name="BasisClause">Clause.</param>
/// <param name="BasisTitle">Title, optional.</param>
/// <param name="Reason">Why.</param>
/// <param name="Deadline">Last day to repay.</param>
public sealed record OpenRecoveryBody(string? ApplicantId, IReadOnlyList<long>? LedgerEntryIds, string? BasisSeed, string? BasisClause, string? BasisTitle, string? Reason, DateOnly Deadline);

/// <summary>A repayment.</summary>
/// <param name="Reference">The payment reference.</param>
/// <param name="Amount">Amount, yuan.</param>
public sealed record RepaymentBody(string? Reference, decimal Amount);

/// <summary>A hand-over.</summary>
/// <param name="HandedTo">To whom.</param>
/// <param name="Reason">Why.</param>
public sealed record HandOnBody(string? HandedTo, string? Reason);

/// <summary>Exports reported for a year (003 二是(二)).</summary>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="Year">The year.</param>
/// <param name="Amount">Exports, yuan.</param>
public sealed record ExportReportBody(string? ApplicantId, int Year, decimal Amount);

/// <summary>Standing records and recoveries (追回): bureau endpoints, and the applicant's view of its own.</summary>
public static class SanctionsApi
{
    /// <summary>Maps <c>/api/sanctions/…</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The bureau group.</returns>
    public static RouteGroupBuilder MapSanctionsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/sanctions/mine").WithTags("Sanctions").RequireAuthorization(WorkflowPolicies.Applicant);
        mine.MapGet("/standing", (SanctionsOperations ops, ClaimsPrincipal user) => TypedResults.Ok(ops.StandingOf(DomainAccess.PartyOf(user))))
            .WithName("GetMyStanding").WithSummary("The caller's standing records, history included.");
        mine.MapGet("/recoveries", (SanctionsOperations ops, ClaimsPrincipal user) => TypedResults.Ok(ops.RecoveriesOf(DomainAccess.PartyOf(user))))
            .WithName("GetMyRecoveries").WithSummary("The caller's recoveries.");

        var group = app.MapGroup("/api/sanctions").WithTags("Sanctions").RequireAuthorization(WorkflowPolicies.Bureau);
        group.MapPost("/standing", RecordStanding).WithName("RecordStanding").WithSummary("Records a violation, penalty, dishonesty-list entry or disqualification.");
        group.MapGet("/standing", (SanctionsOperations ops, string? applicant) => TypedResults.Ok(ops.StandingOf(Required(applicant))))
            .WithName("GetStanding").WithSummary("An applicant's standing records (?applicant=), history included.");
        group.MapPost("/standing/{id:long}/lift", (SanctionsOperations ops, long id, StandingLiftBody body, ClaimsPrincipal user) =>
            TypedResults.Ok(ops.LiftStanding(id, body?.Reason ?? string.Empty, DomainAccess.ActorOf(user))))
            .WithName("LiftStanding").WithSummary("Lifts a record (kept, marked lifted).");
        group.MapPost("/standing/{id:long}/correct", (SanctionsOperations ops, long id, StandingCorrectionBody body, ClaimsPrincipal user) =>
            TypedResults.Ok(ops.CorrectStanding(id, ToInput(body?.Standing ?? throw new ProgrammeValidationException("standing", "required")), body.Reason ?? string.Empty, DomainAccess.ActorOf(user))))
            .WithName("CorrectStanding").WithSummary("Replaces a record by a corrected one (the old one is kept).");
        group.MapPost("/recoveries", OpenRecoveryAsync).WithName("OpenRecovery").WithSummary("Opens a recovery of named payments.");
        group.MapGet("/recoveries", (SanctionsOperations ops, string? applicant) => TypedResults.Ok(ops.RecoveriesOf(Required(applicant))))
            .WithName("ListRecoveries").WithSummary("An applicant's recoveries (?applicant=).");
        group.MapGet("/recoveries/{id:long}", (SanctionsOperations ops, long id) => TypedResults.Ok(ops.GetRecovery(id))).WithName("GetRecovery");
        group.MapPost("/recoveries/{id:long}/repayments", async (SanctionsOperations ops, long id, RepaymentBody body, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await ops.RecordRepaymentAsync(id, body?.Reference ?? string.Empty, body?.Amount ?? 0m, DomainAccess.ActorOf(user), ct)))
            .WithName("RecordRepayment").WithSummary("Records a repayment (partial or full).");
        group.MapPost("/recoveries/{id:long}/hand-on", async (SanctionsOperations ops, long id, HandOnBody body, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await ops.HandOnAsync(id, body?.HandedTo ?? string.Empty, body?.Reason ?? string.Empty, DomainAccess.ActorOf(user), ct)))
            .WithName("HandOnRecovery").WithSummary("Hands an unpaid recovery on; its history stays.");
        group.MapPost("/exports", (SanctionsOperations ops, ExportReportBody body, ClaimsPrincipal user) =>
        {
            ops.ReportExports(Required(body?.ApplicantId), body!.Year, body.Amount, DomainAccess.ActorOf(user));
            return TypedResults.Ok(ops.ActiveStanding(body.ApplicantId!));
        }).WithName("ReportExports").WithSummary("Records a year's exports (003 二是(二)); returns the applicant's blocking records.");
        group.MapGet("/ledger-net", (SanctionsOperations ops, string? applicant) => TypedResults.Ok(ops.NetLedgerOf(Required(applicant))))
            .WithName("GetNetLedger").WithSummary("An applicant's payments net of reversals.");
        return group;
    }

    /// <summary>Records a standing entry.</summary>
    /// <param name="ops">The facade.</param>
    /// <param name="body">The record.</param>
    /// <param name="user">The officer.</param>
    /// <returns>201 with the row; 422 bad input; 404 unknown applicant.</returns>
    public static Created<StandingRow> RecordStanding(SanctionsOperations ops, StandingBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var row = ops.RecordStanding(ToInput(body), DomainAccess.ActorOf(user));
        return TypedResults.Created($"/api/sanctions/standing?applicant={Uri.EscapeDataString(row.ApplicantId)}", row);
    }

    /// <summary>Opens a recovery.</summary>
    /// <param name="ops">The facade.</param>
    /// <param name="body">The request.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201; 422; 404; 409 a payment already under recovery.</returns>
    public static async Task<Created<RecoveryRecord>> OpenRecoveryAsync(SanctionsOperations ops, OpenRecoveryBody body, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(body);
        var r = await ops.OpenRecoveryAsync(
            new OpenRecoveryRequest(body.ApplicantId ?? string.Empty, body.LedgerEntryIds ?? [], new Citation(body.BasisSeed ?? string.Empty, body.BasisClause ?? string.Empty, body.BasisTitle), body.Reason ?? string.Empty, body.Deadline),
            DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/sanctions/recoveries/{r.Id}", r);
    }

    private static StandingInput ToInput(StandingBody? body)
    {
        if (body is null)
        {
            throw new ProgrammeValidationException("body", "required");
        }

        if (!Enum.TryParse<StandingKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(body.Kind, out _))
        {
            throw new ProgrammeValidationException("kind", "Use Violation, Penalty, DishonestyList, Disqualification or Suspension.");
        }

        return new StandingInput(body.ApplicantId ?? string.Empty, kind, new Citation(body.BasisSeed ?? string.Empty, body.BasisClause ?? string.Empty, body.BasisTitle),
            body.From, body.To, body.Reason ?? string.Empty, body.EvidenceDocumentIds ?? [], body.ProgrammeIds);
    }

    private static string Required(string? applicant) =>
        string.IsNullOrWhiteSpace(applicant) ? throw new ProgrammeValidationException("applicant", "Name the applicant: ?applicant=….") : applicant;
}
