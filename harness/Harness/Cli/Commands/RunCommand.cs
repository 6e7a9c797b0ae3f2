using System.CommandLine;
using Harness.Pipeline;

namespace Harness.Cli;

/// <summary>`harness run`: the whole job, chaining the stages that exist (today: tree, apply, configure, build for every variant and arch).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var series = CommonOptions.Series();
        var command = new Command("run", "Run the whole job: apply the series, build patched and baseline kernels for every arch, ...");
        foreach (var option in new Option[] { config, arch, tree, baseRef, series }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), parse.GetValue(arch), parse.GetValue(tree), parse.GetValue(baseRef), parse.GetValue(series));
            var context = StageContexts.Create(run, "run");
            var result = await KernelPipeline.RunAsync(context, variants: null, token);
            KernelTable.Print(result);
            Console.WriteLine($"logs: {context.LogDirectory}");
            CommandRunner.PrintReproduceLine(ReproduceArgs.For(["run"], run));
            return 0;
        }, ct));
        return command;
    }
}
