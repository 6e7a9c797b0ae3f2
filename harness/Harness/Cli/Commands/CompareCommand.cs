using System.CommandLine;
using Harness.Compare;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// `harness compare RUN_A RUN_B`: new failures, fixed tests, new errors, verdict flips, slower stages and
/// verification-cost deltas from A to B. Writes compare.md (into --output, default B's directory) and exits 1
/// when B has regressions, else 0.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runA = new Argument<string>("RUN_A") { Description = "The earlier run: a run directory or its results.json" };
        var runB = new Argument<string>("RUN_B") { Description = "The later run: a run directory or its results.json" };
        var output = new Option<string?>("--output", "-o") { Description = $"Directory for {CompareReport.MarkdownFile} (default: RUN_B's directory)" };
        var command = new Command("compare", "Compare two runs: new failures, fixes, new errors, verdict flips, time and verification-cost changes");
        command.Arguments.Add(runA);
        command.Arguments.Add(runB);
        command.Options.Add(output);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var pathB = parse.GetValue(runB)!;
            var comparison = RunComparer.Compare(RunResultFile.Read(parse.GetValue(runA)!), RunResultFile.Read(pathB));
            var directory = parse.GetValue(output) ?? (Directory.Exists(pathB) ? pathB : Path.GetDirectoryName(Path.GetFullPath(pathB))!);
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, CompareReport.MarkdownFile);
            await File.WriteAllTextAsync(file, CompareReport.Markdown(comparison), token);
            CompareReport.Write(AnsiConsole.Console, comparison);
            var exitCode = comparison.HasRegressions ? Errors.ExitCodes.Mismatch : Errors.ExitCodes.Success;
            Console.WriteLine($"report: {file} (exit {exitCode})");
            return exitCode;
        }, ct));
        return command;
    }
}
