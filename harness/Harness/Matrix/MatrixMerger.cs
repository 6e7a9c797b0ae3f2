using Harness.Errors;
using Harness.History;
using Harness.Reports;

namespace Harness.Matrix;

/// <summary>
/// `harness merge`: joins the shards of one matrix run into the result the unsharded run gives: the same cells, each
/// with every arch's kernels in the cell's arch order, the same verdicts and reports (timings are the shards').
/// The shards must come from the same matrix file (same SHA-256) and the same N, each K exactly once.
/// </summary>
public static class MatrixMerger
{
    /// <summary>Pure part: one cell's results from several shards, in the cell's arch order.</summary>
    public static RunResult MergeCell(IReadOnlyList<RunResult> parts, IReadOnlyList<string> cellArches, string runId)
    {
        int Order(string arch) => cellArches.ToList().IndexOf(arch) is var i and >= 0 ? i : int.MaxValue;
        // Each part holds whole arches (a shard unit is a cell's arch); within an arch the part's order (patched, baseline) stands.
        var byFirstArch = parts.OrderBy(p => p.Runs.Select(r => Order(r.Arch)).DefaultIfEmpty(int.MaxValue).Min()).ToArray();
        var runs = byFirstArch.SelectMany(p => p.Runs).Select((r, i) => (r, i)).OrderBy(x => Order(x.r.Arch)).ThenBy(x => x.i).Select(x => x.r).ToArray();
        var changes = byFirstArch.SelectMany(p => p.BaselineChanges).Select((c, i) => (c, i)).OrderBy(x => Order(x.c.Arch)).ThenBy(x => x.i)
            .Select(x => x.c).ToArray();
        var first = byFirstArch[0];
        return first with
        {
            RunId = runId,
            StartedAt = parts.Min(p => p.StartedAt),
            FinishedAt = parts.Max(p => p.FinishedAt),
            Inputs = first.Inputs with
            {
                ConfigFiles = byFirstArch.SelectMany(p => p.Inputs.ConfigFiles).DistinctBy(f => f.Path).ToArray(),
                Patches = byFirstArch.SelectMany(p => p.Inputs.Patches).DistinctBy(f => f.Path).ToArray(),
            },
            Runs = runs,
            BaselineChanges = changes,
            Aborted = parts.Any(p => p.Aborted),
            AbortedDuring = parts.Any(p => p.Aborted) ? string.Join(", ", parts.Where(p => p.Aborted).Select(p => p.AbortedDuring)) : null,
        };
    }

    /// <summary>Finds matrix.json under each input (the directory itself, or any below it: a downloaded artifact tree).</summary>
    public static IReadOnlyList<string> FindShards(IEnumerable<string> inputs)
    {
        var found = new List<string>();
        foreach (var input in inputs)
        {
            if (!Directory.Exists(input)) throw new BadInputException($"{input}: no such directory. Give the shards' output directories.");
            var here = Directory.GetFiles(input, MatrixResult.File, SearchOption.AllDirectories)
                // An output directory's "latest" link leads to a run found under its own name too: links are resolved, then deduplicated.
                .Select(f => RealPath(Path.GetDirectoryName(Path.GetFullPath(f))!)).ToArray();
            if (here.Length == 0) throw new BadInputException($"{input}: no {MatrixResult.File} in it or below. Give directories `harness run --matrix --shard K/N` wrote.");
            found.AddRange(here);
        }
        return found.Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    private static string RealPath(string directory) =>
        new DirectoryInfo(directory).ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } target
            ? Path.GetFullPath(target, Path.GetDirectoryName(directory)!)
            : directory;

