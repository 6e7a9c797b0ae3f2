using Harness.Errors;
using Harness.Patches;

namespace Harness.Bisect;

/// <summary>
/// Which prefixes a bisect builds: base plus the first k patches of the series for k = 1..n, each in the
/// series' order. Patches named by --base-with are in every prefix (so a test-only patch such as the
/// test kfuncs is always there and the effect of the others is isolated); they add no step of their own.
/// </summary>
public static class BisectPlan
{
    public static IReadOnlyList<PatchSeries> Prefixes(PatchSeries series, IReadOnlyCollection<string> baseWith)
    {
        foreach (var name in baseWith)
            if (series.Patches.All(p => p.Name != name))
                throw new BadInputException($"--base-with {name}: {series.SeriesFile} does not list it. " +
                                            $"Listed: {string.Join(", ", series.Patches.Select(p => p.Name))}.");
        var steps = series.Patches.Where(p => !baseWith.Contains(p.Name)).ToArray();
        if (steps.Length == 0)
            throw new BadInputException($"--base-with names every patch of {series.SeriesFile}: nothing is left to bisect. Leave out at least one patch.");
        return steps.Select((_, k) =>
        {
            var included = steps.Take(k + 1).Select(p => p.Name).Concat(baseWith).ToHashSet();
            return series with { Patches = series.Patches.Where(p => included.Contains(p.Name)).ToArray() };
        }).ToArray();
    }

    /// <summary>The patch a prefix adds to the one before it: the last of <paramref name="prefix"/> not in --base-with.</summary>
    public static string StepPatch(PatchSeries prefix, IReadOnlyCollection<string> baseWith) =>
        prefix.Patches.Last(p => !baseWith.Contains(p.Name)).Name;
}
