using Microsoft.Data.Sqlite;
using Workflows.Programmes.Outbox;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Tests.Outbox;

public sealed class SqliteOutboxTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"outbox-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly string _cs;
    private readonly ProgrammeRecords _records;
    private readonly SqliteOutbox _outbox;

    public SqliteOutboxTests()
    {
        _cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();
        _records = new ProgrammeRecords(_cs);
        _records.EnsureSchema();
        _outbox = new SqliteOutbox(_records, TimeSpan.FromMinutes(2));
    }

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private static OutboxMail Mail(string key, DateTimeOffset? at = null) => new()
    {
        IdempotencyKey = key,
        To = new OutboxAddress("applicant@example.cn", "北京某某科技有限公司"),
        Subject = "申请已提交 Application submitted",
        TextBody = "您的申请已提交。\nYour application was submitted.",
        HtmlBody = "<p>您的申请已提交。</p>",
        TemplateName = "ApplicationSubmitted",
        CreatedAt = at ?? T0,
    };

    private long EnqueueCommitted(OutboxMail mail)
    {
        using var connection = new SqliteConnection(_cs);
        connection.Open();
        using var tx = connection.BeginTransaction();
        var id = SqliteOutbox.Enqueue(connection, tx, mail);
        tx.Commit();
        return id;
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("WAL")]
    public async Task ClaimDue_TwoSendersWithReadersAndAWriter_WaitForLocksAndClaimEachMailOnce(string journalMode)
    {
        using (var setup = new SqliteConnection(_cs))
        {
            setup.Open();
            using var pragma = setup.CreateCommand();
            pragma.CommandText = $"PRAGMA journal_mode = {journalMode};";
            pragma.ExecuteNonQuery();
        }

        var ids = Enumerable.Range(1, 40).Select(i => EnqueueCommitted(Mail($"notice/{i}"))).ToHashSet();
        var claimedBy = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        using var stop = new CancellationTokenSource();

        // Readers (status pages) and a lifecycle writer on the same file while two senders claim: with a rollback
        // journal a claim's commit must wait for the readers, with WAL for the writer.
        var others = new Task[]
        {
            Task.Run(() =>
            {
                for (int n = 0; !stop.IsCancellationRequested; n++)
                {
                    using var connection = new SqliteConnection(_cs);
                    connection.Open();
                    using var tx = connection.BeginTransaction(deferred: false);
                    SqliteOutbox.Enqueue(connection, tx, Mail($"other/{n}", T0.AddDays(1)));
                    Thread.SpinWait(20_000);
                    tx.Commit();
                }
            }),
            Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    _ = _outbox.Query(null, 1, 50);
                    Thread.SpinWait(50_000);
                }
            }),
        };

        async Task Sender(SqliteOutbox outbox)
        {
            await Task.Yield();
            while (ids.Any(id => !claimedBy.ContainsKey(id)))
            {
                foreach (var claim in outbox.ClaimDue(T0, 7))
                {
                    claimedBy.AddOrUpdate(claim.Mail.Id, 1, (_, c) => c + 1);
                    Assert.True(outbox.MarkSent(claim.Mail.Id, claim.LeaseToken, T0, null));
                }
            }
        }

        try
        {
            await Task.WhenAll(Task.Run(() => Sender(new SqliteOutbox(_records))), Task.Run(() => Sender(new SqliteOutbox(_records))))
                .WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(others);
        }

        Assert.Equal(ids.Order(), claimedBy.Keys.Order());
        Assert.All(claimedBy.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Enqueue_CommittedWithStateChange_RowReadableWithAllFields()
    {
        using var connection = new SqliteConnection(_cs);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE application_state (id INTEGER PRIMARY KEY, state TEXT NOT NULL);";
            create.ExecuteNonQuery();
        }

        long id;
        using (var tx = connection.BeginTransaction())
        {
            using var change = connection.CreateCommand();
            change.Transaction = tx;
            change.CommandText = "INSERT INTO application_state (id, state) VALUES (42, 'Submitted');";
            change.ExecuteNonQuery();
            id = SqliteOutbox.Enqueue(connection, tx, Mail("application/42/submitted"));
            tx.Commit();
        }

        var stored = _outbox.Get(id);
        Assert.NotNull(stored);
        Assert.Equal("application/42/submitted", stored.IdempotencyKey);
        Assert.Equal(new OutboxAddress("applicant@example.cn", "北京某某科技有限公司"), stored.To);
        Assert.Equal("申请已提交 Application submitted", stored.Subject);
        Assert.Equal("您的申请已提交。\nYour application was submitted.", stored.TextBody);
        Assert.Equal("<p>您的申请已提交。</p>", stored.HtmlBody);
        Assert.Equal("ApplicationSubmitted", stored.TemplateName);
        Assert.Equal(T0, stored.CreatedAt);
        Assert.Equal(T0, stored.NextAttemptAt);
        Assert.Equal(OutboxStatus.Pending, stored.Status);
        Assert.Equal(0, stored.Attempts);
        Assert.Null(stored.SentAt);
        Assert.Null(stored.ProviderMessageId);
    }

    [Fact]
    public void Enqueue_TransactionRolledBack_LeavesNoMail()
    {
        using (var connection = new SqliteConnection(_cs))
        {
            connection.Open();
            using var tx = connection.BeginTransaction();
            SqliteOutbox.Enqueue(connection, tx, Mail("application/7/rejected"));
            tx.Rollback();
        }

        var page = _outbox.Query(null);
        Assert.Equal(0, page.Total);
        Assert.Empty(page.Items);
    }

    [Fact]
    public void Enqueue_DuplicateKey_ChangesNothingAndReturnsExistingId()
    {
        var first = EnqueueCommitted(Mail("application/42/submitted"));
        var second = EnqueueCommitted(Mail("application/42/submitted", T0.AddHours(3)) with { Subject = "changed" });

        Assert.Equal(first, second);
        var page = _outbox.Query(null);
        Assert.Equal(1, page.Total);
        Assert.Equal("申请已提交 Application submitted", page.Items[0].Subject);
        Assert.Equal(T0, page.Items[0].CreatedAt);
    }

    [Fact]
    public void Enqueue_SubjectWithLineBreak_ThrowsNamingTheFieldAndWritesNothing()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnqueueCommitted(Mail("k/1") with { Subject = "a\r\nBcc: x@example.com" }));
        Assert.Contains("line break in its subject", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _outbox.Query(null).Total);
    }

    [Fact]
    public void Enqueue_MissingCreationTime_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnqueueCommitted(Mail("k/2") with { CreatedAt = default }));
        Assert.Contains("creation time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaimDue_OnlyRowsWhoseTimeHasCome_OldestFirstUpToMax()
    {
        var a = EnqueueCommitted(Mail("a", T0));
        var b = EnqueueCommitted(Mail("b", T0.AddMinutes(1)));
        EnqueueCommitted(Mail("later", T0.AddHours(1)));

        Assert.Empty(_outbox.ClaimDue(T0.AddSeconds(-1), 10));
        var one = _outbox.ClaimDue(T0.AddMinutes(5), 1);
        Assert.Equal([a], one.Select(c => c.Mail.Id));
        Assert.Equal(OutboxStatus.Sending, one[0].Mail.Status);
        Assert.Equal(T0.AddMinutes(7), one[0].LeaseUntil);

        var rest = _outbox.ClaimDue(T0.AddMinutes(5), 10);
        Assert.Equal([b], rest.Select(c => c.Mail.Id));
    }

    [Fact]
    public void ClaimDue_RowUnderLease_NotClaimedAgainUntilLeaseExpires()
    {
        var id = EnqueueCommitted(Mail("a"));
        var second = new SqliteOutbox(_records, TimeSpan.FromMinutes(2));

        var first = Assert.Single(_outbox.ClaimDue(T0, 10));
        Assert.Empty(second.ClaimDue(T0.AddMinutes(1), 10));

        var taken = Assert.Single(second.ClaimDue(T0.AddMinutes(2), 10));
        Assert.Equal(id, taken.Mail.Id);
        Assert.NotEqual(first.LeaseToken, taken.LeaseToken);

        // The first sender lost its lease: its late result must not overwrite the second sender's.
        Assert.False(_outbox.MarkSent(id, first.LeaseToken, T0.AddMinutes(3), "stale"));
        Assert.True(second.MarkSent(id, taken.LeaseToken, T0.AddMinutes(3), "fresh"));
        var stored = _outbox.Get(id)!;
        Assert.Equal("fresh", stored.ProviderMessageId);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public async Task ClaimDue_TwoSendersRacing_EachRowClaimedOnce()
    {
        for (var i = 0; i < 40; i++)
        {
            EnqueueCommitted(Mail($"race/{i}"));
        }

        var senders = Enumerable.Range(0, 4).Select(_ => new SqliteOutbox(_records)).ToArray();
        var claims = await Task.WhenAll(senders.Select(s => Task.Run(() =>
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = s.ClaimDue(T0, 3);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(c => c.Mail.Id));
            }
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
    }

    [Fact]
    public void MarkRetry_ThenDue_ClaimedAgainWithAttemptsAndError()
    {
        var id = EnqueueCommitted(Mail("a"));
        var claim = Assert.Single(_outbox.ClaimDue(T0, 10));

        Assert.True(_outbox.MarkRetry(id, claim.LeaseToken, T0.AddMinutes(10), "421 try later"));
        var stored = _outbox.Get(id)!;
        Assert.Equal(OutboxStatus.Pending, stored.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal("421 try later", stored.LastError);
        Assert.Equal(T0.AddMinutes(10), stored.NextAttemptAt);

        Assert.Empty(_outbox.ClaimDue(T0.AddMinutes(9), 10));
        Assert.Single(_outbox.ClaimDue(T0.AddMinutes(10), 10));
    }

    [Fact]
    public void MarkFailed_RowKeptAndNeverClaimedAgain()
    {
        var id = EnqueueCommitted(Mail("a"));
        var claim = Assert.Single(_outbox.ClaimDue(T0, 10));

        Assert.True(_outbox.MarkFailed(id, claim.LeaseToken, "550 mailbox unavailable"));
        Assert.Empty(_outbox.ClaimDue(T0.AddYears(1), 10));
        var failed = Assert.Single(_outbox.Query(OutboxStatus.Failed).Items);
        Assert.Equal("550 mailbox unavailable", failed.LastError);
    }

    [Fact]
    public void MarkSent_WithWrongToken_ChangesNothing()
    {
        var id = EnqueueCommitted(Mail("a"));
        Assert.Single(_outbox.ClaimDue(T0, 10));

        Assert.False(_outbox.MarkSent(id, "not-the-token", T0, "x"));
        Assert.Equal(OutboxStatus.Sending, _outbox.Get(id)!.Status);
    }

    [Fact]
    public void Query_StatusFilterAndPages_NewestFirstWithTotal()
    {
        for (var i = 0; i < 5; i++)
        {
            EnqueueCommitted(Mail($"m/{i}"));
        }

        var claim = _outbox.ClaimDue(T0, 1).Single();
        _outbox.MarkSent(claim.Mail.Id, claim.LeaseToken, T0, "p1");

        var pending = _outbox.Query(OutboxStatus.Pending, page: 2, pageSize: 3);
        Assert.Equal(4, pending.Total);
        Assert.Equal(["m/1"], pending.Items.Select(m => m.IdempotencyKey));
        var firstPage = _outbox.Query(OutboxStatus.Pending, page: 1, pageSize: 3);
        Assert.Equal(["m/4", "m/3", "m/2"], firstPage.Items.Select(m => m.IdempotencyKey));
        var sent = Assert.Single(_outbox.Query(OutboxStatus.Sent).Items);
        Assert.Equal("m/0", sent.IdempotencyKey);
        Assert.Equal(T0, sent.SentAt);
        Assert.Throws<ArgumentOutOfRangeException>(() => _outbox.Query(null, page: 0));
    }
}
