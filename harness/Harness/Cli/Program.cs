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
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; interrupt.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; interrupt.Cancel(); });

        // Piped into a CI log, Spectre assumes 80 columns and wraps every table cell; a log has no width limit.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

        var root = CommandCatalog.BuildRoot();
        var parsed = root.Parse(args);
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
}
