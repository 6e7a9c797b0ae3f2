using Harness.Errors;
using Harness.Images;
using Harness.Pipeline;
using System.Diagnostics;

namespace Harness.Bench;

/// <summary>What to measure.</summary>
/// <param name="Boots">Boots per arch and way (harness, plain loop).</param>
/// <param name="Cold">Also the cold kernel and image builds (each 10+ minutes on two cores), in a temporary cache.</param>
/// <param name="Steps">Which measurements: <see cref="BenchSteps.All"/> or a subset.</param>
public sealed record BenchOptions(int Boots, bool Cold, IReadOnlyCollection<string> Steps);

/// <summary>The measurements `harness bench --steps` can pick.</summary>
public static class BenchSteps
{
    public const string Boot = "boot";
    public const string Programs = "programs";
    public const string Commands = "commands";
    public static readonly string[] All = [Boot, Programs, Commands];
}

/// <summary>
/// `harness bench`: the inputs (cached by an earlier run), then per arch the boots and the program loads side by
/// side with the plain way, then the whole commands (warm run, patch-to-verdict). A step that fails becomes a
/// note and the rest still runs; every guest is torn down by its owner before the next step.
/// </summary>
public static class BenchPipeline
{
    public static async Task<BenchResult> RunAsync(StageContext context, BenchOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var notes = new List<string>();
        var failures = new List<string>();
        var boots = new List<BootBench>();
        var programs = new List<ProgramBench>();
        var commands = new List<CommandBench>();
        var scratch = Directory.CreateTempSubdirectory("harness-bench-");
        try
        {
            var inputs = await BenchInputs.RunAsync(context, cancellationToken);
            foreach (var arch in inputs)
            {
                if (options.Steps.Contains(BenchSteps.Boot))
                    await Step(failures, $"boot {arch.Arch.Name}", async () => boots.Add(await BootBenchStage.RunAsync(context, arch, options.Boots, cancellationToken)));
                if (options.Steps.Contains(BenchSteps.Programs))
                    await Step(failures, $"programs {arch.Arch.Name}", async () => programs.Add(await ProgramBenchStage.RunAsync(context, arch, cancellationToken)));
            }
            if (boots.Count > 0)
                notes.Add($"Plain boot loop: ssh -o ConnectTimeout={PlainScripts.ConnectTimeoutSeconds} retried every 50 ms; the harness instead waits for the guest's ready line on the console before it connects.");

            var stage = new CommandBenchStage(context, scratch.FullName);
            if (options.Steps.Contains(BenchSteps.Commands))
            {
                await Step(failures, "warm run", async () => commands.Add(await stage.WarmRunAsync(cancellationToken)));
                await Step(failures, "patch-to-verdict", async () => commands.Add(await stage.IncrementalRunAsync(cancellationToken)));
                await Step(failures, "normal series again", async () => commands.Add(await stage.RestoreAsync(cancellationToken)));
                foreach (var run in commands.Where(c => c.ExitCode != 0))
                    notes.Add($"{run.Name} exited {run.ExitCode} (verdicts not as expected; the time is still the whole run's). See the report beside bench.json; rerun: {run.Command}");
            }
            if (options.Cold)
            {
                await Step(failures, "cold builds", async () => commands.AddRange(await stage.ColdBuildsAsync(cancellationToken)));
                await Step(failures, "cold images", async () => commands.AddRange(await ColdImagesAsync(context, inputs, scratch.FullName, cancellationToken)));
            }
            else
                notes.Add("Cold kernel and image builds not measured (10+ minutes each here): make bench BENCH_COLD=1 (harness bench --cold).");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        return new BenchResult
        {
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} CPUs",
            BootsPerWay = options.Boots,
            Boots = boots,
            Programs = programs,
            Commands = commands,
            Notes = notes,
            Failures = failures,
        };
    }

    /// <summary>One image build per arch from nothing, in a temporary cache (the real cache is untouched).</summary>
    private static async Task<IReadOnlyList<CommandBench>> ColdImagesAsync(StageContext context, IReadOnlyList<BenchArchInputs> inputs, string scratch,
        CancellationToken cancellationToken)
    {
        var cold = context with { Cache = new Config.CacheLayout(Path.Combine(scratch, "cold-image-cache")) };
        var results = new List<CommandBench>();
        foreach (var arch in inputs)
        {
            var loader = arch.Tools.LoaderImageFile;
            var clock = Stopwatch.StartNew();
            await ImageBuilder.For(cold).RunAsync(new ImageRequest(arch.Arch, [loader]), cancellationToken);
            results.Add(new CommandBench($"cold image build {arch.Arch.Name}", "(in-process ImageBuilder, empty cache)", clock.Elapsed.TotalSeconds, 0,
                new Dictionary<string, double>()));
        }
        return results;
    }

    /// <summary>Runs one measurement; an infrastructure failure becomes a note so the others are still measured.</summary>
    private static async Task Step(List<string> failures, string name, Func<Task> measure)
    {
        try
        {
            await measure();
        }
        catch (HarnessException e) when (e is not BadInputException)
        {
            failures.Add($"{name}: {e.Message.Split('\n')[0]}");
        }
    }
}
