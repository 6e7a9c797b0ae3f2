using System.CommandLine;
using Harness.Patches;
using Harness.Pipeline;

namespace Harness.Cli;

/// <summary>`harness build`: tree, apply, configure and build the kernels; prints where they are.</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var series = CommonOptions.Series();
        var variant = new Option<string[]>("--variant")
        {
            Description = $"Variant(s) to build: {AppliedVariant.Patched}, {AppliedVariant.Baseline} (default: {AppliedVariant.Patched})",
            AllowMultipleArgumentsPerToken = true,
        };
        variant.AcceptOnlyFromAmong(AppliedVariant.Patched, AppliedVariant.Baseline);
        var command = new Command("build", "Apply the series and build the kernel for each arch (incremental, cached)");
        foreach (var option in new Option[] { config, arch, tree, baseRef, series, variant }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), parse.GetValue(arch), parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series));
            var variants = parse.GetValue(variant) is { Length: > 0 } v ? v : [AppliedVariant.Patched];
            Processes.HostPrograms.Check(Processes.HostPrograms.Kernels(run), run.Arches);
            var context = await Patches.Inputs.SeriesInputStage.RunAsync(StageContexts.Create(run, "build"), token);
            var result = await KernelPipeline.RunAsync(context, variants, token);
            KernelTable.Print(result);
            CommandRunner.PrintReproduceLine([.. ReproduceArgs.For(["build"], run), .. variants.SelectMany(x => new[] { "--variant", x })]);
            return 0;
        }, ct));
        return command;
    }
}
