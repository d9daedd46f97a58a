using Microsoft.Data.Sqlite;
using Workflows.Programmes.Applications;
using Workflows.Programmes.Records;

namespace Workflows.Programmes.Calls;

/// <summary>Read queries about calls.</summary>
internal static class CallQueries
{
    private static readonly string[] Committed =
    [
        nameof(ApplicationStatus.Awarded), nameof(ApplicationStatus.Noticed), nameof(ApplicationStatus.Held), nameof(ApplicationStatus.Approved),
        nameof(ApplicationStatus.Paying), nameof(ApplicationStatus.Paid), nameof(ApplicationStatus.Stopped),
    ];

    public static CallProgress? Progress(SqliteConnection c, SqliteTransaction? t, long callId)
    {
        var call = LifecycleStore.GetCall(c, t, callId);
        if (call is null)
        {
            return null;
        }

        var counts = Db.Query(c, t, "SELECT status, COUNT(*) FROM applications WHERE call_id = $id GROUP BY status ORDER BY status;",
                r => (Status: r.GetString(0), Count: r.GetInt32(1)), ("$id", callId))
            .ToDictionary(x => x.Status, x => x.Count, StringComparer.Ordinal);
        var used = Db.Scalar(c, t, $"""
            SELECT COALESCE(SUM(award_fen), 0) FROM applications
             WHERE call_id = $id AND status IN ({string.Join(", ", Committed.Select(s => $"'{s}'"))});
            """, ("$id", callId)) as long? ?? 0;
        var paid = Db.Scalar(c, t, """
            SELECT COALESCE(SUM(l.amount_fen), 0) FROM applications a JOIN ledger_entries l ON l.source = 'application/' || a.application_id
             WHERE a.call_id = $id;
            """, ("$id", callId)) as long? ?? 0;
        return new CallProgress(callId, call.Status, counts, call.Budget, Db.FromFen(used), Db.FromFen(paid));
    }
}
