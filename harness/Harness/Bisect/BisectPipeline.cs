using System.Diagnostics;
using Harness.Build;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Run;
using Harness.Tree;
using Harness.Verdicts;

namespace Harness.Bisect;

/// <summary>
/// `harness bisect`: for every arch, each prefix of the series (see <see cref="BisectPlan"/>) is applied (steps
/// are remembered, so prefixes share commits), configured and built in the arch's shared O= directory (only what
/// the next patch touches rebuilds), its selftests compiled against its vmlinux.h, booted and loaded as `run`
/// does. Then <see cref="PatchAttribution"/> names the patch behind every changed verdict.
/// </summary>
public static class BisectPipeline
{
    public static async Task<BisectResult> RunAsync(StageContext context, IReadOnlyCollection<string> baseWith, string reproduce,
        CancellationToken cancellationToken)
    {
        var config = context.Config;
        var series = SeriesReader.Read(config.SeriesDirectory);
        var prefixes = BisectPlan.Prefixes(series, baseWith);
        var tree = await TreeStage.RunAsync(context, cancellationToken);
        var setup = await SelftestPreparation.SetupAsync(context, tree, cancellationToken);

        var arches = new List<ArchBisect>();
        AppliedVariant? fullSeries = null;
        foreach (var arch in config.Arches)
        {
            var tools = await SelftestPreparation.LoaderAsync(context, setup, arch, cancellationToken);
            // One .config for every prefix: the full series' (its fragments may ask for a symbol that a later patch
            // defines, as the test kfuncs' CONFIG_ does). An earlier prefix's Kconfig drops that symbol when it builds.
            var full = await ApplyStage.ApplyAsync(context, tree, $"prefix-{prefixes.Count}", prefixes[^1], cancellationToken);
            fullSeries ??= full;
            var configuration = await ConfigureStage.RunAsync(context, tree, full, arch, cancellationToken);
            var tested = new List<(BisectPrefix Prefix, ArchRun Run)>();
            for (var i = 0; i < prefixes.Count; i++)
            {
                var step = BisectPlan.StepPatch(prefixes[i], baseWith);
                context.Progress.Stage(arch.Name, "bisect", $"prefix {i + 1}/{prefixes.Count}: +{step}");
                var started = DateTimeOffset.Now;
                var variant = await ApplyStage.ApplyAsync(context, tree, $"prefix-{i + 1}", prefixes[i], cancellationToken);
                var clock = Stopwatch.StartNew();
                var kernel = await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken);
                clock.Restart();
                var selftests = await SelftestPreparation.ObjectsAsync(context, setup, arch, kernel, cancellationToken);
                StageTiming[] earlier =
                [
                    new("kernel", kernel.Duration.TotalSeconds, kernel.FromCache),
                    new("selftests", clock.Elapsed.TotalSeconds),
                ];
                // The guest's logs (console, loader output) go under prefixes/ARCH-prefix-N/logs, one set per prefix.
                var prefixContext = context with { RunDirectory = Path.Combine(context.RunDirectory, "prefixes", $"{arch.Name}-prefix-{i + 1}") };
                Directory.CreateDirectory(prefixContext.LogDirectory);
                var run = await GuestTestStage.RunAsync(prefixContext, new GuestTestRequest(arch, Role(config.BaselineWithout, prefixes[i]), kernel, tools,
                    selftests.Objects, selftests.Expectations, selftests.Overlay, earlier), cancellationToken);
                var results = await WritePrefixResultsAsync(context, prefixContext.RunDirectory, new KernelPipelineResult(tree, [variant], [kernel]),
                    selftests, run, reproduce, started, cancellationToken);
                tested.Add((Summarize(step, prefixes[i], kernel, run, results), run));
            }
            arches.Add(new ArchBisect(arch.Name, tested.Select(t => t.Prefix).ToArray(), Attribute(tested)) { NotCompared = NotCompared(tested) });
        }
        return new BisectResult
        {
            RunId = Path.GetFileName(context.RunDirectory),
            Series = Path.GetFileName(config.SeriesDirectory),
            BaseWith = baseWith.ToArray(),
            Reproduce = reproduce,
            Arches = arches,
            SeriesInput = Patches.Inputs.SeriesInputReport.For(config.SeriesInput, config.SeriesDirectory, fullSeries),
        };
    }

    private static PrefixVerdicts[] Verdicts(IReadOnlyList<(BisectPrefix Prefix, ArchRun Run)> tested) =>
        tested.Select(t => new PrefixVerdicts(t.Prefix.Step, t.Prefix.Patches,
            t.Run.Programs.Where(p => !p.Expectation.Auxiliary).ToDictionary(p => p.Key, Verdict))).ToArray();

    /// <summary>The loader's verdict, or oops where the run pinned a kernel oops on the program's load (the loader itself saw only an error).</summary>
    private static LoadVerdict? Verdict(ProgramResult p) => p.Outcome.Actual == LoadVerdict.Oops ? LoadVerdict.Oops : p.Load?.Verdict;

    private static IReadOnlyList<NotCompared> NotCompared(IReadOnlyList<(BisectPrefix Prefix, ArchRun Run)> tested) =>
        PatchAttribution.NotCompared(Verdicts(tested)).Select(program =>
        {
            var end = tested.Select(t => t.Run.Programs.FirstOrDefault(p => p.Key == program)).First(p => p?.Load is null);
            return new NotCompared(program, end is null ? "not in every prefix's objects" : FirstLine(end.Outcome.Reason));
        }).ToArray();

    /// <summary>The verdicts per prefix, attributed; a program that did not load on the first prefix says why.</summary>
    private static IReadOnlyList<VerdictAttribution> Attribute(IReadOnlyList<(BisectPrefix Prefix, ArchRun Run)> tested)
    {
        var verdicts = Verdicts(tested);
        var first = tested[0].Run;
        return PatchAttribution.Attribute(verdicts).Select(a => a with
        {
            FirstError = a.First is LoadVerdict.Accept or LoadVerdict.Reject ? null
                : first.Programs.FirstOrDefault(p => p.Key == a.Program) is { } p ? FirstLine(p.Load?.Error is { Length: > 0 } e ? e : p.Outcome.Reason) : null,
        }).ToArray();
    }

    /// <summary>
    /// A prefix without any of the patches under review (the config's baseline.without) is a baseline kernel, so the
    /// overlay's baseline entries (known splats, deviations) apply to it; any other prefix is judged as patched.
    /// </summary>
    public static KernelRole Role(IReadOnlyCollection<string> underReview, PatchSeries prefix) =>
        underReview.Count > 0 && prefix.Patches.All(p => !underReview.Contains(p.Name)) ? KernelRole.Baseline : KernelRole.Patched;

    private static BisectPrefix Summarize(string step, PatchSeries prefix, KernelArtifacts kernel, ArchRun run, string resultsFile) => new()
    {
        Step = step,
        Patches = prefix.Patches.Select(p => p.Name).ToArray(),
        Kernel = kernel.Image,
        Error = run.Error is null ? null : FirstLine(run.Error),
        Accepted = run.Programs.Count(p => p.Load?.Verdict == LoadVerdict.Accept),
        Rejected = run.Programs.Count(p => p.Load?.Verdict == LoadVerdict.Reject),
        Oopsed = run.Programs.Count(p => Verdict(p) == LoadVerdict.Oops),
        NotLoaded = run.Programs.Count(p => Verdict(p) != LoadVerdict.Oops
                                            && (p.Load is null ? p.Outcome.Status != OutcomeStatus.Skip : p.Load.Verdict == LoadVerdict.Error)),
        ResultsFile = resultsFile,
        Stages = run.Stages,
    };

    /// <summary>Each prefix's run as a results.json of its own, so two prefixes can be compared with `harness compare`.</summary>
    private static async Task<string> WritePrefixResultsAsync(StageContext context, string directory, KernelPipelineResult kernels,
        KernelSelftests selftests, ArchRun run, string reproduce, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var result = new RunResult
        {
            RunId = $"{Path.GetFileName(context.RunDirectory)}/{Path.GetFileName(directory)}",
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            Reproduce = reproduce,
            Inputs = RunInputsCollector.Inputs(context, kernels, selftests.Objects),
            Versions = new RunVersions(),
            Runs = [run],
        };
        var file = Path.Combine(directory, ReportWriter.ResultsFile);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(file, ResultsJson.Serialize(result), cancellationToken);
        return Path.GetRelativePath(context.RunDirectory, file);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
