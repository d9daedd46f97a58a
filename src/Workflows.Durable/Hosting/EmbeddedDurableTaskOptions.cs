namespace Workflows.Durable;

/// <summary>How SQLite flushes commits to disk.</summary>
public enum SqliteSynchronousMode
{
    /// <summary><c>synchronous=FULL</c>: a committed episode survives power loss. The default.</summary>
    Full = 0,

    /// <summary><c>synchronous=NORMAL</c>: survives a process crash; the last commits may be lost on power loss. Faster.</summary>
    Normal = 1,
}

/// <summary>Options of the embedded durable runtime. <see cref="Validate"/> names the first invalid value.</summary>
public sealed class EmbeddedDurableTaskOptions
{
    /// <summary>Gets or sets the SQLite database file path (created if missing).</summary>
    /// <value><c>durable.db</c> in the current directory by default.</value>
    public string DatabasePath { get; set; } = "durable.db";

    /// <summary>Gets or sets the durability of commits.</summary>
    /// <value><see cref="SqliteSynchronousMode.Full"/> by default.</value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// Gets or sets whether a chain of steps (episode → activity result → next episode) may share one commit: the
    /// store keeps its transaction open for up to a few milliseconds while follow-up work arrives, and activities
    /// may start before the commit that scheduled them is durable (after a crash they run again, which
    /// at-least-once allows). Client calls still return only after their commit is durable.
    /// </summary>
    /// <value><c>true</c> by default.</value>
    public bool PipelineCommits { get; set; } = true;

    /// <summary>Gets or sets how many orchestration episodes run at the same time.</summary>
    /// <value>4 by default; 1 to 256.</value>
    public int MaxConcurrentOrchestrations { get; set; } = 4;

    /// <summary>Gets or sets how many activities run at the same time.</summary>
    /// <value>16 by default; 1 to 1,024.</value>
    public int MaxConcurrentActivities { get; set; } = 16;

    /// <summary>Gets or sets how many running orchestrations stay in memory between episodes (least recently used are evicted and replayed when needed).</summary>
    /// <value>1,000 by default; 0 disables caching (every episode replays).</value>
    public int CacheSize { get; set; } = 1000;

    /// <summary>Gets or sets how many queued messages of one instance are processed in one episode.</summary>
    /// <value>500 by default; 1 to 10,000.</value>
    public int MaxMessagesPerEpisode { get; set; } = 500;

    /// <summary>
    /// Gets or sets the lease length of a started activity. Work items whose lease expired without a result are run
    /// again (at-least-once); items leased by a process that no longer holds the database lock are run again at start-up.
    /// </summary>
    /// <value>Five minutes by default.</value>
    public TimeSpan ActivityLeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how often the worker looks in the database for work written by other processes.</summary>
    /// <value>One second by default (measured with <see cref="TimeProvider"/>).</value>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest serialized custom status, in UTF-8 bytes.</summary>
    /// <value>16 KiB by default.</value>
    public int MaxCustomStatusBytes { get; set; } = 16 * 1024;

    /// <summary>Gets or sets the largest serialized input, output, event payload or activity result, in UTF-8 bytes.</summary>
    /// <value>1 MiB by default.</value>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the clock for timers, timestamps and polling; <c>null</c> uses the registered or system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the payload converter.</summary>
    /// <value><see cref="JsonDataConverter.Default"/> by default.</value>
    public DataConverter DataConverter { get; set; } = JsonDataConverter.Default;

    /// <summary>Checks every value and throws naming the first invalid one.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(this.DatabasePath))
        {
            throw new ArgumentException("EmbeddedDurableTaskOptions.DatabasePath must name a file.", nameof(this.DatabasePath));
        }

        Check(this.MaxConcurrentOrchestrations, 1, 256, nameof(this.MaxConcurrentOrchestrations));
        Check(this.MaxConcurrentActivities, 1, 1024, nameof(this.MaxConcurrentActivities));
        Check(this.CacheSize, 0, 1_000_000, nameof(this.CacheSize));
        Check(this.MaxMessagesPerEpisode, 1, 10_000, nameof(this.MaxMessagesPerEpisode));
        Check(this.MaxCustomStatusBytes, 1, 16 * 1024 * 1024, nameof(this.MaxCustomStatusBytes));
        Check(this.MaxPayloadBytes, 1, 64 * 1024 * 1024, nameof(this.MaxPayloadBytes));
        if (this.ActivityLeaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"EmbeddedDurableTaskOptions.ActivityLeaseDuration must be positive (was {this.ActivityLeaseDuration}).", nameof(this.ActivityLeaseDuration));
        }

        if (this.PollingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"EmbeddedDurableTaskOptions.PollingInterval must be positive (was {this.PollingInterval}).", nameof(this.PollingInterval));
        }

        if (this.DataConverter is null)
        {
            throw new ArgumentException("EmbeddedDurableTaskOptions.DataConverter must not be null.", nameof(this.DataConverter));
        }

        static void Check(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                throw new ArgumentException($"EmbeddedDurableTaskOptions.{name} must be between {min} and {max} (was {value}).", name);
            }
        }
    }
}
