using Harness.Config;
using Harness.Errors;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Reports;

namespace Harness.Bench;

/// <summary>
/// Times whole harness commands the way a user runs them (bin/harness through the process runner): the warm
/// `harness run`, and patch-to-verdict after the series changed in verifier.c only.
/// </summary>
public sealed class CommandBenchStage(StageContext context, string scratchDirectory)
{
    /// <summary>bin/harness: this very program when it runs as the apphost, else the checkout's bin/harness.</summary>
    public string Harness { get; } = Environment.ProcessPath is { } self && Path.GetFileName(self) == "harness"
        ? self
        : Path.Combine(context.Project.Root, "bin", "harness");

    /// <summary>`harness run` with everything cached (the previous run built and compiled everything).</summary>
    public async Task<CommandBench> WarmRunAsync(CancellationToken cancellationToken) =>
        await TimeAsync("warm run (everything cached)", "warm-run",
            ["run", "--config", await NormalConfigAsync(cancellationToken), "--output", Output("warm-run")], BenchTargets.PatchToVerdictSeconds,
            Output("warm-run"), cancellationToken);

    /// <summary>
    /// Patch-to-verdict: the series plus a patch touching verifier.c (a new comment each time, so it always
    /// rebuilds), the patched kernels rebuilt incrementally for every arch, then booted and judged.
    /// </summary>
    public async Task<CommandBench> IncrementalRunAsync(CancellationToken cancellationToken)
    {
        var config = context.Config;
        var series = Path.Combine(Inputs, "series-touched");
        Directory.CreateDirectory(series);
        foreach (var file in Directory.GetFiles(config.SeriesDirectory))
            File.Copy(file, Path.Combine(series, Path.GetFileName(file)));
        var tree = await Tree.TreeStage.RunAsync(context, cancellationToken);
        // From git, not the working files: a clone of a user's checkout has none.
        var verifier = await new Tree.Git(context.Runner, tree.Repository).RunAsync(cancellationToken, "show", $"{tree.BaseCommit}:{IncrementalSeries.FilePath}");
        var firstLines = verifier.Split('\n').Take(3).ToArray();
        await File.WriteAllTextAsync(Path.Combine(series, IncrementalSeries.PatchName),
            IncrementalSeries.Patch(firstLines, DateTimeOffset.UtcNow.ToString("O")), cancellationToken);
        var seriesFile = Path.Combine(series, "series");
        await File.WriteAllTextAsync(seriesFile,
            (await File.ReadAllTextAsync(seriesFile, cancellationToken)).TrimEnd('\n') + "\n" + IncrementalSeries.PatchName + "\n", cancellationToken);
        var runConfig = Path.Combine(Inputs, "run-touched.yaml");
        await File.WriteAllTextAsync(runConfig,
            IncrementalSeries.RunConfigYaml(config, series, [.. config.BaselineWithout, IncrementalSeries.PatchName]), cancellationToken);
        return await TimeAsync("patch-to-verdict (verifier.c touched)", "incremental-run",
            ["run", "--config", runConfig, "--output", Output("incremental-run")], BenchTargets.PatchToVerdictSeconds, Output("incremental-run"),
            cancellationToken);
    }

    /// <summary>Back to the normal series (its kernels are still cached: this is a cache check, not a rebuild).</summary>
    public async Task<CommandBench> RestoreAsync(CancellationToken cancellationToken) =>
        await TimeAsync("normal series again (build)", "restore-build",
            ["build", "--config", await NormalConfigAsync(cancellationToken), "--variant", AppliedVariant.Patched, AppliedVariant.Baseline], null, null,
            cancellationToken);

    /// <summary>The bench's own config (with its --arch) written out, so the timed commands do exactly what the bench was asked.</summary>
    private async Task<string> NormalConfigAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Inputs, "run.yaml");
        Directory.CreateDirectory(Inputs);
        await File.WriteAllTextAsync(file,
            IncrementalSeries.RunConfigYaml(context.Config, context.Config.SeriesDirectory, context.Config.BaselineWithout), cancellationToken);
        return file;
    }

    /// <summary>Opt-in: tree, configure and build from nothing per arch, in a temporary cache (the real one is untouched).</summary>
    public async Task<IReadOnlyList<CommandBench>> ColdBuildsAsync(CancellationToken cancellationToken)
    {
        var cache = Path.Combine(scratchDirectory, "cold-cache");
        var runConfig = Path.Combine(scratchDirectory, "run-cold.yaml");
        await File.WriteAllTextAsync(runConfig, IncrementalSeries.RunConfigYaml(context.Config with { CacheDirectory = cache },
            context.Config.SeriesDirectory, context.Config.BaselineWithout), cancellationToken);
        var results = new List<CommandBench>();
        foreach (var arch in context.Config.Arches)
            results.Add(await TimeAsync($"cold build {arch.Name} (tree, apply, configure, build)", $"cold-build-{arch.Name}",
                ["build", "--config", runConfig, "--arch", arch.Name, "--variant", AppliedVariant.Patched], null, null, cancellationToken));
        return results;
    }

    /// <summary>Reports of the timed runs stay in the bench's directory, to look at a run that did not pass.</summary>
    private string Output(string name) => Path.Combine(context.RunDirectory, name);

    /// <summary>The configs and the touched series the timed commands used, kept beside the reports.</summary>
    private string Inputs => Path.Combine(context.RunDirectory, "inputs");

    private async Task<CommandBench> TimeAsync(string name, string log, IReadOnlyList<string> args, double? target, string? outputDirectory,
        CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(Harness, args)
        {
            LogFile = context.LogFile($"bench-{log}"),
            CaptureStandardOutput = false,
            Timeout = TimeSpan.FromSeconds(context.Config.Timeouts.Build * 2),
        };
        context.Progress.Stage("all", "bench", $"{name}: {spec.CommandLine}");
        var result = await context.Runner.RunAsync(spec, cancellationToken);
        if (result.ExitCode is ExitCodes.BadInput or ExitCodes.InfrastructureError || result.TimedOut)
            throw new InfrastructureException($"{spec.CommandLine} failed (exit {result.ExitCode}): {string.Join(" / ", result.OutputTail.TakeLast(5))}. Log: {spec.LogFile}");
        context.Progress.Stage("all", "bench", $"{name}: {result.Duration.TotalSeconds:F1} s (exit {result.ExitCode})");
        return new CommandBench(name, spec.CommandLine, result.Duration.TotalSeconds, result.ExitCode, KernelSeconds(outputDirectory), target);
    }

    /// <summary>The kernel stage's time per arch and kernel from the results.json the run wrote.</summary>
    private static IReadOnlyDictionary<string, double> KernelSeconds(string? outputDirectory)
    {
        if (outputDirectory is null || !Directory.Exists(outputDirectory)) return new Dictionary<string, double>();
        var file = Directory.EnumerateFiles(outputDirectory, ReportWriter.ResultsFile, SearchOption.AllDirectories).FirstOrDefault();
        if (file is null) return new Dictionary<string, double>();
        var run = ResultsJson.Deserialize(File.ReadAllText(file));
        return run.Runs
            .SelectMany(r => r.Stages.Where(s => s.Stage == "kernel").Select(s => (Key: $"{r.Arch}/{GuestName(r.Kernel)}{(s.Cached ? " (cached)" : "")}", s.Seconds)))
            .GroupBy(k => k.Key)
            .ToDictionary(g => g.Key, g => g.First().Seconds);
    }

    private static string GuestName(Verdicts.KernelRole role) => role.ToString().ToLowerInvariant();
}
