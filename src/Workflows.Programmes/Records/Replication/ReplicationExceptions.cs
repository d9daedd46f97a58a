namespace Workflows.Programmes.Records.Replication;

/// <summary>The local copy of the records no longer matches the shared log; it has to be rebuilt from the log.</summary>
public sealed class ReplicaDivergedException : InvalidOperationException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">What did not match.</param>
    public ReplicaDivergedException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The shared log holds records written by a newer build (a higher records schema version) than this one. This
/// instance can neither read nor write them; deploy the newer build everywhere.
/// </summary>
public sealed class RecordsUpgradedException : InvalidOperationException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="logVersion">The schema version found in the log.</param>
    /// <param name="buildVersion">The schema version this build writes.</param>
    public RecordsUpgradedException(int logVersion, int buildVersion)
        : base($"The shared records log was upgraded to schema version {logVersion} by a newer build; this build writes version {buildVersion}. Deploy the newer build to every instance.")
    {
        this.LogVersion = logVersion;
        this.BuildVersion = buildVersion;
    }

    /// <summary>Gets the schema version found in the log.</summary>
    public int LogVersion { get; }

    /// <summary>Gets the schema version this build writes.</summary>
    public int BuildVersion { get; }
}

/// <summary>A write lost the race for the next log position more times than the replica allows; nothing was committed.</summary>
public sealed class RecordsWriteConflictException : InvalidOperationException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="attempts">How many times the write was tried.</param>
    public RecordsWriteConflictException(int attempts)
        : base($"The records write lost the race for the next log position {attempts} times in a row (other instances kept writing first); nothing was committed. Try again.")
    {
        this.Attempts = attempts;
    }

    /// <summary>Gets how many times the write was tried.</summary>
    public int Attempts { get; }
}