    public static async Task<MatrixOutcome> MergeAsync(IReadOnlyList<string> shardDirectories, string output, RunHistory? history, string reproduce,
        CancellationToken cancellationToken)
    {
        var shards = shardDirectories.Select(d => (Directory: d, Read: MatrixResultFile.Read(d))).ToArray();
        Check(shards.Select(s => (s.Directory, s.Read.Result)).ToArray());
        var ordered = shards.OrderBy(s => MatrixShard.Parse(s.Read.Result.Shard).Index).ToArray();
        var runId = ordered.Select(s => s.Read.Result.RunId).Order(StringComparer.Ordinal).First();
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new BadInputException($"-o {output}: the directory exists and is not empty. Give a new directory for the merged result.");
        Directory.CreateDirectory(output);

        var names = ordered.SelectMany(s => s.Read.Result.Cells.Select(c => c.Name)).Distinct().ToArray();
        var runs = new Dictionary<string, RunResult>();
        var cells = new List<MatrixCellResult>();
        foreach (var name in names)
        {
            var parts = ordered.SelectMany(s => s.Read.Result.Cells.Where(c => c.Name == name).Select(c => (s.Directory, Cell: c, Run: s.Read.Runs.GetValueOrDefault(name)))).ToArray();
            var cellArches = parts[0].Cell.CellArches;
            var arches = cellArches.Where(a => parts.Any(p => p.Cell.Arches.Contains(a))).ToArray();
            var cellDirectory = Path.Combine(output, MatrixResult.CellsDirectory, name);
            Directory.CreateDirectory(cellDirectory);
            foreach (var part in parts) CopyLogs(Path.Combine(part.Directory, MatrixResult.CellsDirectory, name), cellDirectory);
            var exitCode = MatrixRunner.Worst(parts.Select(p => p.Cell.ExitCode));
            var errors = parts.Where(p => p.Cell.Error is not null).Select(p => p.Cell.Error!).ToArray();
            if (parts.Any(p => p.Run is null))
            {
                // A shard's part stopped before any result: the cell is incomplete, as it would be unsharded.
                var message = string.Join("\n", errors);
                await File.WriteAllTextAsync(Path.Combine(cellDirectory, ReportWriter.SummaryFile),
                    $"# Harness run {runId}, cell {name}: stopped (exit {exitCode})\n\n```\n{message}\n```\n", cancellationToken);
                cells.Add(new MatrixCellResult { Name = name, ExitCode = exitCode, Arches = arches, CellArches = cellArches, Error = message });
                continue;
            }
            var run = MergeCell(parts.Select(p => p.Run!).ToArray(), cellArches, runId);
            runs[name] = run;
            await ReportWriter.WriteIntoAsync(run, cellDirectory, pointLatest: false, cancellationToken);
            exitCode = MatrixRunner.Worst([exitCode, RunExitCode.For(run)]);
            HistoryComparison? compared = history is null || run.Aborted ? null : await history.CompareAndRecordAsync(name, run, cellDirectory, cancellationToken);
            cells.Add(new MatrixCellResult
            {
                Name = name,
                Results = Path.Combine(MatrixResult.CellsDirectory, name, ReportWriter.ResultsFile),
                ExitCode = compared?.ExitCode(exitCode) ?? exitCode,
                Arches = arches,
                CellArches = cellArches,
                PreviousRunId = compared?.PreviousRunId,
                Regressions = compared?.Regressions ?? [],
            });
        }

        var firstShard = ordered[0].Read.Result;
        var result = new MatrixResult
        {
            RunId = runId,
            Matrix = firstShard.Matrix,
            MatrixSha256 = firstShard.MatrixSha256,
            MergedFrom = ordered.Select(s => $"{s.Read.Result.RunId} (shard {s.Read.Result.Shard})").ToArray(),
            StartedAt = ordered.Min(s => s.Read.Result.StartedAt),
            FinishedAt = ordered.Max(s => s.Read.Result.FinishedAt),
            Reproduce = reproduce,
            ExitCode = MatrixRunner.Worst(cells.Select(c => c.ExitCode)),
            Cells = cells,
        };
        await MatrixReports.WriteAsync(result, runs, output, history?.Directory, cancellationToken);
        return new MatrixOutcome(output, result, runs);
    }

    /// <summary>Every shard of one matrix (same file content, same N), each K once, none missing.</summary>
    public static void Check(IReadOnlyList<(string Directory, MatrixResult Result)> shards)
    {
        if (shards.Count == 0) throw new BadInputException("merge: no shards given. Give the directories `harness run --matrix --shard K/N` wrote.");
        var hashes = shards.Select(s => s.Result.MatrixSha256).Distinct().ToArray();
        if (hashes.Length > 1)
            throw new BadInputException("merge: the shards ran different matrix files: " +
                                        string.Join("; ", shards.Select(s => $"{s.Directory}: {s.Result.Matrix} (sha256 {s.Result.MatrixSha256[..12]})")) +
                                        ". Merge only shards of one run.");
        var parsed = shards.Select(s => (s.Directory, Shard: MatrixShard.Parse(s.Result.Shard))).ToArray();
        var counts = parsed.Select(p => p.Shard.Count).Distinct().ToArray();
        if (counts.Length > 1)
            throw new BadInputException($"merge: the shards split the matrix differently ({string.Join(", ", parsed.Select(p => $"{p.Shard} in {p.Directory}"))}). Merge shards of one --shard K/N split.");
        var n = counts[0];
        var twice = parsed.GroupBy(p => p.Shard.Index).Where(g => g.Count() > 1).ToArray();
        if (twice.Length > 0)
            throw new BadInputException($"merge: shard {twice[0].Key}/{n} given more than once: {string.Join(", ", twice[0].Select(p => p.Directory))}. Give each shard once.");
        var missing = Enumerable.Range(1, n).Where(k => parsed.All(p => p.Shard.Index != k)).ToArray();
        if (missing.Length > 0)
            throw new BadInputException($"merge: shard(s) {string.Join(", ", missing.Select(k => $"{k}/{n}"))} missing. Give the output of every shard.");
    }

    /// <summary>Everything a shard's cell directory holds but the reports (rewritten from the merged result): logs, consoles.</summary>
    private static void CopyLogs(string from, string to)
    {
        if (!Directory.Exists(from)) return;
        string[] rewritten = [ReportWriter.ResultsFile, ReportWriter.SummaryFile, ReportWriter.JunitFile, Compare.CompareReport.MarkdownFile, Reports.Html.HtmlReport.FileName];
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (rewritten.Contains(relative)) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Shared logs (tree, apply) are the same work in every shard: the first shard's copy is kept.
            if (!File.Exists(target)) File.Copy(file, target);
        }
    }
}
