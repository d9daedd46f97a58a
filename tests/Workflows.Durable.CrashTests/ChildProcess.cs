using System.Globalization;
using Workflows.Tests.Shared;

namespace Workflows.Durable.CrashTests;

/// <summary>Starts Workflows.Durable.CrashWorkload as a child process; it prints a line starting READY once its durable worker runs.</summary>
internal static class ChildProcess
{
    public static CapturedChildProcess Start(string databasePath, int count) =>
        CapturedChildProcess.Start(
            "Workflows.Durable.CrashWorkload",
            [databasePath, count.ToString(CultureInfo.InvariantCulture)],
            "the crash workload",
            line => line.StartsWith("READY", StringComparison.Ordinal),
            "READY");
}
