using Workflows.Durable.Client;
using Workflows.Programmes.Batches;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Batches;

public sealed class NoApplicationBatchOrchestratorTests
{
    private const string Zjtx = "004-zjtx-award";

    private static readonly Payee Account = new("北京甲科技有限公司", "中国工商银行北京亦庄支行", "0200001234567890123");

    private static BatchPartyRow Firm(string id, string level, bool relocated = false, bool dishonest = false) => new(
        id, $"企业{id}", $"{id}@firms.example.cn",
        $$"""
        { "registeredInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": {{(dishonest ? "true" : "false")}},
          "zjtxLevel": "{{level}}", "newlyRelocated": {{(relocated ? "true" : "false")}}, "officeInArea": true }
        """);

    private static IReadOnlyList<LedgerEntry> Ledger(FeatureHost f, string party) => f.Records.Read(c => PaymentLedger.ForApplicant(c, party));

    private static BatchEntryView Entry(BatchOperations ops, string batch, string party) => ops.Get(batch).Entries.Single(e => e.PartyId == party);

    [Fact]
    public async Task Batch_AllConfirm_NoticedAndPaidWithoutApplications()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        var ops = new BatchOperations(f.Services, f.Host.Client);
        BatchView loaded = await ops.LoadAsync(new LoadBatchRequest("zjtx-2024-1", Zjtx, 2024, [Firm("A", "beijing-zjtx"), Firm("B", "national-little-giant")]), FeatureHost.Officer);
        Assert.Equal(new DateOnly(2024, 6, 18), loaded.ConfirmBy);
        Assert.Equal(200_000m, loaded.Entries.Single(e => e.PartyId == "A").Amount);
        Assert.Equal(500_000m, loaded.Entries.Single(e => e.PartyId == "B").Amount);
        var request = Assert.Single(f.Mails("A@firms.example.cn"));
        Assert.Equal("batch-confirmation-requested", request.Template);
        Assert.Contains("2024年6月18日", request.Subject);

