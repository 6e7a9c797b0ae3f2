using System.CommandLine;

namespace Harness.Cli;

/// <summary>`harness patch`: the group of patch commands; each subcommand lives in its own file.</summary>
public static class PatchCommand
{
    public static Command Create()
    {
        var command = new Command("patch", "Import and apply kernel patch series");
        Command[] subcommands =
        [
            PatchApplyCommand.Create(),
            PatchImportCommand.Create(),
        ];
        foreach (var subcommand in subcommands) command.Subcommands.Add(subcommand);
        return command;
    }
}
