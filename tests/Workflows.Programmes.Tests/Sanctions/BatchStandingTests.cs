using Workflows.Policies;
using Workflows.Programmes.Batches;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;
using Workflows.Programmes.Sanctions;
using Workflows.Programmes.Tests.Assessments;

namespace Workflows.Programmes.Tests.Sanctions;

/// <summary>免申即享 batches check standing: a firm disqualified on the batch date is listed as ineligible and told why.</summary>
public sealed class BatchStandingTests
{
    private static BatchPartyRow Firm(string id) => new(
        id, $"企业{id}", $"{id}@firms.example.cn",
        """
        { "registeredInArea": true, "majorPenaltyWithin3Years": false, "criminalRecordWithin3Years": false, "seriousDishonestyListed": false,
          "zjtxLevel": "beijing-zjtx", "newlyRelocated": false, "officeInArea": true }
        """);

    [Fact]
    public async Task Batch_DisqualifiedFirm_IneligibleOthersAwarded()
    {
        await using FeatureHost f = await FeatureHost.StartAsync(FeatureHost.Beijing(2024, 6, 3, 9));
        f.Records.Transaction((c, t) => PartyDirectory.Upsert(c, t, new Party("A", "企业A", "A@firms.example.cn"), f.Services.Time.GetUtcNow()));
        new SanctionsOperations(f.Services, f.Host.Client).RecordStanding(
            new StandingInput("A", StandingKind.Disqualification, new Citation("003", "四", "平谷区扩大对外开放提高外资外贸发展水平扶持办法"),
                new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), "虚报申报材料 / false statements", ["doc-1"]),
            FeatureHost.Officer);
        var ops = new BatchOperations(f.Services, f.Host.Client);

        var loaded = await ops.LoadAsync(new LoadBatchRequest("zjtx-2024-s", "004-zjtx-award", 2024, [Firm("A"), Firm("B")]), FeatureHost.Officer);

        Assert.Equal("ineligible", loaded.Entries.Single(e => e.PartyId == "A").Status);
        Assert.Equal(200_000m, loaded.Entries.Single(e => e.PartyId == "B").Amount);
        Assert.Contains(f.Mails("A@firms.example.cn"), m => m.Template == "batch-ineligible");
    }
}
