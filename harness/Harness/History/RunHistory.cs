using Harness.Compare;
using Harness.Errors;
using Harness.Reports;

namespace Harness.History;

/// <summary>
/// The run history: `DIR/&lt;cell&gt;/&lt;run-id&gt;.json`, one copy of results.json per finished run of a cell (a matrix
/// cell, or for a plain run the run config's file stem, e.g. "run"). Other tools read this layout (the HTML report's
/// trend), so it is a convention: one directory per cell, one file per run, named by the run id, nothing else in it.
/// Run ids start with the run's local start time (yyyyMMdd-HHmmss), so their ordinal order is their time order.
/// </summary>
public sealed class RunHistory(string directory)
{
    public const string DirectoryName = "history";

    /// <summary>The history directory.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The default history of runs written under <paramref name="outputDirectory"/>: its "history" subdirectory.</summary>
    public static RunHistory Under(string outputDirectory) => new(Path.Combine(outputDirectory, DirectoryName));

    public string CellDirectory(string cell) => Path.Combine(Directory, cell);

    public string EntryFile(string cell, string runId) => Path.Combine(CellDirectory(cell), runId + ".json");

    /// <summary>The cells with a directory in the history, in ordinal order; none when the history does not exist yet.</summary>
    public IReadOnlyList<string> Cells() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetDirectories(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The run ids kept for <paramref name="cell"/>, oldest first.</summary>
    public IReadOnlyList<string> RunIds(string cell) =>
        System.IO.Directory.Exists(CellDirectory(cell))
            ? System.IO.Directory.GetFiles(CellDirectory(cell), "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>
    /// The entry a run is compared with: the latest run id before <paramref name="runId"/> in ordinal (= time) order.
    /// An entry of the same id (the same run recorded again) or of a later one (a history copied from elsewhere) is never "previous".
    /// </summary>
    public static string? Previous(IEnumerable<string> runIds, string runId) =>
        runIds.Where(id => string.CompareOrdinal(id, runId) < 0).Order(StringComparer.Ordinal).LastOrDefault();

    /// <summary>Copies a run's results.json into the history (atomically: a reader never sees half a file).</summary>
    public async Task RecordAsync(string cell, RunResult run, CancellationToken cancellationToken)
    {
        var file = EntryFile(cell, run.RunId);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = $"{file}.tmp-{Environment.ProcessId}";
        await File.WriteAllTextAsync(temporary, ResultsJson.Serialize(run), cancellationToken);
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>
    /// Compares the run with the previous entry of its cell (if any), writes compare.md into the run directory and adds
    /// the comparison to its summary.md, then records the run. Aborted runs are neither compared nor recorded.
    /// </summary>
    public async Task<HistoryComparison> CompareAndRecordAsync(string cell, RunResult run, string runDirectory, CancellationToken cancellationToken)
    {
        if (run.Aborted) return new HistoryComparison(cell, null, null, null);
        var previousId = Previous(RunIds(cell), run.RunId);
        RunComparison? comparison = null;
        string? compareFile = null;
        if (previousId is not null)
        {
            comparison = RunComparer.Compare(RunResultFile.Read(EntryFile(cell, previousId)), run);
            compareFile = Path.Combine(runDirectory, CompareReport.MarkdownFile);
            await File.WriteAllTextAsync(compareFile, CompareReport.Markdown(comparison), cancellationToken);
        }
        var outcome = new HistoryComparison(cell, previousId, comparison, compareFile);
        var summary = Path.Combine(runDirectory, ReportWriter.SummaryFile);
        if (File.Exists(summary)) await File.AppendAllTextAsync(summary, HistoryMarkdown.Section(outcome, this), cancellationToken);
        await RecordAsync(cell, run, cancellationToken);
        return outcome;
    }
}

/// <summary>What the history said about one run: the previous run of its cell (null for the first) and how this one differs.</summary>
public sealed record HistoryComparison(string Cell, string? PreviousRunId, RunComparison? Comparison, string? CompareFile)
{
    /// <summary>Regressions against the previous run, one line each ("x86_64 patched `obj:prog`: new failure (pass → fail)").</summary>
    public IReadOnlyList<string> Regressions => Comparison?.Changes.Where(c => c.Regression).Select(HistoryMarkdown.Line).ToArray() ?? [];

    /// <summary>The exit code with the history taken into account: a new regression is at least a mismatch (1).</summary>
    public int ExitCode(int runExitCode) =>
        Regressions.Count > 0 ? ExitCodes.Worst([runExitCode, ExitCodes.Mismatch]) : runExitCode;
}
