using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Build;
using Harness.Config;
using Harness.Errors;
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
    /// <summary>
    /// Runs the job. Ctrl-C or SIGTERM (<paramref name="cancellationToken"/>) does not throw: every child process
    /// and guest is stopped first, then the result of what finished comes back with <see cref="RunResult.Aborted"/> set.
    /// </summary>
    public static async Task<RunResult> RunAsync(StageContext context, string reproduce, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var lastStage = new LastStageSink(context.Progress);
        context = context with { Progress = lastStage };
        var finished = new ConcurrentQueue<ArchRun>();
        KernelPipelineResult? kernels = null;
        try
        {
            return await RunStagesAsync(context, reproduce, started, finished, lastStage, k => kernels = k, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or HarnessException && Interrupts.Arrived(cancellationToken))
        {
            // By now the stages have unwound: their processes were killed and their guests torn down on the way out.
            var during = lastStage.Last;
            context.Progress.Stage("-", "aborted", $"interrupted during {during}; {finished.Count} kernel(s) tested to the end are reported");
            var config = context.Config;
            return new RunResult
            {
                RunId = Path.GetFileName(context.RunDirectory),
                StartedAt = started,
                FinishedAt = DateTimeOffset.Now,
                Reproduce = reproduce,
                Inputs = kernels is null
                    ? new RunInputs { Tree = config.Tree.ToString(), Series = Path.GetFileName(config.SeriesDirectory) }
                    : RunInputsCollector.Inputs(context, kernels, null),
                Versions = new RunVersions(),
                Runs = finished.ToArray(),
                Aborted = true,
                AbortedDuring = during,
            };
        }
    }

    private static async Task<RunResult> RunStagesAsync(StageContext context, string reproduce, DateTimeOffset started,
        ConcurrentQueue<ArchRun> finished, LastStageSink lastStage, Action<KernelPipelineResult> kernelsReady, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var kernels = await KernelPipeline.RunAsync(context, variants: null, cancellationToken);
        kernelsReady(kernels);
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
            lastStage.GuestsStarted(group.Key);
            foreach (var p in group.OrderBy(p => p.Role))
            {
                var run = await ProgramTargets.RunAsync(context,
                    new GuestTestRequest(p.Arch, p.Role, p.Kernel, p.Tools, p.Objects, p.Expectations, setup.Overlay, p.Stages), cancellationToken);
                runs.Add(run);
                finished.Enqueue(run);
            }
            lastStage.GuestsDone(group.Key);
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

    /// <summary>Passes progress on and remembers where the run is, so an interrupted run can say where it stopped.</summary>
    private sealed class LastStageSink(IProgressSink inner) : IProgressSink
    {
        private readonly ConcurrentDictionary<string, string> _guests = new();
        private volatile string _last = "start";

        /// <summary>The last stage reported; while guests run side by side, the stage of every arch whose guests are still running.</summary>
        public string Last => _guests.IsEmpty ? _last : string.Join(", ", _guests.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Value}"));

        public void Stage(string arch, string stage, string message)
        {
            _last = $"{arch} {stage}";
            if (_guests.TryGetValue(arch, out var previous)) _guests.TryUpdate(arch, stage, previous);
            inner.Stage(arch, stage, message);
        }

        public void GuestsStarted(string arch) => _guests[arch] = "image";

        public void GuestsDone(string arch) => _guests.TryRemove(arch, out _);
    }
}
