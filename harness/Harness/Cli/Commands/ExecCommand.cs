using System.CommandLine;
using Harness.Vm;

namespace Harness.Cli;

/// <summary>`harness exec --arch A -- CMD`: boots a guest, runs one command over SSH, exits with its exit code.</summary>
public static class ExecCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = GuestOptions.Arch();
        var kernel = GuestOptions.Kernel();
        var words = new Argument<string[]>("command")
        {
            Description = "The command to run in the guest (after --), through its shell",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("exec", "Boot a kernel in QEMU, run one command in it, return its exit code");
        command.Options.Add(config);
        command.Options.Add(arch);
        command.Options.Add(kernel);
        command.Arguments.Add(words);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var (context, archConfig, kernelPath) = await GuestOptions.LoadAsync(parse.GetValue(config), parse.GetValue(arch)!, parse.GetValue(kernel), token);
            var shellCommand = string.Join(' ', parse.GetValue(words)!);
            await using var vm = await new GuestLauncher(context).RunAsync(archConfig, kernelPath, [], token);
            var result = await vm.Session.RunAsync(shellCommand, TimeSpan.FromSeconds(context.Config.Timeouts.Command), token);
            Console.Out.Write(result.Stdout);
            Console.Error.Write(result.Stderr);
            return result.ExitCode;
        }, ct));
        return command;
    }
}
