using Harness.Errors;
using Harness.Images;
using Harness.Pipeline;
using System.Diagnostics;

namespace Harness.Bench;

/// <summary>What to measure.</summary>
/// <param name="Boots">Boots per arch and way (harness, plain loop).</param>
/// <param name="Cold">Also the cold kernel and image builds (each 10+ minutes on two cores), in a temporary cache.</param>
/// <param name="ConfigFile">The --config given, passed on to the timed harness commands.</param>
public sealed record BenchOptions(int Boots, bool Cold, string? ConfigFile);

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
        var boots = new List<BootBench>();
        var programs = new List<ProgramBench>();
        var commands = new List<CommandBench>();
        var scratch = Directory.CreateTempSubdirectory("harness-bench-");
        try
        {
            var inputs = await BenchInputs.RunAsync(context, cancellationToken);
            foreach (var arch in inputs)
            {
                await Step(notes, $"boot {arch.Arch.Name}", async () => boots.Add(await BootBenchStage.RunAsync(context, arch, options.Boots, cancellationToken)));
                await Step(notes, $"programs {arch.Arch.Name}", async () => programs.Add(await ProgramBenchStage.RunAsync(context, arch, cancellationToken)));
            }

            var stage = new CommandBenchStage(context, scratch.FullName);
            await Step(notes, "warm run", async () => commands.Add(await stage.WarmRunAsync(options.ConfigFile, cancellationToken)));
            await Step(notes, "patch-to-verdict", async () => commands.Add(await stage.IncrementalRunAsync(cancellationToken)));
            await Step(notes, "normal series again", async () => commands.Add(await stage.RestoreAsync(options.ConfigFile, cancellationToken)));
            if (options.Cold)
            {
                await Step(notes, "cold builds", async () => commands.AddRange(await stage.ColdBuildsAsync(cancellationToken)));
                await Step(notes, "cold images", async () => commands.AddRange(await ColdImagesAsync(context, inputs, scratch.FullName, cancellationToken)));
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
            var loader = new ImageFile(arch.Tools.LoaderPath, Selftests.GuestTools.LoaderGuestPath, Selftests.GuestTools.LoaderMode);
            var clock = Stopwatch.StartNew();
            await ImageBuilder.For(cold).RunAsync(new ImageRequest(arch.Arch, [loader]), cancellationToken);
            results.Add(new CommandBench($"cold image build {arch.Arch.Name}", "(in-process ImageBuilder, empty cache)", clock.Elapsed.TotalSeconds, 0,
                new Dictionary<string, double>()));
        }
        return results;
    }

    /// <summary>Runs one measurement; an infrastructure failure becomes a note so the others are still measured.</summary>
    private static async Task Step(List<string> notes, string name, Func<Task> measure)
    {
        try
        {
            await measure();
        }
        catch (HarnessException e) when (e is not BadInputException)
        {
            notes.Add($"{name}: not measured: {e.Message.Split('\n')[0]}");
        }
    }
}
