using Workflows.Durable.Client;
using Workflows.Policies;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Disbursements;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Sanctions;

/// <summary>Standing records, their enforcement through the instalment port and quotes, and recoveries on the real runtime.</summary>
public class SanctionsTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 1, 0, 0, TimeSpan.Zero); // 2025-03-03 09:00 China
    private static readonly Actor Officer = LifecycleFixture.Officer;
    private static readonly Citation Clause4 = new("003", "四", "平谷区扩大对外开放提高外资外贸发展水平扶持办法");

    private static StandingInput Disqualification(string applicant, DateOnly from, DateOnly? to) =>
        new(applicant, StandingKind.Disqualification, Clause4, from, to, "虚报申报材料 / false statements", ["doc-penalty-1"]);

    private static async Task<(LifecycleFixture Fx, SanctionsOperations Ops)> StartAsync()
    {
        var fx = await LifecycleFixture.StartAsync(Start);
        return (fx, new SanctionsOperations(fx.Services, fx.Client));
    }

    private static long Pay(LifecycleFixture fx, string applicant, int instalment, decimal amount) =>
        fx.Records.Transaction((c, t) => PaymentLedger.Record(c, t, new LedgerEntry(applicant, "004-zjtx-award", 2024, instalment, amount, 2024 + instalment - 1, fx.Now, "test/1")).Entry.Id);

    private static int Count(LifecycleFixture fx, string sql, params (string, object?)[] args) =>
        Convert.ToInt32(fx.Records.Read(c => Db.Scalar(c, null, sql, args)), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task RecordStanding_BadInput_ThrowsNamingFieldsAndChangesNothing()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");

        var e = Assert.Throws<ProgrammeValidationException>(() => ops.RecordStanding(
            new StandingInput("a1", StandingKind.Penalty, new Citation("003", " "), new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 1), " ", []), Officer));

        Assert.Equal(["basis", "evidenceDocumentIds", "reason", "to"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Throws<ProgrammeNotFoundException>(() => ops.RecordStanding(Disqualification("nobody", new DateOnly(2025, 1, 1), null), Officer));
        Assert.Empty(ops.StandingOf("a1"));
        Assert.Equal(0, Count(fx, "SELECT COUNT(*) FROM standing_records;"));
    }

    [Fact]
    public async Task StandingRecord_DisqualificationThenLift_RefusedAtQuoteThenEligibleWithHistoryKept()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        var engine = new QuoteEngine();
        var facts = FactProfile.FromJson("""{ "registeredInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": false, "zjtxLevel": "beijing-zjtx", "newlyRelocated": false }""");
        var on = new DateOnly(2024, 6, 30);
        var row = ops.RecordStanding(Disqualification("a1", new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31)), Officer);

        var refused = engine.Quote(new QuoteRequest("004-zjtx-award", on, facts, Standing: ops.ActiveStanding("a1")));
        ops.LiftStanding(row.Id, "行政复议撤销处罚 / penalty quashed on review", Officer);
        var allowed = engine.Quote(new QuoteRequest("004-zjtx-award", on, facts, Standing: ops.ActiveStanding("a1")));

        Assert.Equal(QuoteOutcome.NotEligible, refused.Outcome);
        Assert.Contains(refused.FailedRules, r => r.RuleId == $"standing:standing/{row.Id}" && r.Citation == Clause4);
        Assert.True(allowed.Eligible, string.Join("; ", allowed.FailedRules));
        var history = Assert.Single(ops.StandingOf("a1"));
        Assert.Equal("lifted", history.Status);
        Assert.Equal(["standing.lifted", "standing.recorded"], fx.Records.Read(c => AuditTrail.ForSubject(c, $"standing/{row.Id}")).Select(a => a.Action).Order(StringComparer.Ordinal));
        Assert.Equal(2, Count(fx, "SELECT COUNT(*) FROM outbox_mail WHERE to_address = 'a1@example.cn' AND template_name = 'standing-changed';"));
    }

    [Fact]
    public async Task CorrectStanding_ShorterPeriod_OldRowKeptNewRowInForce()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        var row = ops.RecordStanding(Disqualification("a1", new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31)), Officer);

        var corrected = ops.CorrectStanding(row.Id, Disqualification("a1", new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31)), "期限录入错误 / wrong end date", Officer);

        Assert.Equal(row.Id, corrected.SupersedesId);
        Assert.Equal(["active", "corrected"], ops.StandingOf("a1").Select(r => r.Status).Order(StringComparer.Ordinal));
        Assert.Equal(new DateOnly(2026, 12, 31), Assert.Single(ops.ActiveStanding("a1")).To);
        Assert.Throws<ProgrammeConflictException>(() => ops.LiftStanding(row.Id, "again", Officer));
    }

    [Fact]
    public async Task InstalmentPort_DisqualificationStartingMidAward_StopsLaterInstalmentFromItsFirstDay()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        ops.RecordStanding(Disqualification("a1", new DateOnly(2025, 7, 1), new DateOnly(2028, 6, 30)), Officer);
        var port = new StandingInstalmentEligibility(fx.Records);
        InstalmentCheck Check(DateOnly on) => new(1, "a1", "004-zjtx-award", 2024, 2, on.Year, on, new DateOnly(2024, 6, 30), "{}");

        var before = port.Check(Check(new DateOnly(2025, 6, 30)));
        var during = port.Check(Check(new DateOnly(2025, 7, 1)));
        var after = port.Check(Check(new DateOnly(2028, 7, 1)));

        Assert.True(before.Eligible);
        Assert.False(during.Eligible);
        Assert.Contains("2028-06-30", Assert.Single(during.Reasons), StringComparison.Ordinal);
        Assert.Contains("003", during.Reasons[0], StringComparison.Ordinal);
        Assert.True(after.Eligible);
    }

    [Fact]
    public async Task Recovery_PartialThenFullRepayment_ClosesWithReversalsNetOfPayments()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        var p1 = Pay(fx, "a1", 1, 100000m);
        var p2 = Pay(fx, "a1", 2, 50000m);
        Pay(fx, "a1", 3, 30000m);

        var recovery = await ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1, p2], Clause4, "严重违法违规 / serious violation", new DateOnly(2025, 4, 30)), Officer);
        await fx.IdleAsync();
        var partial = await ops.RecordRepaymentAsync(recovery.Id, "bank-1", 120000m, Officer);
        await fx.IdleAsync();
        var midway = ops.NetLedgerOf("a1");
        var full = await ops.RecordRepaymentAsync(recovery.Id, "bank-2", 30000m, Officer);
        await fx.IdleAsync();

        Assert.Equal(150000m, recovery.Amount);
        Assert.Equal(30000m, partial.Outstanding);
        Assert.Equal("open", partial.Status);
        Assert.Equal(new NetLedger(180000m, 120000m, 60000m), midway);
        Assert.Equal(0m, full.Outstanding);
        Assert.Equal("closed", ops.GetRecovery(recovery.Id).Status);
        var meta = await fx.MetadataAsync(RecoveryRecord.InstanceIdOf(recovery.Id));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        var net = ops.NetLedgerOf("a1");
        Assert.Equal(180000m - 150000m, net.Net);
        Assert.Equal(net.Paid - net.Recovered, net.Net);
        var reversals = fx.Records.Read(c => SanctionsStore.ReversalsOf(c, null, "a1"));
        Assert.Equal(100000m, reversals.Where(r => r.LedgerEntryId == p1).Sum(r => r.Amount));
        Assert.Equal(50000m, reversals.Where(r => r.LedgerEntryId == p2).Sum(r => r.Amount));
        Assert.Equal(3, fx.Records.Read(c => PaymentLedger.ForApplicant(c, "a1")).Count);
        var opened = fx.Records.Read(c => Db.Scalar(c, null, "SELECT text_body FROM outbox_mail WHERE template_name = 'recovery-opened';")) as string;
        Assert.NotNull(opened);
        Assert.Contains("150000.00", opened, StringComparison.Ordinal);
        Assert.Contains("2025-04-30", opened, StringComparison.Ordinal);
        Assert.Contains("003", opened, StringComparison.Ordinal);
        Assert.Contains("English", opened, StringComparison.Ordinal);
        Assert.Equal(["recovery.closed", "recovery.opened", "recovery.repayment", "recovery.repayment"],
            fx.Records.Read(c => AuditTrail.ForSubject(c, $"recovery/{recovery.Id}")).Select(a => a.Action).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Recovery_BadRequests_ThrowAndChangeNothing()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        fx.Applicant("a2");
        var p1 = Pay(fx, "a1", 1, 100000m);
        var other = Pay(fx, "a2", 1, 100000m);

        await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1, other], Clause4, "x", new DateOnly(2025, 4, 30)), Officer));
        await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1], Clause4, "x", new DateOnly(2025, 3, 3)), Officer));
        var r = await ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1], Clause4, "x", new DateOnly(2025, 4, 30)), Officer);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1], Clause4, "x", new DateOnly(2025, 4, 30)), Officer));
        await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.RecordRepaymentAsync(r.Id, "b", 100000.01m, Officer));

        Assert.Equal(1, Count(fx, "SELECT COUNT(*) FROM recoveries;"));
        Assert.Equal(0, Count(fx, "SELECT COUNT(*) FROM recovery_repayments;"));
    }

    [Fact]
    public async Task Recovery_DeadlinePassesUnpaid_EscalatesThenHandedOnKeepsHistory()
    {
        var (fx, ops) = await StartAsync();
        await using var _ = fx;
        fx.Applicant("a1");
        var p1 = Pay(fx, "a1", 1, 100000m);
        var r = await ops.OpenRecoveryAsync(new OpenRecoveryRequest("a1", [p1], Clause4, "严重违法违规", new DateOnly(2025, 4, 30)), Officer);
        await ops.RecordRepaymentAsync(r.Id, "bank-1", 10000m, Officer);

        // Last day (China): still open.
        await fx.AdvanceToAsync(new DateTimeOffset(2025, 4, 30, 23, 0, 0, TimeSpan.FromHours(8)));
        var onLastDay = ops.GetRecovery(r.Id).Status;
        await fx.AdvanceToAsync(new DateTimeOffset(2025, 5, 1, 0, 1, 0, TimeSpan.FromHours(8)));
        var afterDeadline = ops.GetRecovery(r.Id);
        await ops.HandOnAsync(r.Id, "区财政局执法科", "逾期未退回 / overdue", Officer);
        await fx.IdleAsync();

        Assert.Equal("open", onLastDay);
        Assert.Equal("escalated", afterDeadline.Status);
        Assert.Equal(1, Count(fx, "SELECT COUNT(*) FROM outbox_mail WHERE template_name = 'recovery-overdue';"));
        var meta = await fx.MetadataAsync(RecoveryRecord.InstanceIdOf(r.Id));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        var final = ops.GetRecovery(r.Id);
        Assert.Equal("handed-on", final.Status);
        Assert.Equal("区财政局执法科", final.HandedTo);
        Assert.Equal(10000m, final.Repaid);
        Assert.Contains(fx.Records.Read(c => AuditTrail.ForSubject(c, $"recovery/{r.Id}")), a => a.Action == "recovery.escalated" && a.Actor == Actor.System);
    }
}

