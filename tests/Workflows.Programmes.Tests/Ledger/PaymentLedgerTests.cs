using Workflows.Programmes.Audit;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Tests.Ledger;

public sealed class PaymentLedgerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly string path = Path.Combine(Path.GetTempPath(), $"ledger-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly ProgrammeRecords records;

    public PaymentLedgerTests() => this.records = new ProgrammeRecords(this.path);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(this.path + suffix);
        }
    }

    [Fact]
    public void Record_SameKeyTwice_SecondIsANoOpReturningTheFirst()
    {
        var entry = new LedgerEntry("a1", "001-zjtx-award", 2025, 1, 300_000m, 2025, At, "application/1", "beijing-zjtx");
        var first = this.records.Transaction((c, t) => PaymentLedger.Record(c, t, entry));
        var second = this.records.Transaction((c, t) => PaymentLedger.Record(c, t, entry with { Amount = 999m, Source = "application/2" }));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal((first.Entry.Id, 300_000m, "application/1"), (second.Entry.Id, second.Entry.Amount, second.Entry.Source));
        Assert.Equal(300_000m, this.records.Read(c => PaymentLedger.Total(c, "001-zjtx-award", 2025)));
    }

    [Fact]
    public void Record_TwoProjectsOfOneApplicantInOneProgrammeAndYear_BothPaidOnce()
    {
        var first = new LedgerEntry("a1", "001-baicaixin", 2025, 1, 5_000_000m, 2025, At, "application/1", null, "project-A");
        var second = first with { Amount = 3_000_000m, Source = "application/2", ProjectKey = "project-B" };

        var writes = this.records.Transaction((c, t) => new[]
        {
            PaymentLedger.Record(c, t, first),
            PaymentLedger.Record(c, t, second),
            PaymentLedger.Record(c, t, second with { Amount = 1m, Source = "application/3" }),
        });

        Assert.Equal([true, true, false], writes.Select(w => w.Created));
        Assert.Equal(("project-B", 3_000_000m, "application/2"), (writes[2].Entry.ProjectKey, writes[2].Entry.Amount, writes[2].Entry.Source));
        Assert.Equal(8_000_000m, this.records.Read(c => PaymentLedger.Total(c, "001-baicaixin", 2025)));
        var history = this.records.Read(c => PaymentLedger.HistoryOf(c, "a1"));
        Assert.Equal([("project-A", 5_000_000m), ("project-B", 3_000_000m)], history.Awards.Select(a => (a.ProjectKey, a.Amount)).OrderBy(a => a.ProjectKey));
    }

    [Fact]
    public void EnsureSchema_Version1Database_MovedOverKeepingEveryPaymentAndId()
    {
        var old = Path.Combine(Path.GetTempPath(), $"ledger-v1-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
        try
        {
            using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={old};Pooling=False"))
            {
                c.Open();
                using var create = c.CreateCommand();
                create.CommandText = """
                    CREATE TABLE programmes_schema (version INTEGER NOT NULL);
                    INSERT INTO programmes_schema (version) VALUES (1);
                    CREATE TABLE ledger_entries (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, applicant_id TEXT NOT NULL, programme_id TEXT NOT NULL, cycle_year INTEGER NOT NULL,
                        instalment INTEGER NOT NULL, amount_fen INTEGER NOT NULL, payment_year INTEGER NOT NULL, paid_at INTEGER NOT NULL,
                        source TEXT NOT NULL, tier TEXT NULL, project_key TEXT NULL,
                        UNIQUE (applicant_id, programme_id, cycle_year, instalment)
                    );
                    INSERT INTO ledger_entries (id, applicant_id, programme_id, cycle_year, instalment, amount_fen, payment_year, paid_at, source, tier, project_key)
                    VALUES (41, 'a1', '001-baicaixin', 2025, 1, 500000000, 2025, 1748743200000, 'application/1', NULL, 'project-A');
                    """;
                create.ExecuteNonQuery();
            }

            var records = new ProgrammeRecords(old);
            var added = records.Transaction((c, t) =>
                PaymentLedger.Record(c, t, new LedgerEntry("a1", "001-baicaixin", 2025, 1, 3_000_000m, 2025, At, "application/2", null, "project-B")));

            var entries = records.Read(c => PaymentLedger.ForApplicant(c, "a1"));
            Assert.True(added.Created);
            Assert.Equal([(41L, 5_000_000m, "project-A"), (42L, 3_000_000m, "project-B")], entries.Select(e => (e.Id, e.Amount, e.ProjectKey)));
            Assert.Equal((long)ProgrammeRecords.SchemaVersion, records.Read(c => Db.Scalar(c, null, "SELECT MAX(version) FROM programmes_schema;")));
            Assert.False(records.Transaction((c, t) => PaymentLedger.Record(c, t, entries[0] with { Id = 0, Source = "application/9" })).Created);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(old + suffix);
            }
        }
    }

    [Fact]
    public void HistoryOf_Instalments_OneAwardPerProgrammeAndCycleWithTheSum()
    {
        this.records.Transaction((c, t) =>
        {
            PaymentLedger.Record(c, t, new LedgerEntry("a1", "900-x", 2025, 1, 120_000m, 2025, At, "application/1"));
            PaymentLedger.Record(c, t, new LedgerEntry("a1", "900-x", 2025, 2, 90_000m, 2026, At.AddYears(1), "application/1"));
            PaymentLedger.Record(c, t, new LedgerEntry("a1", "001-zjtx-award", 2025, 1, 300_000m, 2025, At, "application/2", "beijing-zjtx"));
        });

        var history = this.records.Read(c => PaymentLedger.HistoryOf(c, "a1"));

        Assert.Equal(210_000m, history.Awards.Single(a => a.ProgrammeId == "900-x").Amount);
        Assert.Equal("beijing-zjtx", history.Awards.Single(a => a.ProgrammeId == "001-zjtx-award").Tier);
    }

    [Fact]
    public void Record_FractionOfAFen_RefusedAndNothingWritten()
    {
        Assert.Throws<ArgumentException>(() => this.records.Transaction((c, t) =>
            PaymentLedger.Record(c, t, new LedgerEntry("a1", "p", 2025, 1, 0.001m, 2025, At, "s"))));
        Assert.Empty(this.records.Read(c => PaymentLedger.ForApplicant(c, "a1")));
    }

    [Fact]
    public void Transaction_FailsAfterAuditAndPayment_RollsBothBack()
    {
        Assert.Throws<InvalidOperationException>(() => this.records.Transaction((c, t) =>
        {
            AuditTrail.Append(c, t, new AuditEntry("k1", At, Actor.System, "x", ["party/a1"]));
            PaymentLedger.Record(c, t, new LedgerEntry("a1", "p", 2025, 1, 1m, 2025, At, "s"));
            throw new InvalidOperationException("boom");
        }));

        Assert.Empty(this.records.Read(c => AuditTrail.ForSubject(c, "party/a1")));
        Assert.Empty(this.records.Read(c => PaymentLedger.ForApplicant(c, "a1")));
    }

    [Fact]
    public void Append_SameKeyTwice_OneEntryWithAllSubjects()
    {
        var entry = new AuditEntry("application/1/rejected", At, new Actor("officer-1", "bureau"), "application.preliminary.rejected",
            ["application/1", "call/3"], "材料不全", "{\"a\":1}");
        var id1 = this.records.Transaction((c, t) => AuditTrail.Append(c, t, entry));
        var id2 = this.records.Transaction((c, t) => AuditTrail.Append(c, t, entry with { Reason = "changed" }));

        Assert.Equal(id1, id2);
        var stored = Assert.Single(this.records.Read(c => AuditTrail.ForSubject(c, "call/3")));
        Assert.Equal(("材料不全", "officer-1", "bureau"), (stored.Reason, stored.Actor.Id, stored.Actor.Role));
        Assert.Equal(["application/1", "call/3"], stored.Subjects);
    }

    [Fact]
    public void EnsureSchema_DatabaseFromANewerVersion_Refused()
    {
        this.records.EnsureSchema();
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={this.path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO programmes_schema (version) VALUES (99);";
            cmd.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => new ProgrammeRecords(this.path).EnsureSchema());
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }
}
