using System.CommandLine;
using Harness.Reports;
using Harness.Run;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness run`: the whole job. Applies the series, builds patched and baseline kernels for every arch,
/// boots each, loads every selftest over SSH, compares verdicts with expectations, writes the reports, and
/// exits 0 (as expected), 1 (mismatch), 2 (infrastructure error) or 3 (bad input).
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var series = CommonOptions.Series();
        var selftests = new Option<string?>("--selftests") { Description = "Directory of BPF C selftests or .bpf.o objects (default: the config's)" };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Test only the patched kernel" };
        var output = new Option<string?>("--output", "-o") { Description = "Directory for results (default: the config's)" };
        var expectations = new Option<string?>("--expectations") { Description = "Expectation overlay YAML (default: the config's; none with --selftests)" };
        var command = new Command("run", "Run the whole job: apply, build, boot every arch, load every selftest, compare, report");
        foreach (var option in new Option[] { config, arch, tree, baseRef, series, selftests, noBaseline, output, expectations }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), parse.GetValue(arch), parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series));
            if (parse.GetValue(selftests) is { } dir)
            {
                var path = Path.GetFullPath(dir);
                if (!Directory.Exists(path))
                    throw new Errors.BadInputException($"--selftests {dir}: no such directory. Give a directory of BPF C sources or .bpf.o objects.");
                // The default overlay names our programs; another directory brings its own, or none.
                run = run with { SelftestsDirectory = path, ExpectationsFile = null };
            }
            if (parse.GetValue(expectations) is { } overlayFile)
            {
                var path = Path.GetFullPath(overlayFile);
                if (!File.Exists(path))
                    throw new Errors.BadInputException($"--expectations {overlayFile}: file not found. Give an expectations YAML like selftests/expectations.yaml.");
                run = run with { ExpectationsFile = path };
            }
            if (parse.GetValue(noBaseline)) run = run with { BaselineEnabled = false };
            if (parse.GetValue(output) is { } outputDir) run = run with { OutputDirectory = Path.GetFullPath(outputDir) };

            var reproduceArgs = ReproduceArgs.For(["run"], run).ToList();
            if (parse.GetValue(selftests) is not null) reproduceArgs.AddRange(["--selftests", run.SelftestsDirectory]);
            if (!run.BaselineEnabled) reproduceArgs.Add("--no-baseline");
            if (parse.GetValue(output) is not null) reproduceArgs.AddRange(["--output", run.OutputDirectory]);
            if (parse.GetValue(expectations) is not null) reproduceArgs.AddRange(["--expectations", run.ExpectationsFile!]);
            CommandRunner.PrintReproduceLine(reproduceArgs);

            Patches.ApplyStage.ReadSeries(run);
            Processes.HostPrograms.Check(run);
            var context = StageContexts.Create(run, "run");
            var result = await RunPipeline.RunAsync(context, Reproduce.Line(reproduceArgs), token);
            // An interrupted run still writes what finished: the token is cancelled by then, so the reports do not take it.
            await ReportWriter.WriteIntoAsync(result, context.RunDirectory, result.Aborted ? CancellationToken.None : token);
            ConsoleSummary.Write(AnsiConsole.Console, result, context.RunDirectory);
            var exitCode = RunExitCode.For(result);
            if (result.Aborted) Console.Error.WriteLine($"harness: interrupted during {result.AbortedDuring}; child processes and guests stopped, partial reports written.");
            Console.WriteLine($"reports: {context.RunDirectory} (exit {exitCode})");
            CommandRunner.PrintReproduceLine(reproduceArgs);
            return exitCode;
        }, ct));
        return command;
    }
}