        await ops.ConfirmAsync("zjtx-2024-1", "A", true, Account, new("a-officer", "applicant"));
        await ops.ConfirmAsync("zjtx-2024-1", "B", true, Account with { AccountName = "北京乙科技有限公司" }, new("b-officer", "applicant"));
        await f.UntilAsync(() => ops.Get("zjtx-2024-1").Status == "notice", "all confirmed, notice running");
        Assert.All(ops.Get("zjtx-2024-1").Entries, e => Assert.Equal("noticed", e.Status));

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 6, 12, 9));
        await f.UntilAsync(() => ops.Get("zjtx-2024-1").Status == "completed", "notice passed and payments made");
        Assert.All(ops.Get("zjtx-2024-1").Entries, e => Assert.Equal("paid", e.Status));
        LedgerEntry a = Assert.Single(Ledger(f, "A"));
        Assert.Equal((200_000m, 2024, "beijing-zjtx"), (a.Amount, a.CycleYear, a.Tier));
        Assert.Equal(500_000m, Assert.Single(Ledger(f, "B")).Amount);
        var templates = f.Mails("A@firms.example.cn").Select(m => m.Template).ToList();
        Assert.Equal(["batch-confirmation-requested", "batch-confirmed", "award-proposed", "award-confirmed", "payment-made"], templates);
        OrchestrationMetadata done = await f.Host.Client.WaitForInstanceCompletionAsync(NoApplicationBatchOrchestrator.InstanceId("zjtx-2024-1"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains(f.Audit("batch/zjtx-2024-1"), x => x.Action == "batch.loaded");
    }

    [Fact]
    public async Task Batch_DeclinedUnconfirmedAndIneligible_RecordedAndTold()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        var ops = new BatchOperations(f.Services, f.Host.Client);
        await ops.LoadAsync(
            new LoadBatchRequest("zjtx-2024-2", Zjtx, 2024, [Firm("A", "beijing-zjtx"), Firm("B", "beijing-zjtx"), Firm("C", "beijing-zjtx"), Firm("D", "beijing-zjtx", dishonest: true)], ConfirmDays: 10),
            FeatureHost.Officer);
        Assert.Equal("ineligible", Entry(ops, "zjtx-2024-2", "D").Status);
        var ineligible = Assert.Single(f.Mails("D@firms.example.cn"));
        Assert.Equal("batch-ineligible", ineligible.Template);
        Assert.Contains("未列入严重违法失信主体名单", ineligible.Body);

        var missing = await Assert.ThrowsAsync<ProgrammeValidationException>(() => ops.ConfirmAsync("zjtx-2024-2", "A", true, Account with { AccountNumber = "12ab" }, new("a", "applicant")));
        Assert.Contains("payee.accountNumber", missing.Errors.Keys);
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.ConfirmAsync("zjtx-2024-2", "D", true, Account, new("d", "applicant")));
        await ops.ConfirmAsync("zjtx-2024-2", "A", true, Account, new("a", "applicant"));
        await ops.ConfirmAsync("zjtx-2024-2", "B", false, null, new("b", "applicant"));
        await f.UntilAsync(() => Entry(ops, "zjtx-2024-2", "B").Status == "declined", "B declined");
        Assert.Equal("awaiting-confirmation", Entry(ops, "zjtx-2024-2", "C").Status);

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 6, 14, 0));
        await f.UntilAsync(() => Entry(ops, "zjtx-2024-2", "C").Status == "declined", "C declined after 2024-06-13");
        await Assert.ThrowsAsync<ProgrammeConflictException>(() => ops.ConfirmAsync("zjtx-2024-2", "C", true, Account, new("c", "applicant")));
        var late = f.Mails("C@firms.example.cn").Last();
        Assert.Equal("batch-declined", late.Template);
        Assert.Contains("2024年6月13日前确认", late.Body);

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 6, 25, 0));
        await f.UntilAsync(() => ops.Get("zjtx-2024-2").Status == "completed", "A paid");
        Assert.Equal("paid", Entry(ops, "zjtx-2024-2", "A").Status);
        Assert.Empty(Ledger(f, "B"));
        Assert.Empty(Ledger(f, "C"));
        Assert.Empty(Ledger(f, "D"));
    }

    [Fact]
    public async Task Batch_PromotedFirm_PaidOnlyTheDifference()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        var ops = new BatchOperations(f.Services, f.Host.Client);
        await ops.LoadAsync(new LoadBatchRequest("zjtx-2024-3", Zjtx, 2024, [Firm("A", "beijing-zjtx")]), FeatureHost.Officer);
        await ops.ConfirmAsync("zjtx-2024-3", "A", true, Account, new("a", "applicant"));
        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 6, 20, 9));
        await f.UntilAsync(() => ops.Get("zjtx-2024-3").Status == "completed", "first award paid");

        await f.AdvanceToAsync(FeatureHost.Beijing(2025, 3, 3, 9));
        BatchView second = await ops.LoadAsync(new LoadBatchRequest("zjtx-2025-1", Zjtx, 2025, [Firm("A", "national-little-giant")]), FeatureHost.Officer);
        BatchEntryView promoted = Assert.Single(second.Entries);
        Assert.Equal(300_000m, promoted.Amount);
        Assert.Contains(promoted.Steps, s => s.Contains("第一条"));
        await ops.ConfirmAsync("zjtx-2025-1", "A", true, Account, new("a", "applicant"));
        await f.AdvanceToAsync(FeatureHost.Beijing(2025, 3, 20, 9));
        await f.UntilAsync(() => ops.Get("zjtx-2025-1").Status == "completed", "difference paid");

        var ledger = Ledger(f, "A");
        Assert.Equal([200_000m, 300_000m], ledger.Select(e => e.Amount));
        Assert.Equal(["beijing-zjtx", "national-little-giant"], ledger.Select(e => e.Tier));

        BatchView third = await ops.LoadAsync(new LoadBatchRequest("zjtx-2025-2", Zjtx, 2025, [Firm("A", "beijing-zjtx")]), FeatureHost.Officer);
        Assert.Equal("ineligible", Assert.Single(third.Entries).Status);
    }

    [Fact]
    public async Task Batch_FirmThatMovedIn_PaidInNextYearsUnifiedBatch()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        var ops = new BatchOperations(f.Services, f.Host.Client);
        BatchView loaded = await ops.LoadAsync(new LoadBatchRequest("zjtx-2024-4", Zjtx, 2024, [Firm("A", "beijing-zjtx"), Firm("R", "beijing-zjtx", relocated: true)]), FeatureHost.Officer);
        Assert.Equal(new DateOnly(2025, 1, 2), loaded.NextYearPayoutOn);
        Assert.Equal("next-year-batch", loaded.Entries.Single(e => e.PartyId == "R").Mode);
        await ops.ConfirmAsync("zjtx-2024-4", "A", true, Account, new("a", "applicant"));
        await ops.ConfirmAsync("zjtx-2024-4", "R", true, Account, new("r", "applicant"));

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 6, 20, 9));
        await f.UntilAsync(() => ops.Get("zjtx-2024-4").Status == "awaiting-next-year", "A paid, R waiting");
        Assert.Equal("paid", Entry(ops, "zjtx-2024-4", "A").Status);
        Assert.Equal("deferred", Entry(ops, "zjtx-2024-4", "R").Status);
        Assert.Empty(Ledger(f, "R"));
        Assert.Contains(f.Mails("R@firms.example.cn"), m => m.Template == "batch-deferred" && m.Body.Contains("2025年1月2日"));

        await f.AdvanceToAsync(FeatureHost.Beijing(2024, 12, 31, 9));
        Assert.Empty(Ledger(f, "R"));
        await f.AdvanceToAsync(FeatureHost.Beijing(2025, 1, 2, 9));
        await f.UntilAsync(() => Entry(ops, "zjtx-2024-4", "R").Status == "noticed", "next year's notice");
        await f.AdvanceToAsync(FeatureHost.Beijing(2025, 1, 12, 9));
        await f.UntilAsync(() => ops.Get("zjtx-2024-4").Status == "completed", "R paid in 2025");
        LedgerEntry r = Assert.Single(Ledger(f, "R"));
        Assert.Equal((200_000m, 2024, 2025), (r.Amount, r.CycleYear, r.PaymentYear));
    }

    [Fact]
    public async Task Load_ProgrammePaidOnApplicationOrIncompleteFacts_RefusedAndNothingStored()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        var ops = new BatchOperations(f.Services, f.Host.Client);
        var onApplication = await Assert.ThrowsAsync<ProgrammeValidationException>(() =>
            ops.LoadAsync(new LoadBatchRequest("x-1", "004-rd-growth", 2024, [Firm("A", "beijing-zjtx")]), FeatureHost.Officer));
        Assert.Contains("not 免申即享", onApplication.Errors["programmeId"][0]);

        var incomplete = await Assert.ThrowsAsync<ProgrammeValidationException>(() =>
            ops.LoadAsync(new LoadBatchRequest("x-2", Zjtx, 2024, [Firm("A", "beijing-zjtx"), new BatchPartyRow("B", "企业B", "b@x.cn", "{ \"zjtxLevel\": \"beijing-zjtx\" }")]), FeatureHost.Officer));
        Assert.Contains("registeredInArea", incomplete.Errors["parties[1].factsJson"][0]);
        Assert.Throws<ProgrammeNotFoundException>(() => ops.Get("x-2"));
        Assert.Empty(f.Mails());
    }
}
