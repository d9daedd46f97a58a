using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Workflows.Durable.Testing;
using Workflows.Policies;
using Workflows.Programmes;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Calls;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;
using Workflows.Programmes.Records;

// One call with N applications (default 10,000) and the same mix of outcomes as the 1,000-application test:
// 5 % ineligible, 5 % rejected in 初审, 10 % 补正 (half answered, half timed out), 5 % withdrawn, 10 % below the
// threshold, the rest ranked against a budget that runs out; 4 objections (2 upheld). Time is skipped with a fake clock.
var applications = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var budget = applications * 300_000m;
var folder = Directory.CreateTempSubdirectory("programmes-bench-").FullName;
var clock = new ManualTimeProvider(new DateTimeOffset(2025, 5, 6, 1, 0, 0, TimeSpan.Zero));
var records = new ProgrammeRecords(Path.Combine(folder, "records.db"));
var services = ProgrammeServices.CreateDefault(records, clock);
var total = Stopwatch.StartNew();
var phase = Stopwatch.StartNew();
await using var host = await DurableTestHost.StartAsync(ProgrammeModules.RegisterAll, new DurableTestHostOptions
{
    DatabasePath = Path.Combine(folder, "durable.db"),
    TimeProvider = clock,
    Services = new Single(services),
    ConfigureRuntime = o =>
    {
        o.MaxConcurrentOrchestrations = 8;
        o.CacheSize = applications + 100;
    },
});
var ops = new ProgrammeOperations(services, host.Client);
var officer = new Actor("officer-1", "bureau");
async Task Idle() => await host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
async Task AdvanceTo(DateTimeOffset when)
{
    await Idle();
    if (when > clock.GetUtcNow())
    {
        clock.SetUtcNow(when);
    }

    await Idle();
}

void Report(string what)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-38} {phase.Elapsed.TotalSeconds,7:F1} s"));
    phase.Restart();
}

for (var i = 1; i <= 30; i++)
{
    ops.RegisterExpert(new Expert($"x{i:D2}", $"专家{i}", $"x{i:D2}@experts.example.cn", $"大学{i % 7}"), officer);
}

var call = await ops.PublishCallAsync(new PublishCallRequest("001-zjtx-award", 2025, clock.GetUtcNow(), clock.GetUtcNow().AddDays(15), budget,
    new CallSettingsInput { PanelSize = 3 }), officer);
await Idle();
var apps = new long[applications];
for (var i = 0; i < applications; i++)
{
    var id = $"f{i:D6}";
    ops.RegisterParty(new Party(id, $"北京{id}科技有限公司", $"{id}@firms.example.cn", $"集团{i % 50}"), officer);
    var tier = i % 3 == 0 ? "national-little-giant" : "beijing-zjtx";
    var facts = "{ \"operatesInArea\": true, \"majorPenaltyWithin3Years\": false, \"criminalRecordWithin3Years\": false, " +
        $"\"seriousDishonestyListed\": {(i % 20 == 0 ? "true" : "false")}, \"zjtxLevel\": \"{tier}\" }}";
    apps[i] = ops.SubmitApplication(new SubmitApplicationRequest(call.CallId, id, facts), new Actor(id, "applicant")).ApplicationId;
}

Report($"register + submit {applications}");
await AdvanceTo(call.ClosesAt);
Report("close, start reviews");
for (var i = 0; i < applications; i++)
{
    PreliminaryDecisionRequest? decision = (i % 20) switch
    {
        0 => null,
        1 => new(PreliminaryOutcome.Reject, "材料不齐全"),
        2 or 3 => new(PreliminaryOutcome.Supplement, "请补充审计报告"),
        _ => new(PreliminaryOutcome.Accept),
    };
    if (decision is not null)
    {
        await ops.DecidePreliminaryAsync(apps[i], decision, officer);
    }
}

await Idle();
for (var i = 2; i < applications; i += 20)
{
    await ops.AnswerSupplementAsync(apps[i], new Actor($"f{i:D6}", "applicant"), "已补充");
}

await Idle();
for (var i = 2; i < applications; i += 20)
{
    await ops.DecidePreliminaryAsync(apps[i], new(PreliminaryOutcome.Accept), officer);
}

for (var i = 4; i < applications; i += 20)
{
    await ops.WithdrawApplicationAsync(apps[i], new Actor($"f{i:D6}", "applicant"), "放弃申报");
}

await Idle();
Report("初审, 补正, withdrawals, panels");
var assignments = records.Read(c => Db.Query(c, null, "SELECT application_id, expert_id FROM reviewer_assignments WHERE status = 'assigned' ORDER BY application_id;",
    r => (App: r.GetInt64(0), Expert: r.GetString(1))));
var index = apps.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i);
foreach (var (app, expert) in assignments)
{
    var i = index[app];
    await ops.ScoreAsync(app, expert, i % 10 == 5 ? 50m : 70m + (i * 7 % 26));
}

await Idle();
Report($"{assignments.Count} expert scores");
await AdvanceTo(clock.GetUtcNow().AddDays(8));
Report("补正 time-outs, awards, 公示 opened");
var notice = ops.GetNoticeOfCall(call.CallId);
await AdvanceTo(notice.StartsAt.AddHours(10));
var listed = notice.Entries.Where(e => e.Status == "listed").Take(4).Select(e => e.ApplicationId).ToList();
for (var k = 0; k < listed.Count; k++)
{
    var objection = ops.FileObjection(listed[k], "对申报数据有异议", new Actor("public", "public"));
    await ops.DecideObjectionAsync(objection, k % 2 == 0, k % 2 == 0 ? "异议成立" : "异议不成立", officer);
}

await AdvanceTo(notice.EndsAt);
Report("objections, end of 公示, payments");

var ledger = ops.GetLedger("001-zjtx-award", 2025);
var passed = ops.GetNoticeOfCall(call.CallId).Entries.Where(e => e.Status == "passed").Sum(e => e.Amount);
var progress = ops.GetCallProgress(call.CallId);
var mails = records.Read(c => (long)Db.Scalar(c, null, "SELECT COUNT(*) FROM outbox_mail;")!);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"applications: {string.Join(", ", progress.Applications.Select(kv => $"{kv.Key} {kv.Value}"))}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"call {progress.Status}; payments {ledger.Count}, ledger total {Money.Format(ledger.Sum(l => l.Amount))}, passed notice {Money.Format(passed)}, budget {Money.Format(budget)}; mails queued {mails}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time {total.Elapsed.TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB; GC heap now {GC.GetTotalMemory(false) / 1024 / 1024} MiB"));
if (ledger.Sum(l => l.Amount) != passed || ledger.Count != ledger.Select(l => l.ApplicantId).Distinct().Count())
{
    Console.WriteLine("MISMATCH: the ledger does not equal the awards that passed the notice");
    return 1;
}

await host.DisposeAsync();
SqliteConnection.ClearAllPools();
Directory.Delete(folder, recursive: true);
return 0;

/// <summary>Resolves the programme services for the activities.</summary>
/// <param name="services">The services.</param>
internal sealed class Single(ProgrammeServices services) : IServiceProvider
{
    /// <inheritdoc/>
    public object? GetService(Type serviceType) => serviceType == typeof(ProgrammeServices) ? services : null;
}
