namespace Workflows.Durable;

/// <summary>
/// The name (and optional version) of an orchestrator or activity. Names compare case-insensitively,
/// as in Durable Task. A <see cref="string"/> converts implicitly.
/// </summary>
public readonly struct TaskName : IEquatable<TaskName>
{
    /// <summary>Initializes a new <see cref="TaskName"/>.</summary>
    /// <param name="name">The task name; must not be empty.</param>
    public TaskName(string name)
        : this(name, null)
    {
    }

    /// <summary>Initializes a new <see cref="TaskName"/> with a version.</summary>
    /// <param name="name">The task name; must not be empty.</param>
    /// <param name="version">The version, or <c>null</c>.</param>
    public TaskName(string name, string? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        this.Name = name;
        this.Version = version ?? string.Empty;
    }

    /// <summary>Gets the name of the task.</summary>
    public string Name { get; }

    /// <summary>Gets the version of the task; empty when none.</summary>
    /// <value>Empty by default.</value>
    public string Version { get; }

    /// <summary>Converts a string to a <see cref="TaskName"/>.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator TaskName(string name) => new(name);

    /// <summary>Compares two names case-insensitively.</summary>
    /// <param name="left">The left name.</param>
    /// <param name="right">The right name.</param>
    public static bool operator ==(TaskName left, TaskName right) => left.Equals(right);

    /// <summary>Compares two names case-insensitively.</summary>
    /// <param name="left">The left name.</param>
    /// <param name="right">The right name.</param>
    public static bool operator !=(TaskName left, TaskName right) => !left.Equals(right);

    /// <summary>Creates a <see cref="TaskName"/> from a string.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The task name.</returns>
    public static TaskName FromString(string name) => new(name);

    /// <inheritdoc/>
    public bool Equals(TaskName other) =>
        string.Equals(this.Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(this.Version, other.Version, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TaskName other && this.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(this.Name ?? string.Empty),
        StringComparer.OrdinalIgnoreCase.GetHashCode(this.Version ?? string.Empty));

    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(this.Version) ? this.Name ?? string.Empty : $"{this.Name}:{this.Version}";
}
