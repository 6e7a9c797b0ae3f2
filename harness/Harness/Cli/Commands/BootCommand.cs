using System.CommandLine;
using Harness.Vm;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>`harness boot --arch A`: boots a guest, prints the ssh command for a shell, keeps it until Ctrl-C.</summary>
public static class BootCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = GuestOptions.Arch();
        var kernel = GuestOptions.Kernel();
        var command = new Command("boot", "Boot a kernel in QEMU and keep it running for SSH until Ctrl-C");
        command.Options.Add(config);
        command.Options.Add(arch);
        command.Options.Add(kernel);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var (context, archConfig, kernelPath) = await GuestOptions.LoadAsync(parse.GetValue(config), parse.GetValue(arch)!, parse.GetValue(kernel), token);
            CommandRunner.PrintReproduceLine(["boot", "--arch", archConfig.Name, "--kernel", kernelPath]);
            await using var vm = await new GuestLauncher(context).RunAsync(archConfig, kernelPath, [], token);
            AnsiConsole.MarkupLine("[green]guest ready[/]; a shell:");
            Console.WriteLine(vm.SshCommandLine);
            AnsiConsole.MarkupLine("[grey]Ctrl-C stops the guest.[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("harness: stopping the guest");
            }
            return 0;
        }, ct));
        return command;
    }
}
