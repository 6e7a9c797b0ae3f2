using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Build;
using Harness.Config;
using Harness.Errors;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Selftests;
using Harness.Tree;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// The whole job: tree and apply, then kernels built one after another (baselines first: usually cached); as soon as a
/// kernel is there, its arch's loader and its selftest objects are made and it is booted and judged, while the next
/// kernel builds. Then the baseline diff. Builds run one at a time (each takes every core); guests run side by side
/// up to the <see cref="RunSchedule"/>'s slots.
/// </summary>
public static class RunPipeline
{
    /// <summary>
    /// Runs the job. Ctrl-C or SIGTERM (<paramref name="cancellationToken"/>) does not throw: every child process
    /// and guest is stopped first, then the result of what finished comes back with <see cref="RunResult.Aborted"/> set.
    /// </summary>
    public static Task<RunResult> RunAsync(StageContext context, string reproduce, CancellationToken cancellationToken) =>
        RunAsync(context, reproduce, null, cancellationToken);

    /// <summary>Runs the job with guest slots shared with other runs of this process (the cells of a matrix); null: a schedule of its own.</summary>
    public static async Task<RunResult> RunAsync(StageContext context, string reproduce, RunSchedule? schedule, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var lastStage = new LastStageSink(context.Progress);
        context = context with { Progress = lastStage };
        var finished = new ConcurrentQueue<ArchRun>();
        KernelPipelineResult? kernels = null;
        try
        {
            return await RunStagesAsync(context, reproduce, started, finished, lastStage, k => kernels = k, schedule ?? RunSchedule.Default(), cancellationToken);
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
        ConcurrentQueue<ArchRun> finished, LastStageSink lastStage, Action<KernelPipelineResult> kernelsReady, RunSchedule schedule,
        CancellationToken cancellationToken)
    {
        var config = context.Config;
        var tree = await TreeStage.RunAsync(context, cancellationToken);
        var variants = await ApplyStage.RunAsync(context, tree, cancellationToken);
        var setup = await SelftestPreparation.SetupAsync(context, tree, cancellationToken);

        // One failure (a build, a compile) stops the other kernels too: the run cannot be whole any more.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var order = BuildOrder(variants, config.Arches);
        var built = order.ToDictionary(k => k, _ => new TaskCompletionSource<KernelArtifacts>(TaskCreationOptions.RunContinuationsAsynchronously));
        var loaders = config.Arches.ToDictionary(a => a.Name, a => new Lazy<Task<(GuestTools Tools, double Seconds)>>(
            () => LoaderAsync(context, setup, a, stop.Token)));
        var builds = BuildInOrderAsync(context, tree, order, built, stop.Token);
        // Reported in the arch's order, patched before baseline, whichever finished first.
        var tests = config.Arches.SelectMany(arch => variants.OrderBy(v => Role(v.Name)).Select(variant =>
            TestKernelAsync(context, arch, built[(variant, arch)].Task, loaders[arch.Name].Value, setup, finished, lastStage, schedule, stop.Token))).ToArray();

        await Together.AllAsync([builds, .. tests], stop);
        var kernels = new KernelPipelineResult(tree, variants,
            variants.SelectMany(v => config.Arches.Select(a => built[(v, a)].Task.Result)).ToArray());
        kernelsReady(kernels);
        var archRuns = tests.Select(t => t.Result.Run).ToArray();

        return new RunResult
        {
            RunId = Path.GetFileName(context.RunDirectory),
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            Reproduce = reproduce,
            Inputs = RunInputsCollector.Inputs(context, kernels, tests.Select(t => t.Result.Objects).FirstOrDefault()),
            Versions = await RunInputsCollector.VersionsAsync(context, cancellationToken),
            Runs = archRuns,
            BaselineChanges = BaselineChanges(archRuns),
        };
    }

    /// <summary>
    /// Baselines first (a change to the patch under review leaves them cached: they are tested at once while the patched
    /// kernels build), then the patched kernels; within a variant the arches in the config's order. The build worktree
    /// switches variant once, as in <see cref="KernelPipeline"/>.
    /// </summary>
    private static IReadOnlyList<(AppliedVariant Variant, ArchConfig Arch)> BuildOrder(IReadOnlyList<AppliedVariant> variants, IReadOnlyList<ArchConfig> arches) =>
        variants.OrderBy(v => Role(v.Name) == KernelRole.Baseline ? 0 : 1).SelectMany(v => arches.Select(a => (v, a))).ToArray();

    private static KernelRole Role(string variant) => variant == AppliedVariant.Baseline ? KernelRole.Baseline : KernelRole.Patched;

    /// <summary>One make at a time (each uses every core); each kernel is handed to its test the moment it is there, so guests run while the next kernel builds.</summary>
    private static async Task BuildInOrderAsync(StageContext context, KernelTree tree, IReadOnlyList<(AppliedVariant Variant, ArchConfig Arch)> order,
        IReadOnlyDictionary<(AppliedVariant, ArchConfig), TaskCompletionSource<KernelArtifacts>> built, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (variant, arch) in order)
            {
                var kernel = await KernelPipeline.BuildOneAsync(context, tree, variant, arch, cancellationToken);
                context.Progress.Stage(kernel.Arch, "kernel", $"{kernel.Variant}: {kernel.Image}{(kernel.FromCache ? " (cached)" : "")}");
                built[(variant, arch)].SetResult(kernel);
            }
        }
        finally
        {
            // A test still waiting for a kernel that will never come stops waiting.
            foreach (var waiting in built.Values) waiting.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(true));
        }
    }

    private static async Task<(GuestTools Tools, double Seconds)> LoaderAsync(StageContext context, SelftestSetup setup, ArchConfig arch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tools = await SelftestPreparation.LoaderAsync(context, setup, arch, cancellationToken);
        return (tools, clock.Elapsed.TotalSeconds);
    }

    /// <summary>What one kernel's test gave: its run and its objects.</summary>
    private sealed record KernelTest(ArchRun Run, CompiledSelftests Objects);

    /// <summary>Once the kernel is built: the arch's loader (made once) and the kernel's objects (host work), then the kernel booted and judged.</summary>
    private static async Task<KernelTest> TestKernelAsync(StageContext context, ArchConfig arch, Task<KernelArtifacts> kernelBuilt,
        Task<(GuestTools Tools, double Seconds)> loader, SelftestSetup setup, ConcurrentQueue<ArchRun> finished, LastStageSink lastStage,
        RunSchedule schedule, CancellationToken cancellationToken)
    {
        // The loader first: it is made while the kernels build, and a loader that cannot be made stops the builds at once.
        var (tools, loaderSeconds) = await loader.WaitAsync(cancellationToken);
        var kernel = await kernelBuilt.WaitAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var (objects, expectations, overlay) = await SelftestPreparation.ObjectsAsync(context, setup, arch, kernel, cancellationToken);
        var request = new GuestTestRequest(arch, Role(kernel.Variant), kernel, tools, objects, expectations, overlay,
        [
            new StageTiming("kernel", kernel.Duration.TotalSeconds, kernel.FromCache),
            new StageTiming("loader", loaderSeconds),
            new StageTiming("selftests", clock.Elapsed.TotalSeconds),
        ]);
        using (await schedule.GuestAsync(cancellationToken))
        {
            lastStage.GuestsStarted(arch.Name);
            try
            {
                var run = FileErrorResults.AddTo(await ProgramTargets.RunAsync(context, request, cancellationToken), objects.FileErrors);
                finished.Enqueue(run);
                return new KernelTest(run, objects);
            }
            finally
            {
                lastStage.GuestsDone(arch.Name);
            }
        }
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

        private readonly ConcurrentDictionary<string, int> _running = new();

        /// <summary>A guest of <paramref name="arch"/> starts (its patched and baseline kernels may run side by side).</summary>
        public void GuestsStarted(string arch)
        {
            _running.AddOrUpdate(arch, 1, (_, n) => n + 1);
            _guests[arch] = "image";
        }

        public void GuestsDone(string arch)
        {
            if (_running.AddOrUpdate(arch, 0, (_, n) => n - 1) <= 0) _guests.TryRemove(arch, out _);
        }
    }
}
