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
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var arches = parse.GetValue(arch) is { Length: > 0 } chosen ? chosen : [DefaultArch];
            var run = CommonOptions.Load(parse.GetValue(config), arches, parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series));
            if (parse.GetValue(output) is { } outputDir) run = run with { OutputDirectory = Path.GetFullPath(outputDir) };
            var kept = (parse.GetValue(baseWith) ?? []).SelectMany(p => p.Split(',')).Select(Path.GetFileName).OfType<string>().ToArray();

            var reproduceArgs = ReproduceArgs.For(["bisect"], run).ToList();
            foreach (var patch in kept) reproduceArgs.AddRange(["--base-with", patch]);
            if (parse.GetValue(output) is not null) reproduceArgs.AddRange(["--output", run.OutputDirectory]);
            CommandRunner.PrintReproduceLine(reproduceArgs);

            var context = StageContexts.Create(run, "bisect");
            var result = await BisectPipeline.RunAsync(context, kept, Reproduce.Line(reproduceArgs), token);
            await BisectReport.WriteIntoAsync(result, context.RunDirectory, token);
            BisectReport.Write(AnsiConsole.Console, result, context.RunDirectory);
            Console.WriteLine($"reports: {context.RunDirectory} (exit 0)");
            return Errors.ExitCodes.Success;
        }, ct));
        return command;
    }
}
