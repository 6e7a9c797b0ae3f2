using System.CommandLine;

namespace Harness.Cli;

/// <summary>Every subcommand, one file each under Cli/Commands; add a new one to the list below.</summary>
public static class CommandCatalog
{
    /// <summary>The exit code table, as the README has it: scripts branch on these.</summary>
    public const string ExitCodeHelp =
        "Exit codes: 0 as expected; 1 a verdict or message differs from its expectation; 2 an error (build, boot, guest) " +
        "on a patched kernel; 3 bad input or usage (the message names the file, key and fix); 4 the patched kernels are " +
        "as expected but a baseline kernel had an error; 130 interrupted.";

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Harness: proves what a BPF verifier patch series does on real kernels, per arch.\n\n" + ExitCodeHelp);
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
            MergeCommand.Create(),
        ];
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }
}
