using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Applications;

/// <summary>Combines expert scores by a <see cref="ScoreAggregation"/> rule. Results are rounded to two decimals, half away from zero.</summary>
public static class ScoreAggregator
{
    /// <summary>Aggregates scores.</summary>
    /// <param name="scores">The scores (at least one).</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The aggregated score.</returns>
    /// <exception cref="ArgumentException">No scores were given.</exception>
    public static decimal Aggregate(IReadOnlyCollection<decimal> scores, ScoreAggregation rule)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            throw new ArgumentException("At least one score is needed to aggregate.", nameof(scores));
        }

        var sorted = scores.Order().ToList();
        decimal value = rule switch
        {
            ScoreAggregation.Median => sorted.Count % 2 == 1
                ? sorted[sorted.Count / 2]
                : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2m,
            ScoreAggregation.TrimmedMean when sorted.Count >= 3 => sorted.Skip(1).Take(sorted.Count - 2).Average(),
            _ => sorted.Average(),
        };
        return Math.Round(value, 2, MidpointRounding.AwayFromZero);
    }
}
