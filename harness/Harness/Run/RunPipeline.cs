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
/// The whole job: tree and apply, then kernels built arch by arch; as soon as an arch's kernels are there, its loader
/// and selftest objects are made and every kernel of it booted and judged, while the next arch builds. Then the
/// baseline diff. Builds run one after another (each takes every core); the arches' guests run side by side.
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

        // One failure (a build, a compile) stops the other arches too: the run cannot be whole any more.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var built = config.Arches.ToDictionary(a => a.Name,
            _ => new TaskCompletionSource<IReadOnlyList<KernelArtifacts>>(TaskCreationOptions.RunContinuationsAsynchronously));
        var builds = BuildEveryArchAsync(context, tree, variants, built, stop.Token);
        var tests = config.Arches.Select(arch => TestArchAsync(context, arch, built[arch.Name].Task, setup, finished, lastStage, schedule, stop.Token)).ToArray();

        await Together.AllAsync([builds, .. tests], stop);
        var kernels = new KernelPipelineResult(tree, variants,
            variants.SelectMany(v => config.Arches.Select(a => built[a.Name].Task.Result.Single(k => k.Variant == v.Name))).ToArray());
        kernelsReady(kernels);
        var archRuns = tests.SelectMany(t => t.Result.Runs).ToArray();

        return new RunResult
        {
            RunId = Path.GetFileName(context.RunDirectory),
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            Reproduce = reproduce,
            Inputs = RunInputsCollector.Inputs(context, kernels, tests.Select(t => t.Result.FirstObjects).FirstOrDefault(o => o is not null)),
            Versions = await RunInputsCollector.VersionsAsync(context, cancellationToken),
            Runs = archRuns,
            BaselineChanges = BaselineChanges(archRuns),
        };
    }

    /// <summary>
    /// Builds arch by arch (every variant of one arch, then the next), one make at a time since each uses every core,
    /// and hands each arch its kernels the moment they are there, so its guests start while the next arch builds.
    /// </summary>
    private static async Task BuildEveryArchAsync(StageContext context, KernelTree tree, IReadOnlyList<AppliedVariant> variants,
        IReadOnlyDictionary<string, TaskCompletionSource<IReadOnlyList<KernelArtifacts>>> built, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var arch in context.Config.Arches)
            {
                var kernels = new List<KernelArtifacts>();
                foreach (var variant in variants)
                {
                    var kernel = await KernelPipeline.BuildOneAsync(context, tree, variant, arch, cancellationToken);
                    context.Progress.Stage(kernel.Arch, "kernel", $"{kernel.Variant}: {kernel.Image}{(kernel.FromCache ? " (cached)" : "")}");
                    kernels.Add(kernel);
                }
                built[arch.Name].SetResult(kernels);
            }
        }
        finally
        {
            // An arch still waiting for kernels that will never come stops waiting.
            foreach (var waiting in built.Values) waiting.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(true));
        }
    }

    /// <summary>What one arch's tests gave: its runs in order (patched, then baseline) and the objects of its first kernel.</summary>
    private sealed record ArchTests(IReadOnlyList<ArchRun> Runs, CompiledSelftests? FirstObjects);

    /// <summary>Once the arch's kernels are built: its loader and objects (host work), then each kernel booted and judged in turn.</summary>
    private static async Task<ArchTests> TestArchAsync(StageContext context, ArchConfig arch, Task<IReadOnlyList<KernelArtifacts>> kernelsBuilt,
        SelftestSetup setup, ConcurrentQueue<ArchRun> finished, LastStageSink lastStage, RunSchedule schedule, CancellationToken cancellationToken)
    {
        var kernels = await kernelsBuilt.WaitAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var tools = await SelftestPreparation.LoaderAsync(context, setup, arch, cancellationToken);
        var loaderSeconds = clock.Elapsed.TotalSeconds;
        var prepared = new List<GuestTestRequest>();
        foreach (var kernel in kernels)
        {
            var role = kernel.Variant == AppliedVariant.Baseline ? KernelRole.Baseline : KernelRole.Patched;
            clock.Restart();
            var (objects, expectations) = await SelftestPreparation.ObjectsAsync(context, setup, arch, kernel, cancellationToken);
            prepared.Add(new GuestTestRequest(arch, role, kernel, tools, objects, expectations, setup.Overlay,
            [
                new StageTiming("kernel", kernel.Duration.TotalSeconds, kernel.FromCache),
                new StageTiming("loader", loaderSeconds),
                new StageTiming("selftests", clock.Elapsed.TotalSeconds),
            ]));
        }

        var runs = new List<ArchRun>();
        lastStage.GuestsStarted(arch.Name);
        foreach (var request in prepared.OrderBy(p => p.Role))
        {
            using (await schedule.GuestAsync(cancellationToken))
            {
                var run = await GuestTestStage.RunAsync(context, request, cancellationToken);
                runs.Add(run);
                finished.Enqueue(run);
            }
        }
        lastStage.GuestsDone(arch.Name);
        return new ArchTests(runs, prepared.Select(p => p.Objects).FirstOrDefault());
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
