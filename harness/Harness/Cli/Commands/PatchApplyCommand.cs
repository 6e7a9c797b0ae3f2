using System.CommandLine;
using Harness.Patches;
using Harness.Tree;

namespace Harness.Cli;

/// <summary>`harness patch apply`: applies the series (patched and baseline variants) and reports how each patch applied.</summary>
public static class PatchApplyCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var series = CommonOptions.Series();
        var command = new Command("apply", "Apply the series with git am --3way (in a harness worktree) and report how each patch applied");
        foreach (var option in new Option[] { config, tree, baseRef, series }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), null, parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series));
            if (Directory.Exists(run.SeriesDirectory)) ApplyStage.ReadSeries(run);
            Processes.HostPrograms.Check(Processes.HostPrograms.Tree(run.Tree), []);
            var context = await Patches.Inputs.SeriesInputStage.RunAsync(StageContexts.Create(run, "patch-apply"), token);
            var kernelTree = await TreeStage.RunAsync(context, token);
            var variants = await ApplyStage.RunAsync(context, kernelTree, token);
            Reports.SeriesInputSummary.Write(Spectre.Console.AnsiConsole.Console,
                Patches.Inputs.SeriesInputReport.For(context.Config.SeriesInput, context.Config.SeriesDirectory, variants.FirstOrDefault()));
            foreach (var variant in variants)
            {
                Console.WriteLine($"{variant.Name} {variant.Commit} (tree {variant.TreeHash[..12]}), onto {kernelTree.Description}");
                foreach (var patch in variant.Patches)
                    Console.WriteLine($"  {patch.Commit[..12]} {patch.Name}: {patch.Summary}{(patch.FromCache ? " (remembered)" : "")}");
            }
            CommandRunner.PrintReproduceLine(ReproduceArgs.For(["patch", "apply"], run, withArches: false));
            return 0;
        }, ct));
        return command;
    }
}
