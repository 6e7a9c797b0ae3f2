using System.CommandLine;
using System.Runtime.InteropServices;
using Harness.Errors;

namespace Harness.Cli;

/// <summary>
/// Entry point: parses the command line, runs one command under a cancellation token that Ctrl-C and
/// SIGTERM trip, and turns errors into the documented exit codes.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            // The first Ctrl-C stops gracefully (guests powered off, partial reports); a second one means "now".
            if (Interlocked.Increment(ref signals) > 1) ForceExit();
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        // Piped into a CI log, Spectre assumes 80 columns and wraps every table cell; a log has no width limit.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

        var root = CommandCatalog.BuildRoot();
        var parsed = root.Parse(args);
        // A usage error is bad input (exit 3), never 1: 1 means a verdict was not as expected, and scripts rely on that.
        if (parsed.Errors.Count > 0) return UsageError(parsed);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("harness: interrupted; child processes stopped.");
            return ExitCodes.Interrupted;
        }
    }

    private static int UsageError(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"harness: {error.Message}");
        var command = string.Join(' ', parsed.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1)
            .Append(parsed.CommandResult.Command).Where(c => c is not RootCommand).Select(c => c.Name));
        Console.Error.WriteLine($"Usage: harness {(command.Length > 0 ? command + " " : "")}[options]; see 'harness {(command.Length > 0 ? command + " " : "")}--help'.");
        return ExitCodes.BadInput;
    }

    private static void ForceExit()
    {
        var killed = Processes.ChildProcesses.KillAll();
        Console.Error.WriteLine($"harness: second interrupt: killed {killed} child process(es) and exited without waiting for a graceful stop.");
        Environment.Exit(ExitCodes.Interrupted);
    }
}
