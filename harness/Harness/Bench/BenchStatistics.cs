namespace Harness.Bench;

/// <summary>Median, min and max of repeated measurements (seconds); the median is what the table compares.</summary>
public sealed record Spread(double Median, double Min, double Max, int Count)
{
    /// <summary>The spread of <paramref name="values"/>; the median of an even count is the mean of the middle two.</summary>
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No measurements to summarise.", nameof(values));
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>The spread, or null when nothing was measured (a phase the console never showed).</summary>
    public static Spread? OfAny(IReadOnlyCollection<double> values) => values.Count == 0 ? null : Of(values);
}
