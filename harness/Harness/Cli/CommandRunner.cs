using Harness.Errors;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// Runs a command body and maps what escapes it to an exit code and a readable message
/// (never a stack trace for an error the user can act on).
/// </summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("harness: interrupted; child processes stopped, nothing left running.");
            return ExitCodes.Interrupted;
        }
        catch (HarnessException e)
        {
            var kind = e.ExitCode == ExitCodes.BadInput ? "bad input" : "infrastructure error";
            if (e.ExitCode == ExitCodes.BadInput) StageContexts.DiscardUnreported();
            Console.Error.WriteLine($"harness: {kind}: {e.Message}");
            return e.ExitCode;
        }
    }

    /// <summary>Writes the line that reproduces this run (tuxmake's cmdline.reproduce).</summary>
    /// <remarks>Plain Console output: Spectre wraps at 80 columns when stdout is not a terminal, which breaks copy-paste.</remarks>
    public static void PrintReproduceLine(IEnumerable<string> args) =>
        Console.WriteLine($"reproduce: {Reproduce.Line(args)}");
}