/// <summary>The 003 二是(二) suspension computed from the ledger and reported exports, through the store and the port.</summary>
public class ExportSuspensionStoreTests
{
    [Fact]
    public async Task ExportSuspension_TwoFundedYearsNoExports_BlocksThirdYearNotFourth()
    {
        await using var fx = await LifecycleFixture.StartAsync(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        var ops = new SanctionsOperations(fx.Services, fx.Client);
        fx.Applicant("t1");
        foreach (var year in new[] { 2024, 2025 })
        {
            fx.Records.Transaction((c, t) => PaymentLedger.Record(c, t, new LedgerEntry("t1", ExportSuspensionRule.ProgrammeId, year, 1, 20000m, year, fx.Now, "test")));
            ops.ReportExports("t1", year, 0m, LifecycleFixture.Officer);
        }

        var port = new StandingInstalmentEligibility(fx.Records);
        InstalmentCheck Check(DateOnly on, string programme) => new(1, "t1", programme, 2025, 2, on.Year, on, new DateOnly(2025, 6, 30), "{}");

        var block = Assert.Single(ops.ActiveStanding("t1"));
        Assert.Equal(new DateOnly(2026, 1, 1), block.From);
        Assert.Equal(ExportSuspensionRule.Basis, block.Basis);
        Assert.False(port.Check(Check(new DateOnly(2026, 12, 31), ExportSuspensionRule.ProgrammeId)).Eligible);
        Assert.True(port.Check(Check(new DateOnly(2027, 1, 1), ExportSuspensionRule.ProgrammeId)).Eligible);
        Assert.True(port.Check(Check(new DateOnly(2026, 6, 30), "004-zjtx-award")).Eligible);

        ops.ReportExports("t1", 2025, 5000m, LifecycleFixture.Officer);

        Assert.Empty(ops.ActiveStanding("t1"));
    }
}
