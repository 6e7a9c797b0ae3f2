using System.CommandLine;
using Harness.History;
using Harness.Matrix;

namespace Harness.Cli;

/// <summary>
/// `harness merge DIR... -o OUT`: joins the shards of a matrix run (each DIR a shard's matrix directory, or a directory
/// holding them, as a CI artifact download does) into OUT: the same cells, verdicts and reports as the unsharded run,
/// then compares each cell with its history and records it. Exits with the worst cell's code.
/// </summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("DIR") { Description = "Shard outputs: matrix directories, or directories holding them", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Directory for the merged matrix result (new or empty)", Required = true };
        var history = new Option<string?>("--history") { Description = "Run history directory (default: OUT's parent/history)" };
        var noHistory = new Option<bool>("--no-history") { Description = "Neither compare with the previous run nor record this one" };
        var command = new Command("merge", "Join the shards of a matrix run (run --matrix --shard K/N) into one matrix result with its reports");
        command.Arguments.Add(inputs);
        foreach (var option in new Option[] { output, history, noHistory }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            var shards = MatrixMerger.FindShards(parse.GetValue(inputs)!);
            var store = parse.GetValue(noHistory) ? null
                : parse.GetValue(history) is { } h ? new RunHistory(h)
                : RunHistory.Under(Path.GetDirectoryName(outDir)!);
            List<string> args = ["merge", .. shards.Select(Path.GetFullPath), "-o", outDir];
            if (store is null) args.Add("--no-history");
            else args.AddRange(["--history", store.Directory]);
            CommandRunner.PrintReproduceLine(args);
            var outcome = await MatrixMerger.MergeAsync(shards, outDir, store, Reproduce.Line(args), token);
            Console.WriteLine(MatrixReports.Summary(outcome.Result, outcome.Runs));
            foreach (var cell in outcome.Result.Cells.Where(c => c.Regressions.Count > 0))
                foreach (var line in cell.Regressions) Console.Error.WriteLine($"harness: regression in {cell.Name} vs {cell.PreviousRunId}: {line}");
            Console.WriteLine($"reports: {outDir} (exit {outcome.Result.ExitCode})");
            return outcome.Result.ExitCode;
        }, ct));
        return command;
    }
}
