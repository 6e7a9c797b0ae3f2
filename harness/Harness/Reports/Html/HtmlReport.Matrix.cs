using System.Globalization;
using System.Text;
using Harness.Verdicts;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>
    /// Cells as rows, (arch, kernel) as columns, each box the counts of every status and a link to that
    /// kernel's program table. Patched kernels are coloured by their worst outcome; baselines are grey:
    /// they are not held to the expectations.
    /// </summary>
    private static void Matrix(StringBuilder html, IReadOnlyList<ReportCell> cells)
    {
        var columns = cells.SelectMany(c => (c.Result?.Runs ?? []).Select(r => (r.Arch, r.Kernel))).Distinct().ToArray();
        html.Append("<section id=\"matrix\">\n<h2>Matrix</h2>\n<p class=\"legend\">");
        foreach (var s in HtmlText.Statuses)
            html.Append(CultureInfo.InvariantCulture, $"<span><span class=\"swatch {HtmlText.Css(s)}\"></span>{HtmlText.Word(s)}</span>");
        html.Append("</p>\n<table class=\"matrix\">\n<thead><tr><th>cell</th><th>run</th>");
        foreach (var (arch, kernel) in columns)
            html.Append(CultureInfo.InvariantCulture, $"<th>{HtmlText.Escape(arch)} {HtmlText.Kernel(kernel)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var cell in cells)
        {
            var (verdict, css) = Verdict(cell);
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><th><a href=\"#{HtmlText.Id("cell", cell.Name)}\">{HtmlText.Escape(cell.Name)}</a></th><td><code>{HtmlText.Escape(cell.Result?.RunId ?? "")}</code><br><span class=\"chip {css}\">{HtmlText.Escape(verdict)}</span></td>");
            foreach (var (arch, kernel) in columns)
            {
                var run = cell.Result?.Runs.FirstOrDefault(r => r.Arch == arch && r.Kernel == kernel);
                if (run is null) { html.Append("<td class=\"m none\">—</td>"); continue; }
                MatrixBox(html, cell, run);
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void MatrixBox(StringBuilder html, ReportCell cell, ArchRun run)
    {
        var colour = run.Kernel == KernelRole.Baseline ? "informational"
            : run.Error is not null || run.Count(OutcomeStatus.Error) > 0 ? "error"
            : run.Count(OutcomeStatus.Fail) > 0 ? "fail" : "pass";
        var id = RunAnchor(cell, run);
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"m {colour}\" id=\"m-{id}\"><a href=\"#{id}\">");
        foreach (var s in HtmlText.Statuses)
        {
            var n = run.Count(s);
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"n {HtmlText.Css(s)}{(n == 0 ? " zero" : "")}\" title=\"{HtmlText.Word(s)}\" data-status=\"{HtmlText.Css(s)}\">{n}</span>");
        }
        if (run.Error is not null) html.Append("<br><span class=\"n error\">stopped</span>");
        // The accelerator's first word only ("tcg"): why KVM was dropped is in the title and the program table's heading.
        if (run.KernelRelease.Length > 0)
            html.Append(CultureInfo.InvariantCulture, $"<br><span class=\"note\" title=\"{HtmlText.Escape(run.Accelerator)}\">{HtmlText.Escape(run.KernelRelease)} · {HtmlText.Escape(run.Accelerator.Split(' ')[0])}</span>");
        if (run.Kernel == KernelRole.Baseline) html.Append("<br><span class=\"note\">baseline: not held to the expectations</span>");
        html.Append("</a></td>");
    }

    /// <summary>The id of one (cell, arch, kernel) program table.</summary>
    private static string RunAnchor(ReportCell cell, ArchRun run) => HtmlText.Id("run", cell.Name, run.Arch, HtmlText.Kernel(run.Kernel));
}
