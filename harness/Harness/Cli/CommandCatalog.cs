using System.CommandLine;

namespace Harness.Cli;

/// <summary>Every subcommand, one file each under Cli/Commands; add a new one to the list below.</summary>
public static class CommandCatalog
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Harness: proves what a BPF verifier patch series does on real kernels, per arch.");
        Command[] commands =
        [
            ValidateCommand.Create(),
            TreeCommand.Create(),
            PatchCommand.Create(),
            BuildCommand.Create(),
            RunCommand.Create(),
            BisectCommand.Create(),
            CompareCommand.Create(),
            ReportCommand.Create(),
            BootCommand.Create(),
            ExecCommand.Create(),
            BenchCommand.Create(),
        ];
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }
}
