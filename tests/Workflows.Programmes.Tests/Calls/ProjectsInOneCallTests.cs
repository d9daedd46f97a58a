using Microsoft.Data.Sqlite;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Records;
using Workflows.Programmes.Tests.Support;

namespace Workflows.Programmes.Tests.Calls;

public sealed class ProjectsInOneCallTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SubmitApplication_TwoProjectsOfOneApplicantInOneCall_BothAcceptedButNotTheSameProjectTwice()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);
        var facts = Facts.Of001("\"zjtxLevel\": \"national-little-giant\"");
        var applicant = new Actor("a1", "applicant");

        var first = f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", facts, "project-A"), applicant);
        var second = f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", facts, "project-B"), applicant);
        var again = Assert.Throws<ProgrammeConflictException>(() => f.Ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, "a1", facts, "project-A"), applicant));

        Assert.NotEqual(first.ApplicationId, second.ApplicationId);
        Assert.Contains($"application {first.ApplicationId}", again.Message, StringComparison.Ordinal);
        Assert.Contains("'project-A'", again.Message, StringComparison.Ordinal);
        Assert.Equal(2, f.Ops.ListApplications("a1").Count);
    }

    [Fact]
    public async Task SubmitApplication_SecondWithoutProjectKey_ConflictAskingForAProjectKey()
    {
        await using var f = await LifecycleFixture.StartAsync(Start);
        f.Applicant("a1");
        var call = await f.PublishAsync("001-zjtx-award", 2025, TimeSpan.FromDays(10), 5_000_000m);
        var request = new SubmitApplicationRequest(call.CallId, "a1", Facts.Of001("\"zjtxLevel\": \"national-little-giant\""));
        f.Ops.SubmitApplication(request, new Actor("a1", "applicant"));

        var ex = Assert.Throws<ProgrammeConflictException>(() => f.Ops.SubmitApplication(request, new Actor("a1", "applicant")));

        Assert.Contains("needs its own project key", ex.Message, StringComparison.Ordinal);
        Assert.Single(f.Ops.ListApplications("a1"));
    }

    [Fact]
    public void EnsureSchema_OlderApplicationsTable_MovedOverKeepingRowsAndIds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"apps-v2-{Environment.ProcessId}-{Path.GetRandomFileName()}.db");
        try
        {
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var create = c.CreateCommand();
                create.CommandText = """
                    CREATE TABLE programmes_schema (version INTEGER NOT NULL);
                    INSERT INTO programmes_schema (version) VALUES (2);
                    CREATE TABLE calls (call_id INTEGER PRIMARY KEY AUTOINCREMENT, programme_id TEXT NOT NULL, cycle_year INTEGER NOT NULL, opens_at INTEGER NOT NULL,
                        closes_at INTEGER NOT NULL, budget_fen INTEGER NOT NULL, settings_json TEXT NOT NULL, status TEXT NOT NULL, published_by TEXT NOT NULL,
                        published_at INTEGER NOT NULL, closed_at INTEGER NULL, instance_id TEXT NOT NULL);
                    INSERT INTO calls VALUES (5, '001-zjtx-award', 2025, 0, 1, 0, '{}', 'Open', 'o', 0, NULL, 'call-5');
                    CREATE TABLE applications (
                        application_id INTEGER PRIMARY KEY AUTOINCREMENT, call_id INTEGER NOT NULL REFERENCES calls (call_id), applicant_id TEXT NOT NULL,
                        programme_id TEXT NOT NULL, cycle_year INTEGER NOT NULL, status TEXT NOT NULL, facts_json TEXT NOT NULL, project_key TEXT NULL,
                        submitted_at INTEGER NOT NULL, quoted_on TEXT NOT NULL, quote_fen INTEGER NULL, quote_json TEXT NULL, tier TEXT NULL, score TEXT NULL,
                        award_fen INTEGER NULL, award_json TEXT NULL, supplement_due INTEGER NULL, updated_at INTEGER NOT NULL,
                        UNIQUE (call_id, applicant_id)
                    );
                    INSERT INTO applications (application_id, call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, updated_at)
                    VALUES (77, 5, 'a1', '001-zjtx-award', 2025, 'Submitted', '{}', 'project-A', 0, '2025-05-06', 0);
                    """;
                create.ExecuteNonQuery();
            }

            var records = new ProgrammeRecords(path);
            records.Transaction((c, t) => Db.Execute(c, t, """
                INSERT INTO applications (call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, updated_at)
                VALUES (5, 'a1', '001-zjtx-award', 2025, 'Submitted', '{}', 'project-B', 0, '2025-05-06', 0);
                """));

            Assert.Equal([(77L, "project-A"), (78L, "project-B")],
                records.Read(c => Db.Query(c, null, "SELECT application_id, project_key FROM applications ORDER BY application_id;", r => (r.GetInt64(0), r.GetString(1)))));
            Assert.Throws<SqliteException>(() => records.Transaction((c, t) => Db.Execute(c, t, """
                INSERT INTO applications (call_id, applicant_id, programme_id, cycle_year, status, facts_json, project_key, submitted_at, quoted_on, updated_at)
                VALUES (5, 'a1', '001-zjtx-award', 2025, 'Submitted', '{}', 'project-B', 0, '2025-05-06', 0);
                """)));
            Assert.Equal((long)ProgrammeRecords.SchemaVersion, records.Read(c => Db.Scalar(c, null, "SELECT MAX(version) FROM programmes_schema;")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
