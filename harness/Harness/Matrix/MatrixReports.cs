using System.Globalization;
using System.Text;
using Harness.Reports;
using Html = Harness.Reports.Html;
using Harness.Verdicts;

namespace Harness.Matrix;

/// <summary>
/// The matrix directory's own reports: matrix.json and summary.md (one row per cell). The cells' reports are the
/// normal run reports, written by <see cref="ReportWriter"/> into cells/NAME/.
/// </summary>
public static class MatrixReports
{
    /// <summary>
    /// Writes matrix.json and summary.md into <paramref name="directory"/>. <paramref name="runs"/> holds each cell's
    /// result by name (missing for a cell that stopped with an error).
    /// </summary>
    /// <remarks>
    /// Also report.html (Reports/Html) with the trend of <paramref name="historyDirectory"/> (null: no trend). Any other
    /// matrix report takes the same inputs; they can be rebuilt from a directory alone with <see cref="MatrixResultFile.Read"/>.
    /// </remarks>
    public static async Task WriteAsync(MatrixResult result, IReadOnlyDictionary<string, RunResult> runs, string directory,
        string? historyDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(Path.Combine(directory, MatrixResult.File), MatrixResult.Serialize(result), utf8, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ReportWriter.SummaryFile), Summary(result, runs), utf8, cancellationToken);
        // The HTML report of the matrix: every cell (one that stopped says why) and the trend of each cell's history.
        var cells = result.Cells.Select(c => new Html.ReportCell(c.Name, runs.GetValueOrDefault(c.Name), c.Error)).ToArray();
        var history = historyDirectory is null ? null : Html.HistoryReader.Read(historyDirectory, result.Cells.Select(c => c.Name));
        await Html.HtmlReport.WriteAsync(Path.Combine(directory, Html.HtmlReport.FileName), cells, history, cancellationToken);
    }

    public static string Summary(MatrixResult result, IReadOnlyDictionary<string, RunResult> runs)
    {
        var md = new StringBuilder();
        var verdict = result.ExitCode switch
        {
            0 => "all as expected",
            1 => "mismatches or regressions",
            2 => "infrastructure errors",
            3 => "bad input",
            130 => "aborted",
            var other => $"exit {other}",
        };
        md.Append(CultureInfo.InvariantCulture, $"# Harness matrix {result.RunId}: {verdict} (exit {result.ExitCode})\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Matrix `{result.Matrix}`, {result.Cells.Count} cell(s)");
        if (result.Shard != "1/1") md.Append(CultureInfo.InvariantCulture, $", shard {result.Shard}");
        if (result.MergedFrom.Count > 0) md.Append(CultureInfo.InvariantCulture, $", merged from {string.Join(", ", result.MergedFrom)}");
        md.Append(".\n\n");
        md.Append("Counts are of the patched kernels (baselines are shown in each cell's summary).\n\n");
        md.Append("| cell | arches | pass | known-deviation | fail | error | skip | vs previous run | exit | report |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---|---:|---|\n");
        foreach (var cell in result.Cells)
        {
            var judged = runs.TryGetValue(cell.Name, out var run)
                ? run.AllPrograms.Where(p => p.Run.Kernel == KernelRole.Patched).Select(p => p.Program.Outcome.Status).ToArray()
                : [];
            int N(OutcomeStatus s) => judged.Count(x => x == s);
            var history = cell.PreviousRunId is null ? "—"
                : cell.Regressions.Count == 0 ? $"no regressions vs `{cell.PreviousRunId}`" : $"**{cell.Regressions.Count} regression(s)** vs `{cell.PreviousRunId}`";
            var report = $"[summary](cells/{cell.Name}/{ReportWriter.SummaryFile})";
            md.Append(CultureInfo.InvariantCulture,
                $"| `{cell.Name}` | {string.Join(", ", cell.Arches)} | {N(OutcomeStatus.Pass)} | {N(OutcomeStatus.KnownDeviation)} | {N(OutcomeStatus.Fail)} | {N(OutcomeStatus.Error)} | {N(OutcomeStatus.Skip)} | {history} | {cell.ExitCode} | {report} |\n");
        }
        foreach (var cell in result.Cells.Where(c => c.Error is not null || c.Regressions.Count > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## `{cell.Name}`\n\n");
            if (cell.Error is not null) md.Append("```\n").Append(cell.Error.TrimEnd()).Append("\n```\n");
            foreach (var line in cell.Regressions) md.Append(CultureInfo.InvariantCulture, $"- regression: {line}\n");
        }
        if (result.Reproduce.Length > 0) md.Append(CultureInfo.InvariantCulture, $"\nReproduce: `{result.Reproduce}`\n");
        return md.ToString();
    }
}

/// <summary>Reads a matrix directory back: matrix.json and the results.json of every cell that has one.</summary>
public static class MatrixResultFile
{
    public static (MatrixResult Result, IReadOnlyDictionary<string, RunResult> Runs) Read(string directory)
    {
        var file = Path.Combine(directory, MatrixResult.File);
        if (!File.Exists(file))
            throw new Errors.BadInputException($"{directory}: no {MatrixResult.File} there. Give a directory a `harness run --matrix` wrote.");
        MatrixResult result;
        try
        {
            result = MatrixResult.Deserialize(File.ReadAllText(file));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new Errors.BadInputException($"{file}: not a harness {MatrixResult.File} ({e.Message}).");
        }
        var runs = result.Cells.Where(c => c.Results is not null)
            .ToDictionary(c => c.Name, c => Compare.RunResultFile.Read(Path.Combine(directory, c.Results!)));
        return (result, runs);
    }
}
