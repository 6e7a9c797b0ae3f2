using System.Security.Cryptography;
using Harness.Config;
using Harness.Errors;
using Harness.History;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Reports;
using Harness.Run;

namespace Harness.Matrix;

/// <summary>What a matrix run is asked: the matrix, which cells and arches, the shard, the history (null: none).</summary>
public sealed record MatrixRunRequest(MatrixConfig Matrix, IReadOnlyList<MatrixUnit> Units, MatrixShard Shard, RunHistory? History,
    string Reproduce, Func<MatrixCell, string> CellReproduce);

/// <summary>A finished matrix run: its directory, matrix.json's content, and each cell's result by name.</summary>
public sealed record MatrixOutcome(string Directory, MatrixResult Result, IReadOnlyDictionary<string, RunResult> Runs);

/// <summary>
/// `harness run --matrix`: every cell of the shard is a normal run (<see cref="RunPipeline"/>) into
/// &lt;output&gt;/&lt;timestamp&gt;-matrix/cells/&lt;cell&gt;/, all cells at once: kernel builds still go one at a time
/// (<see cref="KernelBuildSlot"/> and the tree's build lock), guests of every cell and arch share one
/// <see cref="RunSchedule"/>, so they run side by side up to the machine's cores. Then matrix.json and summary.md.
/// </summary>
public static class MatrixRunner
{
    public static async Task<MatrixOutcome> RunAsync(MatrixRunRequest request, IProgressSink progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var matrix = request.Matrix;
        var output = matrix.OutputDirectory;
        var directory = NewDirectory(output, $"{DateTime.Now:yyyyMMdd-HHmmss}-matrix");
        var runId = Path.GetFileName(directory);
        var schedule = RunSchedule.Default();
        var project = ProjectLayout.Locate();
        var runner = new ProcessRunner();
        progress.Stage("-", "matrix", $"{runId}: {string.Join(", ", request.Units)} (shard {request.Shard}); reports in {directory}");

        var cells = matrix.Cells.Where(c => request.Units.Any(u => u.Cell == c.Name)).ToArray();
        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, RunResult>();
        var results = await Task.WhenAll(cells.Select(cell =>
        {
            var arches = cell.Config.Arches.Where(a => request.Units.Contains(new MatrixUnit(cell.Name, a.Name))).ToArray();
            var cellDirectory = Path.Combine(directory, MatrixResult.CellsDirectory, cell.Name);
            Directory.CreateDirectory(Path.Combine(cellDirectory, "logs"));
            var context = new StageContext(cell.Config with { Arches = arches }, project, new CacheLayout(cell.Config.CacheDirectory), runner,
                cellDirectory, new CellProgressSink(progress, cell.Name));
            return RunCellAsync(context, cell, runId, request, schedule, runs, cancellationToken);
        }));

        var result = new MatrixResult
        {
            RunId = runId,
            Matrix = matrix.SourceFile,
            MatrixSha256 = Sha256(matrix.SourceFile),
            Shard = request.Shard.ToString(),
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            Reproduce = request.Reproduce,
            ExitCode = Worst(results.Select(r => r.ExitCode)),
            Cells = results,
        };
        await MatrixReports.WriteAsync(result, runs, directory, request.History?.Directory, CancellationToken.None);
        ReportWriter.PointLatest(output, runId);
        return new MatrixOutcome(directory, result, runs);
    }

    private static async Task<MatrixCellResult> RunCellAsync(StageContext context, MatrixCell cell, string runId, MatrixRunRequest request,
        RunSchedule schedule, System.Collections.Concurrent.ConcurrentDictionary<string, RunResult> runs, CancellationToken cancellationToken)
    {
        var arches = context.Config.Arches.Select(a => a.Name).ToArray();
        var cellArches = cell.Config.Arches.Select(a => a.Name).ToArray();
        var directory = context.RunDirectory;
        try
        {
            var run = await RunPipeline.RunAsync(context, request.CellReproduce(cell), schedule, cancellationToken);
            // In a matrix the run id is the matrix run's: the cell's directory is named after the cell, its history entry after the run.
            run = run with { RunId = runId };
            runs[cell.Name] = run;
            await ReportWriter.WriteIntoAsync(run, directory, pointLatest: false, run.Aborted ? CancellationToken.None : cancellationToken);
            var exitCode = RunExitCode.For(run);
            HistoryComparison? history = null;
            if (request.History is { } store && !run.Aborted)
                history = await store.CompareAndRecordAsync(cell.Name, run, directory, CancellationToken.None);
            context.Progress.Stage("-", "cell", $"done: exit {history?.ExitCode(exitCode) ?? exitCode}{Regressions(history)}");
            return new MatrixCellResult
            {
                Name = cell.Name,
                Results = Path.Combine(MatrixResult.CellsDirectory, cell.Name, ReportWriter.ResultsFile),
                ExitCode = history?.ExitCode(exitCode) ?? exitCode,
                Arches = arches,
                CellArches = cellArches,
                PreviousRunId = history?.PreviousRunId,
                Regressions = history?.Regressions ?? [],
            };
        }
        catch (HarnessException e)
        {
            // One cell's broken build or patch does not stop the others; the cell reports why it has no results.
            context.Progress.Stage("-", "cell", $"stopped: {e.Message.Split('\n')[0]}");
            await File.WriteAllTextAsync(Path.Combine(directory, ReportWriter.SummaryFile),
                $"# Harness run {runId}, cell {cell.Name}: stopped (exit {e.ExitCode})\n\n```\n{e.Message}\n```\n", CancellationToken.None);
            return new MatrixCellResult { Name = cell.Name, ExitCode = e.ExitCode, Arches = arches, CellArches = cellArches, Error = e.Message };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new MatrixCellResult { Name = cell.Name, ExitCode = ExitCodes.Interrupted, Arches = arches, CellArches = cellArches, Error = "interrupted" };
        }
    }

    private static string Regressions(HistoryComparison? history) =>
        history is null ? "" : history.Regressions.Count == 0 ? "" : $"; {history.Regressions.Count} regression(s) vs {history.PreviousRunId}: " + string.Join("; ", history.Regressions);

    /// <summary>The worst exit code: interrupted (130) over bad input (3) over infrastructure (2) over mismatch (1) over success.</summary>
    public static int Worst(IEnumerable<int> exitCodes) => ExitCodes.Worst(exitCodes);

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>output/name, or name-PID when a run of the same second got there first.</summary>
    public static string NewDirectory(string output, string name)
    {
        var directory = Path.Combine(output, name);
        if (Directory.Exists(directory)) directory += $"-{Environment.ProcessId}";
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Prefixes each progress line with its cell, since the cells' lines interleave.</summary>
    private sealed class CellProgressSink(IProgressSink inner, string cell) : IProgressSink
    {
        public void Stage(string arch, string stage, string message) => inner.Stage(arch, stage, $"[{cell}] {message}");
    }
}
