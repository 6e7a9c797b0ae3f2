using Harness.History;

namespace Harness.Cli;

/// <summary>What a plain run prints about its comparison with the previous run of its cell.</summary>
public static class RunHistoryConsole
{
    /// <summary>Prints the comparison's outcome and returns the exit code with it taken into account.</summary>
    public static int Report(HistoryComparison history, int exitCode)
    {
        if (history.PreviousRunId is null)
        {
            Console.WriteLine($"history: first run of '{history.Cell}', recorded");
            return exitCode;
        }
        Console.WriteLine($"history: compared with {history.PreviousRunId}: {history.Regressions.Count} new regression(s) ({history.CompareFile})");
        foreach (var line in history.Regressions) Console.Error.WriteLine($"harness: regression vs {history.PreviousRunId}: {line}");
        return history.ExitCode(exitCode);
    }
}
