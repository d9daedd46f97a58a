using Microsoft.Data.Sqlite;
using Workflows.Programmes.Records;
using Workflows.Service.Schedules;

namespace Workflows.Host.Tests.Schedules;

public sealed class ScheduleStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"schedule-state-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
    private readonly string _cs;

    public ScheduleStateStoreTests() => _cs = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

    private ProgrammeRecords Records() => new(_cs, schemas: [ScheduleStateStore.Schema]);

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void GetOrCreate_NewJob_CursorAtNowAndSecondCallKeepsIt()
    {
        var store = new ScheduleStateStore(Records());

        var created = store.GetOrCreate("Sweep", T0);
        var again = store.GetOrCreate("Sweep", T0.AddDays(3));

        Assert.Equal(new ScheduleState("Sweep", T0, null, "Registered", null, null, null, 0, null), created);
        Assert.Equal(created, again);
        Assert.Null(store.Get("Other"));
    }

    [Fact]
    public void MarkRetryThenFinished_CountsFailuresThenResets()
    {
        var store = new ScheduleStateStore(Records());
        store.GetOrCreate("Sweep", T0);

        store.MarkStarted("Sweep", T0.AddHours(2), T0.AddHours(2));
        store.MarkRetry("Sweep", T0.AddHours(2), T0.AddHours(2), T0.AddHours(2).AddMinutes(5), "boom");
        var retrying = store.Get("Sweep")!;
        Assert.Equal((T0.AddHours(2), 1, "Failed", "boom"), (retrying.InFlight!.Value, retrying.Failures, retrying.LastStatus, retrying.LastError));
        Assert.Equal(T0, retrying.Cursor);

        store.MarkFinished("Sweep", T0.AddHours(2), T0.AddHours(3), null);
        var done = store.Get("Sweep")!;
        Assert.Equal((T0.AddHours(2), (DateTimeOffset?)null, 0, (DateTimeOffset?)null, "Succeeded", (string?)null), (done.Cursor, done.InFlight, done.Failures, done.RetryAt, done.LastStatus, done.LastError));
    }

    [Fact]
    public void EnsureSchema_TableFromBeforeRetries_ColumnsAdded()
    {
        using (var connection = new SqliteConnection(_cs))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE schedule_runs (job_name TEXT PRIMARY KEY, cursor INTEGER NOT NULL, in_flight INTEGER NULL,
                    last_status TEXT NOT NULL, last_error TEXT NULL, last_started_at INTEGER NULL, last_finished_at INTEGER NULL);
                INSERT INTO schedule_runs (job_name, cursor, last_status) VALUES ('Old', 1772294400000, 'Succeeded');
                """;
            create.ExecuteNonQuery();
        }

        var old = new ScheduleStateStore(Records()).Get("Old")!;

        Assert.Equal((0, (DateTimeOffset?)null, "Succeeded"), (old.Failures, old.RetryAt, old.LastStatus));
    }

    [Fact]
    public void MarkStarted_UnknownJob_ThrowsNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ScheduleStateStore(Records()).MarkStarted("Ghost", T0, T0));
        Assert.Contains("'Ghost'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RecordsWithoutTheSchedulesSchema_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScheduleStateStore(new ProgrammeRecords(_cs)));

        Assert.Contains("'schedules'", ex.Message, StringComparison.Ordinal);
    }
}
