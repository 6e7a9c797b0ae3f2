using System.Globalization;
using System.Text;
using Harness.Patches.Inputs;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>
    /// The series: every patch, where it came from (the directory, message N of an mbox, an imported web-archive copy)
    /// and how it went in (clean, offsets, 3-way, and for an import how its hunks were re-placed), from
    /// inputs.series_input; a run recorded before that field only has its patch files to list.
    /// </summary>
    private static void Series(StringBuilder html, RunResult run)
    {
        html.Append("<h3>Series</h3>\n");
        if (run.Inputs.SeriesInput is not { Patches.Count: > 0 } input)
        {
            if (run.Inputs.Patches.Count == 0) return;
            html.Append("<table class=\"series\"><thead><tr><th class=\"num\">#</th><th>patch</th></tr></thead>\n<tbody>\n");
            foreach (var (p, i) in run.Inputs.Patches.Select((p, i) => (p, i + 1)))
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{i}</td><td><code>{HtmlText.Escape(Path.GetFileName(p.Path))}</code></td></tr>\n");
            html.Append("</tbody></table>\n");
            return;
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>{HtmlText.Escape(SeriesInputSummary.Source(input, ""))}.</p>\n");
        foreach (var note in input.Notes) html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">note: {HtmlText.Escape(note)}</p>\n");
        html.Append("<table class=\"series\"><thead><tr><th class=\"num\">#</th><th>patch</th><th>subject</th><th>from</th><th>applied</th></tr></thead>\n<tbody>\n");
        foreach (var (p, i) in input.Patches.Select((p, i) => (p, i + 1)))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"num\">{i}</td><td><code>{HtmlText.Escape(p.Name)}</code></td><td>{HtmlText.Escape(p.Subject)}</td><td>{HtmlText.Escape(From(input.Kind, p))}</td><td>{HtmlText.Escape(p.How)}");
            if (p.Imported.Count > 0)
            {
                html.Append("<details class=\"hunks\"><summary>how the importer placed each hunk</summary><pre>");
                foreach (var hunk in p.Imported) html.Append(HtmlText.Escape(hunk.Describe())).Append('\n');
                html.Append("</pre></details>");
            }
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
    }

    private static string From(SeriesInputKind kind, PatchInputReport patch)
    {
        var message = patch.Message is { } n ? string.Create(CultureInfo.InvariantCulture, $"message {n}") : "";
        return kind switch
        {
            SeriesInputKind.Mbox => message.Length > 0 ? $"mbox {message}" : "mbox",
            SeriesInputKind.ArchiveCopy => message.Length > 0 ? $"imported web-archive copy, {message}" : "imported web-archive copy",
            _ => "directory",
        };
    }
}
