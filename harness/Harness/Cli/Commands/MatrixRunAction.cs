using System.CommandLine;
using Harness.Config;
using Harness.Errors;
using Harness.History;
using Harness.Matrix;
using Harness.Pipeline;

namespace Harness.Cli;

/// <summary>The options `harness run` gains for nightly runs: a matrix, a shard of it, its cells, and the run history.</summary>
public sealed class NightlyOptions
{
    public Option<string?> Matrix { get; } = new("--matrix") { Description = "Matrix YAML (configs/matrix.yaml): run every cell (arches x trees x series x selftest sets)" };
    public Option<string?> Shard { get; } = new("--shard") { Description = "With --matrix: run shard K of N (K/N) of the (cell, arch) units; join them with `harness merge`" };
    public Option<string[]> Cell { get; } = new("--cell") { Description = "With --matrix: only these cells", AllowMultipleArgumentsPerToken = true };
    public Option<string?> History { get; } = new("--history") { Description = "Run history directory (default: <output>/history)" };
    public Option<bool> NoHistory { get; } = new("--no-history") { Description = "Neither compare with the previous run nor record this one" };

    public IEnumerable<Option> All => [Matrix, Shard, Cell, History, NoHistory];

    /// <summary>The history to use for runs writing under <paramref name="output"/>, or null with --no-history.</summary>
    public RunHistory? HistoryFor(ParseResult parse, string output) =>
        parse.GetValue(NoHistory) ? null
        : parse.GetValue(History) is { } dir ? new RunHistory(dir)
        : RunHistory.Under(output);
}

/// <summary>`harness run --matrix FILE [--shard K/N] [--cell C] [--arch A]`: every cell of the matrix; exit code of the worst cell.</summary>
public static class MatrixRunAction
{
    /// <summary>Options of a plain run that a matrix sets per cell in its file instead.</summary>
    public static readonly string[] PerCellOptions = ["--config", "--tree", "--base", "--series", "--selftests", "--expectations", "--no-baseline", "--per-patch", "--base-with", "--target"];

    public static async Task<int> RunAsync(ParseResult parse, NightlyOptions nightly, string[]? archFilter, string? output, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(nightly.Matrix)!;
        var given = PerCellOptions.Where(o => parse.GetResult(o) is System.CommandLine.Parsing.OptionResult { Implicit: false }).ToArray();
        if (given.Length > 0)
            throw new BadInputException($"--matrix {file} with {string.Join(", ", given)}: a matrix sets these per cell. Put them in the matrix file (defaults or an axis entry).");
        var layout = ProjectLayout.Locate();
        var registry = ArchRegistry.Load(layout.ArchDirectory);
        var matrix = MatrixConfigReader.Read(Path.GetFullPath(file), registry);
        if (output is not null)
            matrix = matrix with { Cells = matrix.Cells.Select(c => c with { Config = c.Config with { OutputDirectory = Path.GetFullPath(output) } }).ToArray() };

        var units = matrix.Units;
        var cells = parse.GetValue(nightly.Cell) ?? [];
        foreach (var cell in cells.Where(c => matrix.Cells.All(m => m.Name != c)))
            throw new BadInputException($"--cell {cell}: {file} has no such cell. Cells: {string.Join(", ", matrix.Cells.Select(c => c.Name))}.");
        if (cells.Length > 0) units = units.Where(u => cells.Contains(u.Cell)).ToArray();
        var arches = archFilter?.SelectMany(a => a.Split(',')).Select(a => registry.Get(a).Name).ToArray() ?? [];
        if (arches.Length > 0) units = units.Where(u => arches.Contains(u.Arch)).ToArray();
        var shard = parse.GetValue(nightly.Shard) is { } s ? MatrixShard.Parse(s) : MatrixShard.All;
        units = shard.Select(units);

        // What the chosen units (cell, arch) of this shard need, not the whole matrix's.
        var chosen = matrix.Cells.Where(c => units.Any(u => u.Cell == c.Name))
            .Select(c => c.Config with { Arches = c.Config.Arches.Where(a => units.Any(u => u.Cell == c.Name && u.Arch == a.Name)).ToArray() }).ToArray();
        Processes.HostPrograms.Check(chosen.SelectMany(Processes.HostPrograms.For), chosen.SelectMany(c => c.Arches));

        var args = new List<string> { "run", "--matrix", matrix.SourceFile };
        if (output is not null) args.AddRange(["--output", Path.GetFullPath(output)]);
        foreach (var cell in cells) args.AddRange(["--cell", cell]);
        if (arches.Length > 0) args.AddRange(["--arch", string.Join(',', arches)]);
        if (shard != MatrixShard.All) args.AddRange(["--shard", shard.ToString()]);
        CommandRunner.PrintReproduceLine(args);

        // A shard holds only part of a cell: its history entry would compare half a cell with a whole one. `harness merge` records the whole.
        var history = shard == MatrixShard.All ? nightly.HistoryFor(parse, matrix.OutputDirectory) : null;
        var request = new MatrixRunRequest(matrix, units, shard, history, Reproduce.Line(args),
            cell => Reproduce.Line(["run", "--matrix", matrix.SourceFile, "--cell", cell.Name]));
        var outcome = await MatrixRunner.RunAsync(request, new ConsoleProgressSink(), cancellationToken);
        Console.WriteLine(MatrixReports.Summary(outcome.Result, outcome.Runs));
        foreach (var cell in outcome.Result.Cells.Where(c => c.Regressions.Count > 0))
            foreach (var line in cell.Regressions) Console.Error.WriteLine($"harness: regression in {cell.Name} vs {cell.PreviousRunId}: {line}");
        Console.WriteLine($"reports: {outcome.Directory} (exit {outcome.Result.ExitCode})");
        CommandRunner.PrintReproduceLine(args);
        return outcome.Result.ExitCode;
    }
}
