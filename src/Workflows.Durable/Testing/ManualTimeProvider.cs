namespace Workflows.Durable.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to. Timers created through it fire,
/// synchronously on the calling thread and in due-time order, when <see cref="Advance"/> or
/// <see cref="SetUtcNow"/> moves the clock past their due time, so tests skip months in milliseconds.
/// </summary>
/// <remarks>
/// A periodic timer fires at most once per clock move: missed periods collapse into one callback.
/// Thread-safe.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>The default start time: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private readonly TimeZoneInfo localTimeZone;
    private DateTimeOffset utcNow;

    /// <summary>Initializes a provider starting at <see cref="DefaultStart"/>.</summary>
    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    /// <summary>Initializes a provider starting at <paramref name="startUtc"/>.</summary>
    /// <param name="startUtc">The start time.</param>
    /// <param name="localTimeZone">The local time zone reported; UTC when <c>null</c>.</param>
    public ManualTimeProvider(DateTimeOffset startUtc, TimeZoneInfo? localTimeZone = null)
    {
        this.utcNow = startUtc.ToUniversalTime();
        this.localTimeZone = localTimeZone ?? TimeZoneInfo.Utc;
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => this.localTimeZone;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Gets the number of timers that have not fired or been disposed (periodic timers count while active).</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (this.gate)
            {
                return this.timers.Count;
            }
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (this.gate)
        {
            return this.utcNow;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp() => this.GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward and fires every timer that becomes due.</summary>
    /// <param name="delta">How far to move; must not be negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Time cannot move backwards.");
        }

        DateTimeOffset target;
        lock (this.gate)
        {
            target = this.utcNow + delta;
        }

        this.SetUtcNow(target);
    }

    /// <summary>Sets the clock and fires every timer that becomes due.</summary>
    /// <param name="value">The new time; must not be earlier than the current time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than now.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (this.gate)
        {
            if (value < this.utcNow)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Time cannot move backwards from {this.utcNow:O}.");
            }

            this.utcNow = value;
        }

        this.FireDue();
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        this.FireDue();
        return timer;
    }

    private void FireDue()
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (this.gate)
            {
                foreach (ManualTimer t in this.timers)
                {
                    if (t.DueAt <= this.utcNow && (next is null || t.DueAt < next.DueAt || (t.DueAt == next.DueAt && t.Sequence < next.Sequence)))
                    {
                        next = t;
                    }
                }

                if (next is null)
                {
                    return;
                }

                if (next.Period > TimeSpan.Zero && next.Period != Timeout.InfiniteTimeSpan)
                {
                    DateTimeOffset following = next.DueAt + next.Period;
                    next.DueAt = following > this.utcNow ? following : this.utcNow + next.Period;
                }
                else
                {
                    this.timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private static long sequenceSource;

        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(dueTime));
            }

            lock (owner.gate)
            {
                owner.timers.Remove(this);
                this.Period = period;
                this.Sequence = Interlocked.Increment(ref sequenceSource);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    this.DueAt = owner.utcNow + dueTime;
                    owner.timers.Add(this);
                }
            }

            if (dueTime == TimeSpan.Zero)
            {
                owner.FireDue();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            this.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
