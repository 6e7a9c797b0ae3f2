using System.Globalization;
using System.Text;
using Harness.Errors;

namespace Harness.Reports.Html;

/// <summary>
/// report.html: one static page, no network, no script. The matrix (cells x arch x kernel, colour-coded
/// counts), the history trend of each cell (inline SVG: outcome counts and stage times per run), and per
/// cell the inputs, stage times, what the series changes (baseline → patched), and every program's result
/// with the verifier log behind each failure and error in a collapsible &lt;details&gt;. Everything taken
/// from a run is HTML-escaped; the only links are in-page anchors.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>The report's file name in a run directory.</summary>
    public const string FileName = "report.html";

    /// <summary>
    /// The page for <paramref name="cells"/> (one for a plain run, several for a matrix). <paramref name="history"/>
    /// holds earlier runs of the cells (see <see cref="HistoryReader.Read"/>); each cell's trend also ends with its
    /// current run when the history does not hold it yet. Null or empty: no trend is drawn.
    /// </summary>
    public static string Render(IReadOnlyList<ReportCell> cells, IReadOnlyList<HistoryPoint>? history = null)
    {
        if (cells.Count == 0) throw new ArgumentException("a report needs at least one cell", nameof(cells));
        if (cells.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != cells.Count)
            throw new ArgumentException($"cell names must be unique: {string.Join(", ", cells.Select(c => c.Name))}", nameof(cells));
        var html = new StringBuilder();
        Head(html, cells);
        Matrix(html, cells);
        Trends(html, cells, history ?? []);
        foreach (var cell in cells) Cell(html, cell);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders and writes the page to <paramref name="path"/> (UTF-8, through a temporary file so a reader never sees half a page).</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<ReportCell> cells, IReadOnlyList<HistoryPoint>? history = null,
        CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, Render(cells, history), new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The headline of one cell: its run's, as summary.md words it, or that it stopped before any result.</summary>
    internal static (string Text, string Css) Verdict(ReportCell cell)
    {
        if (cell.Result is not { } run) return ($"stopped: {cell.Error ?? "no results"}", "error");
        var fails = run.AllPrograms.Count(p => p.Run.Kernel == Verdicts.KernelRole.Patched && p.Program.Outcome.Status == Verdicts.OutcomeStatus.Fail);
        var errors = run.AllPrograms.Count(p => p.Program.Outcome.Status == Verdicts.OutcomeStatus.Error)
                     + run.Runs.Count(r => r.Error is not null && r.Programs.Count == 0);
        return RunExitCode.For(run) switch
        {
            ExitCodes.Success => ("all as expected", "pass"),
            ExitCodes.Interrupted => ($"aborted during {run.AbortedDuring}", "error"),
            ExitCodes.Mismatch => (Count(fails, "mismatch", "mismatches"), "fail"),
            _ => (Count(errors, "error", "errors") + (fails > 0 ? ", " + Count(fails, "mismatch", "mismatches") : ""), "error"),
        };
    }

    internal static string Count(int n, string one, string many) => Words.Count(n, one, many);

    internal static string Seconds(double s) => s.ToString(s < 10 ? "0.0#" : "0.#", CultureInfo.InvariantCulture) + " s";

    private static void Head(StringBuilder html, IReadOnlyList<ReportCell> cells)
    {
        var title = cells.Count == 1 && cells[0].Result is { } only ? $"Harness run {only.RunId}" : $"Harness matrix: {Count(cells.Count, "cell", "cells")}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{HtmlText.Escape(title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<header><h1>{HtmlText.Escape(title)}</h1>\n<p class=\"cells\">");
        foreach (var cell in cells)
        {
            var (text, css) = Verdict(cell);
            html.Append(CultureInfo.InvariantCulture,
                $"<a class=\"chip {css}\" href=\"#{HtmlText.Id("cell", cell.Name)}\">{HtmlText.Escape(cell.Name)}: {HtmlText.Escape(text)}</a> ");
        }
        html.Append("</p>\n");
        // Filtering without script: :has() hides the rows of the statuses that need no attention.
        html.Append("<label class=\"filter\"><input type=\"checkbox\" id=\"only-problems\"> show only failures and errors</label>\n");
        html.Append("</header>\n<main>\n");
    }
}
