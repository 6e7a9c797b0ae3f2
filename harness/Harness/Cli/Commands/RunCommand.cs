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
        var treeSuites = new Option<string[]>("--tree-suite")
        {
            Description = "Also run a named set of the tree's own selftests (configs/suites/NAME.yaml, e.g. verifier: progs/verifier_*.c) " +
                          "in the same guests; repeatable; replaces the config's tree-suites",
        };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Test only the patched kernel" };
        var output = new Option<string?>("--output", "-o") { Description = "Directory for results (default: the config's)" };
        var expectations = new Option<string?>("--expectations") { Description = "Expectation overlay YAML (default: the config's; none with --selftests)" };
        var perPatch = new Option<bool>("--per-patch") { Description = $"Test the series one patch at a time and name the patch behind every changed verdict (the same as `harness bisect`; default arch {BisectCommand.DefaultArch})" };
        var baseWith = new Option<string[]>("--base-with")
        {
            Description = "With --per-patch: a patch to include in every prefix (e.g. the test kfuncs); repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var targets = new Option<string[]>("--target") { Description = "Board YAML (target kind ssh) that runs its arch's kernel instead of QEMU; repeatable (see configs/boards/example-board.yaml)" };
        var retries = new Option<int?>("--retries") { Description = "Load a program that is not as expected again up to N times; a changing result is reported flaky (default: the config's retries)" };
        var holdBefore = new Option<string?>("--hold-before")
        {
            Description = "Stop the in-guest loader before OBJ.bpf.o:PROG on every kernel and print an ssh command for that guest; " +
                          "remove /tmp/harness-hold there to go on (to trace or inspect one load)",
        };
        var command = new Command("run", "Run the whole job: apply, build, boot every arch, load every selftest, compare, report");
        foreach (var option in new Option[] { config, arch, tree, baseRef, series, selftests, treeSuites, noBaseline, output, expectations, perPatch, baseWith, targets, retries, holdBefore }) command.Options.Add(option);
        var filter = new ProgramFilterOptions();
        filter.AddTo(command);
        var nightly = new NightlyOptions();
        foreach (var option in nightly.All) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            if (parse.GetValue(nightly.Matrix) is not null && filter.Given(parse))
                throw new Errors.BadInputException("-t, -a, -b, -d and --denylist select the programs of one run: run one cell (--cell) without --matrix, " +
                                                   "or put the programs to leave out in the matrix's expectations (skip entries).");
            if (parse.GetValue(nightly.Matrix) is not null) return await MatrixRunAction.RunAsync(parse, nightly, parse.GetValue(arch), parse.GetValue(output), token);
            if (parse.GetValue(nightly.Shard) is not null || parse.GetValue(nightly.Cell) is { Length: > 0 })
                throw new Errors.BadInputException("--shard and --cell split a matrix: give --matrix FILE too.");
            if (parse.GetValue(perPatch))
                return await PerPatchAsync(parse, config, arch, tree, baseRef, series, baseWith, output, filter, [selftests, treeSuites, expectations, noBaseline, targets, holdBefore], token);
            if (parse.GetValue(baseWith) is { Length: > 0 })
                throw new Errors.BadInputException("--base-with only means something with --per-patch (or `harness bisect`). Add --per-patch or drop --base-with.");
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
            if (parse.GetValue(treeSuites) is { Length: > 0 } suiteNames) run = run with { TreeSuites = TreeSuiteOption.Resolve(suiteNames) };
            if (parse.GetValue(noBaseline)) run = run with { BaselineEnabled = false };
            if (parse.GetValue(retries) is { } n)
                run = n >= 0 ? run with { Retries = n } : throw new Errors.BadInputException($"--retries {n}: give 0 (no retries) or more.");
            run = run with { Filter = filter.Read(parse) };
            if (parse.GetValue(holdBefore) is { } held) run = run with { HoldBefore = HeldProgram.Parse(held) };
            if (parse.GetValue(output) is { } outputDir) run = run with { OutputDirectory = Path.GetFullPath(outputDir) };
            var targetFiles = parse.GetValue(targets) ?? [];
            run = Boards.BoardOptions.Apply(run, targetFiles, Config.ArchRegistry.Load(Config.ProjectLayout.Locate().ArchDirectory));

            var reproduceArgs = ReproduceArgs.For(["run"], run).ToList();
            if (parse.GetValue(selftests) is not null) reproduceArgs.AddRange(["--selftests", run.SelftestsDirectory]);
            foreach (var suite in parse.GetValue(treeSuites) ?? []) reproduceArgs.AddRange(["--tree-suite", suite]);
            if (!run.BaselineEnabled) reproduceArgs.Add("--no-baseline");
            if (parse.GetValue(output) is not null) reproduceArgs.AddRange(["--output", run.OutputDirectory]);
            if (parse.GetValue(expectations) is not null) reproduceArgs.AddRange(["--expectations", run.ExpectationsFile!]);
            if (parse.GetValue(nightly.NoHistory)) reproduceArgs.Add("--no-history");
            else if (parse.GetValue(nightly.History) is { } historyDir) reproduceArgs.AddRange(["--history", Path.GetFullPath(historyDir)]);
            foreach (var file in targetFiles) reproduceArgs.AddRange(["--target", Path.GetFullPath(file)]);
            if (parse.GetValue(retries) is not null) reproduceArgs.AddRange(["--retries", run.Retries.ToString()]);
            reproduceArgs.AddRange(filter.ReproduceArgs(parse));
            CommandRunner.PrintReproduceLine(reproduceArgs);

            // A series directory (not a file to import) is checked before any side effect, baseline names included.
            if (Directory.Exists(run.SeriesDirectory)) Patches.ApplyStage.ReadSeries(run);
            Processes.HostPrograms.Check(run);
            var context = await Patches.Inputs.SeriesInputStage.RunAsync(StageContexts.Create(run, "run"), token);
            var result = await RunPipeline.RunAsync(context, Reproduce.Line(reproduceArgs), token);
            // An interrupted run still writes what finished: the token is cancelled by then, so the reports do not take it.
            await ReportWriter.WriteIntoAsync(result, context.RunDirectory, result.Aborted ? CancellationToken.None : token);
            ConsoleSummary.Write(AnsiConsole.Console, result, context.RunDirectory);
            var exitCode = RunExitCode.For(result);
            // The history cell of a plain run is its config file's stem ("run" for configs/run.yaml).
            if (nightly.HistoryFor(parse, run.OutputDirectory) is { } history && !result.Aborted)
            {
                var cell = Path.GetFileNameWithoutExtension(run.SourceFile);
                exitCode = RunHistoryConsole.Report(await history.CompareAndRecordAsync(cell, result, context.RunDirectory, CancellationToken.None), exitCode);
                // The page written with the other reports had no history yet: now that this run is recorded, it gets its cell's trend.
                await Reports.Html.HtmlReport.WriteAsync(Path.Combine(context.RunDirectory, Reports.Html.HtmlReport.FileName),
                    [new Reports.Html.ReportCell(cell, result)], Reports.Html.HistoryReader.Read(history.Directory, [cell]), CancellationToken.None);
            }
            if (result.Aborted) Console.Error.WriteLine($"harness: interrupted during {result.AbortedDuring}; child processes and guests stopped, partial reports written.");
            Console.WriteLine($"reports: {context.RunDirectory} (exit {exitCode})");
            CommandRunner.PrintReproduceLine(reproduceArgs);
            return exitCode;
        }, ct));
        return command;
    }

    /// <summary>`run --per-patch`: the bisect, with bisect's default arch; run's options that a bisect has no use for are refused.</summary>
    private static Task<int> PerPatchAsync(ParseResult parse, Option<string?> config, Option<string[]> arch, Option<string?> tree, Option<string?> baseRef,
        Option<string?> series, Option<string[]> baseWith, Option<string?> output, ProgramFilterOptions filter, Option[] notWithPerPatch, CancellationToken token)
    {
        foreach (var option in notWithPerPatch)
            if (parse.GetResult(option) is { Implicit: false })
                throw new Errors.BadInputException($"{option.Name} does not go with --per-patch: each prefix is tested with the config's selftests and " +
                                                   "expectations, and every prefix is compared with the one before. Drop it, or run without --per-patch.");
        var arches = parse.GetValue(arch) is { Length: > 0 } chosen ? chosen : [BisectCommand.DefaultArch];
        var run = CommonOptions.Load(parse.GetValue(config), arches, parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series))
            with { Filter = filter.Read(parse) };
        return BisectCommand.ExecuteAsync(run, parse.GetValue(baseWith) ?? [], parse.GetValue(output), token, filter.ReproduceArgs(parse).ToArray());
    }
}
