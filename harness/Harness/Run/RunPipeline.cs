using System.Diagnostics;
using Harness.Build;
using Harness.Config;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Selftests;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// The whole job: kernels (tree, apply, configure, build for every variant and arch), then per arch the loader
/// and the selftest objects, then every kernel booted and its programs judged, then the baseline diff.
/// Builds run one after another (they share two cores); the arches' guests run side by side.
/// </summary>
public static class RunPipeline
{
    public static async Task<RunResult> RunAsync(StageContext context, string reproduce, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var kernels = await KernelPipeline.RunAsync(context, variants: null, cancellationToken);
        foreach (var kernel in kernels.Kernels)
            context.Progress.Stage(kernel.Arch, "kernel", $"{kernel.Variant}: {kernel.Image}{(kernel.FromCache ? " (cached)" : "")}");

        var setup = await SelftestPreparation.SetupAsync(context, kernels.Tree, cancellationToken);

        // Objects and loader are host work (CPU-bound): prepare them for every arch first, then boot in parallel.
        var prepared = new List<(ArchConfig Arch, KernelRole Role, KernelArtifacts Kernel, GuestTools Tools, CompiledSelftests Objects, IReadOnlyList<ProgramExpectation> Expectations, List<StageTiming> Stages)>();
        foreach (var arch in context.Config.Arches)
        {
            clock.Restart();
            var tools = await SelftestPreparation.LoaderAsync(context, setup, arch, cancellationToken);
            var loaderSeconds = clock.Elapsed.TotalSeconds;
            foreach (var variant in kernels.Variants)
            {
                var role = variant.Name == AppliedVariant.Baseline ? KernelRole.Baseline : KernelRole.Patched;
                var kernel = kernels.Kernel(variant.Name, arch.Name);
                clock.Restart();
                var (objects, expectations) = await SelftestPreparation.ObjectsAsync(context, setup, arch, kernel, cancellationToken);
                prepared.Add((arch, role, kernel, tools, objects, expectations,
                [
                    new StageTiming("kernel", kernel.Duration.TotalSeconds, kernel.FromCache),
                    new StageTiming("loader", loaderSeconds),
                    new StageTiming("selftests", clock.Elapsed.TotalSeconds),
                ]));
            }
        }

        var perArch = prepared.GroupBy(p => p.Arch.Name).Select(async group =>
        {
            var runs = new List<ArchRun>();
            foreach (var p in group.OrderBy(p => p.Role))
                runs.Add(await GuestTestStage.RunAsync(context,
                    new GuestTestRequest(p.Arch, p.Role, p.Kernel, p.Tools, p.Objects, p.Expectations, setup.Overlay, p.Stages), cancellationToken));
            return runs;
        });
        var archRuns = (await Task.WhenAll(perArch)).SelectMany(r => r).ToArray();

        return new RunResult
        {
            RunId = Path.GetFileName(context.RunDirectory),
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            Reproduce = reproduce,
            Inputs = RunInputsCollector.Inputs(context, kernels, prepared.Select(p => p.Objects).FirstOrDefault()),
            Versions = await RunInputsCollector.VersionsAsync(context, cancellationToken),
            Runs = archRuns,
            BaselineChanges = BaselineChanges(archRuns),
        };
    }

    private static IReadOnlyList<VerdictChange> BaselineChanges(IReadOnlyList<ArchRun> runs) =>
        runs.GroupBy(r => r.Arch).SelectMany(g =>
        {
            var baseline = g.FirstOrDefault(r => r.Kernel == KernelRole.Baseline);
            var patched = g.FirstOrDefault(r => r.Kernel == KernelRole.Patched);
            if (baseline is null || patched is null || baseline.Error is not null || patched.Error is not null) return [];
            return BaselineDiff.Compare(g.Key, Loads(baseline), Loads(patched));
        }).ToArray();

    private static IReadOnlyList<LoadResult> Loads(ArchRun run) =>
        run.Programs.Where(p => p.Load is not null).Select(p => p.Load!).ToArray();
}
