using Harness.Reports;
using Harness.Verdicts;

namespace Harness.Compare;

/// <summary>
/// Verification cost of every program on the baseline kernel against the patched one, per arch (what `veristat -C`
/// shows for two kernels). Computed from the runs' load statistics in results.json; nothing is stored twice. Pure.
/// </summary>
public static class BaselineCosts
{
    /// <summary>
    /// One <see cref="CostDelta"/> per program that got a verdict (accept or reject: both report insns processed) on both
    /// kernels of an arch, with <see cref="CostDelta.Run"/> the arch. Ordered by arch, then the largest change first.
    /// </summary>
    public static IReadOnlyList<CostDelta> Compare(RunResult run, CostThresholds thresholds) =>
        run.Runs.GroupBy(r => r.Arch).SelectMany(g =>
        {
            var baseline = g.FirstOrDefault(r => r.Kernel == KernelRole.Baseline);
            var patched = g.FirstOrDefault(r => r.Kernel == KernelRole.Patched);
            if (baseline is null || patched is null) return [];
            var before = Verdicts(baseline);
            return Verdicts(patched).Where(p => before.ContainsKey(p.Key)).Select(p =>
            {
                var (a, b) = (before[p.Key], p.Value);
                return new CostDelta(g.Key, p.Key, a.InsnsProcessed, b.InsnsProcessed, a.PeakStates, b.PeakStates,
                    thresholds.LargeGrowth(a.InsnsProcessed, b.InsnsProcessed, a.PeakStates, b.PeakStates));
            }).OrderByDescending(c => Math.Abs(c.InsnsDelta)).ThenByDescending(c => Math.Abs(c.PeakStatesDelta))
                .ThenBy(c => c.Program, StringComparer.Ordinal);
        }).ToArray();

    private static Dictionary<string, LoadResult> Verdicts(ArchRun run) =>
        run.Programs.Where(p => p.Load is { Verdict: LoadVerdict.Accept or LoadVerdict.Reject })
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Load!);
}
