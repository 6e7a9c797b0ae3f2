using System.CommandLine;
using Harness.Config;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness validate`: reads every input and reports the first problem, with no side effect.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        var series = CommonOptions.Series();
        var targets = new Option<string[]>("--target") { Description = "Board YAML files (target kind ssh) to check as `run --target` would" };
        var command = new Command("validate", "Check the run config, arch files and series without building anything");
        command.Options.Add(config);
        command.Options.Add(arch);
        command.Options.Add(series);
        command.Options.Add(targets);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), parse.GetValue(arch), series: parse.GetValue(series));
            run = Boards.BoardOptions.Apply(run, parse.GetValue(targets) ?? [], ArchRegistry.Load(ProjectLayout.Locate().ArchDirectory));
            var patches = Patches.Inputs.SeriesInputCheck.Check(run.SeriesDirectory);
            // What the run refuses before it starts: a file with no diff, a baseline that leaves out a patch the series does not have, a tree not there.
            if (Directory.Exists(run.SeriesDirectory)) Patches.ApplyStage.ReadSeries(run);
            if (run.Tree is TreeSource.GitCheckout { Path: var treePath } && !Directory.Exists(treePath))
                throw new Errors.BadInputException($"{run.SourceFile}: tree.path {treePath} does not exist. Point tree.path at a kernel git checkout, or use 'debian-package: linux-source-6.12'.");
            var overlay = run.ExpectationsFile is { } file
                ? Verdicts.ExpectationOverlayReader.Read(file, ArchRegistry.Load(ProjectLayout.Locate().ArchDirectory).Names)
                : null;
            AnsiConsole.MarkupLine($"[green]ok[/] {Markup.Escape(run.SourceFile)}: tree {Markup.Escape(run.Tree.ToString())}, " +
                                   $"series {Markup.Escape(patches)}, arches {string.Join(", ", run.Arches.Select(a => a.Name))}" +
                                   (overlay is null ? "" : $", {Reports.Words.Count(overlay.Entries.Count, "overlay entry", "overlay entries")}") +
                                   string.Concat(run.Boards.Select(b => Markup.Escape($", {b.Arch.Name} {b.Kernel.ToString().ToLowerInvariant()} on target {b.Describe}"))));
            return Task.FromResult(0);
        }, ct));
        return command;
    }
}
