namespace Workflows.Programmes.Claims;

/// <summary>
/// Dates in the policies are Beijing dates (UTC+8, no daylight saving): a deadline "on day D" ends when D ends in
/// Beijing, i.e. at D+1 00:00 +08:00 = D 16:00 UTC. Durable timers and the clock work in UTC.
/// </summary>
public static class DistrictDates
{
    /// <summary>Beijing's offset from UTC.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Gets the UTC instant at which a Beijing day starts.</summary>
    /// <param name="date">The day.</param>
    /// <returns>The instant (UTC).</returns>
    public static DateTime StartOfDayUtc(DateOnly date) =>
        DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);

    /// <summary>Gets the UTC instant at which a Beijing day ends (the next day starts).</summary>
    /// <param name="date">The day.</param>
    /// <returns>The instant (UTC).</returns>
    public static DateTime EndOfDayUtc(DateOnly date) => StartOfDayUtc(date.AddDays(1));

    /// <summary>Gets the Beijing date of a UTC instant.</summary>
    /// <param name="utc">The instant.</param>
    /// <returns>The date in Beijing.</returns>
    public static DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(utc.ToUniversalTime() + Offset);

    /// <summary>Gets the Beijing date of an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The date in Beijing.</returns>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime + Offset);
}
