using System.CommandLine;
using Harness.Bisect;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness bisect`: builds and tests each prefix of the series on each arch (default x86_64 only) and names,
/// for every program whose verdict differs between the first prefix and the full series, the patch after
/// which it changed. Writes bisect.md and bisect.json; exits 0 when it ran (the findings are data, not a failure).
/// </summary>
public static class BisectCommand
{
    public const string DefaultArch = "x86_64";

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        arch.Description = $"Architecture(s) to bisect on (default: {DefaultArch})";
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var series = CommonOptions.Series();
        var baseWith = new Option<string[]>("--base-with")
        {
            Description = "A patch to include in every prefix (e.g. the test kfuncs), so the other patches' effects are isolated; repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Directory for results (default: the config's)" };
        var command = new Command("bisect", "Test the series one patch at a time and name the patch behind every changed verdict");
        foreach (var option in new Option[] { config, arch, tree, baseRef, series, baseWith, output }) command.Options.Add(option);
        var filter = new ProgramFilterOptions();
        filter.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token =>
        {
            var arches = parse.GetValue(arch) is { Length: > 0 } chosen ? chosen : [DefaultArch];
            var run = CommonOptions.Load(parse.GetValue(config), arches, parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series))
                with { Filter = filter.Read(parse) };
            return ExecuteAsync(run, parse.GetValue(baseWith) ?? [], parse.GetValue(output), token, filter.ReproduceArgs(parse).ToArray());
        }, ct));
        return command;
    }

    /// <summary>
    /// The bisect of <paramref name="run"/> (its arches), shared by `harness bisect` and `harness run --per-patch`:
    /// the series input is prepared, every prefix tested, bisect.md and bisect.json written. Returns the exit code.
    /// </summary>
    public static async Task<int> ExecuteAsync(Config.RunConfig run, IReadOnlyList<string> baseWith, string? output, CancellationToken token,
        IReadOnlyList<string>? filterArgs = null)
    {
        if (output is not null) run = run with { OutputDirectory = Path.GetFullPath(output) };
        var kept = baseWith.SelectMany(p => p.Split(',')).Select(Path.GetFileName).OfType<string>().ToArray();

        var reproduceArgs = ReproduceArgs.For(["bisect"], run).ToList();
        foreach (var patch in kept) reproduceArgs.AddRange(["--base-with", patch]);
        if (output is not null) reproduceArgs.AddRange(["--output", run.OutputDirectory]);
        reproduceArgs.AddRange(filterArgs ?? []);
        CommandRunner.PrintReproduceLine(reproduceArgs);

        // Every prefix boots in QEMU (a bisect uses no boards), so the QEMUs are needed whatever the config's targets.
        Processes.HostPrograms.Check(run with { Boards = [] });
        var context = await Patches.Inputs.SeriesInputStage.RunAsync(StageContexts.Create(run, "bisect"), token);
        var result = await BisectPipeline.RunAsync(context, kept, Reproduce.Line(reproduceArgs), token);
        await BisectReport.WriteIntoAsync(result, context.RunDirectory, token);
        BisectReport.Write(AnsiConsole.Console, result, context.RunDirectory);
        Console.WriteLine($"reports: {context.RunDirectory} (exit 0)");
        return Errors.ExitCodes.Success;
    }
}
