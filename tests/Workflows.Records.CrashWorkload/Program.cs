using System.Globalization;
using Workflows.Records.CrashWorkload;

// Usage: Workflows.Records.CrashWorkload <connection string> <table> <local copy path> <writer name> <count>
if (args.Length != 5
    || !int.TryParse(args[4], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
    || count <= 0
    || args.Take(4).Any(string.IsNullOrWhiteSpace))
{
    Console.Error.WriteLine("usage: Workflows.Records.CrashWorkload <connection string> <table> <local copy path> <writer name> <count (positive integer)>");
    return 64;
}

return await RecordsWorkload.RunAsync(args[0], args[1], args[2], args[3], count);
