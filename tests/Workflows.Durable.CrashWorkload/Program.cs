using System.Globalization;
using Workflows.Durable.CrashWorkload;

// Usage: Workflows.Durable.CrashWorkload <database path> <instance count>
if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
{
    Console.Error.WriteLine("usage: Workflows.Durable.CrashWorkload <database path> <instance count (positive integer)>");
    return 64;
}

return await CrashWorkload.RunAsync(args[0], count);
