using System.CommandLine;
using Harness.Tree;

namespace Harness.Cli;

/// <summary>`harness tree`: provision the kernel tree (Debian's source once, or a clone of --tree) and print where it is.</summary>
public static class TreeCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var tree = CommonOptions.Tree();
        var baseRef = CommonOptions.Base();
        var command = new Command("tree", "Provision the kernel source tree in the cache and print its repository and base commit");
        command.Options.Add(config);
        command.Options.Add(tree);
        command.Options.Add(baseRef);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), null, parse.GetValue(tree), parse.GetValue(baseRef));
            Processes.HostPrograms.Check(Processes.HostPrograms.Tree(run.Tree), []);
            var context = StageContexts.Create(run, "tree");
            var kernelTree = await TreeStage.RunAsync(context, token);
            Console.WriteLine($"tree:       {kernelTree.Description}");
            Console.WriteLine($"repository: {kernelTree.Repository}");
            Console.WriteLine($"base:       {kernelTree.BaseCommit}");
            CommandRunner.PrintReproduceLine(ReproduceArgs.For(["tree"], run, withSeries: false, withArches: false));
            return 0;
        }, ct));
        return command;
    }
}
