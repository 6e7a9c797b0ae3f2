namespace Harness.Reports.Html;

/// <summary>
/// One cell of a report: a name (the matrix cell, e.g. "debian-6.12_async-kfunc-suffixes_async-kfunc", or "run"
/// for a plain run) and the run it produced. A plain `harness run` is a report of one cell. A matrix cell that
/// stopped before it had any result (a patch that does not apply, a failed build) has no run, and says why in
/// <paramref name="Error"/>.
/// </summary>
public sealed record ReportCell(string Name, RunResult? Result, string? Error = null)
{
    /// <summary>Every matrix cell directory's results.json: &lt;matrix-dir&gt;/cells/&lt;cell&gt;/results.json, by cell name.</summary>
    public static IReadOnlyList<ReportCell> FromMatrixDirectory(string matrixDirectory)
    {
        var cells = Path.Combine(matrixDirectory, "cells");
        if (!Directory.Exists(cells)) return [];
        return Directory.GetDirectories(cells).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, ReportWriter.ResultsFile)))
            .Select(d => new ReportCell(Path.GetFileName(d), Compare.RunResultFile.Read(d)))
            .ToArray();
    }
}
