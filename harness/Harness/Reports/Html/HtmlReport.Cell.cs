using System.Globalization;
using System.Text;
using Harness.Verdicts;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>One cell: what ran, where it stopped, stage times, baseline → patched changes, then each kernel's programs.</summary>
    private static void Cell(StringBuilder html, ReportCell cell)
    {
        var (verdict, css) = Verdict(cell);
        html.Append(CultureInfo.InvariantCulture,
            $"<section class=\"cell\" id=\"{HtmlText.Id("cell", cell.Name)}\">\n<h2>{HtmlText.Escape(cell.Name)} <span class=\"chip {css}\">{HtmlText.Escape(verdict)}</span></h2>\n");
        if (cell.Result is not { } run)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"stopped\"><strong>stopped before any result:</strong> {HtmlText.Escape(cell.Error ?? "no results.json")}</div>\n</section>\n");
            return;
        }
        Meta(html, run);
        foreach (var r in run.Runs.Where(r => r.Error is not null))
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"stopped\"><strong>{HtmlText.Escape(r.Name)} stopped:</strong> {HtmlText.Escape(r.Error)}</div>\n");
        foreach (var r in run.Runs)
            foreach (var note in r.Notes)
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\"><strong>{HtmlText.Escape(r.Name)}:</strong> {HtmlText.Escape(note)}</p>\n");
        Series(html, run);
        StageTimes(html, run);
        Changes(html, run);
        Costs(html, run);
        foreach (var r in run.Runs) Programs(html, cell, r);
        html.Append("</section>\n");
    }

    private static void Meta(StringBuilder html, RunResult run)
    {
        var inputs = run.Inputs;
        void Row(string name, string value, bool code = false)
        {
            if (value.Length == 0) return;
            var text = code ? $"<code>{HtmlText.Escape(value)}</code>" : HtmlText.Escape(value);
            html.Append(CultureInfo.InvariantCulture, $"<dt>{name}</dt><dd>{text}</dd>");
        }
        html.Append("<dl class=\"meta\">");
        Row("run", $"{run.RunId}, started {run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, took {Seconds((run.FinishedAt - run.StartedAt).TotalSeconds)}");
        Row("series", $"{inputs.Series} ({Count(inputs.Patches.Count, "patch", "patches")})");
        Row("tree", inputs.TreeCommit.Length > 0 ? $"{inputs.Tree} at {inputs.TreeCommit}" : inputs.Tree);
        Row("baseline", inputs.Baseline);
        Row("reproduce", run.Reproduce, code: true);
        Row("harness", run.Versions.HarnessGitSha, code: true);
        Row("tools", string.Join(", ", run.Versions.Tools.Select(t => $"{t.Name} {t.Version}")));
        html.Append("</dl>\n");
    }

    /// <summary>Rows (arch, kernel), columns the stages in the order they ran; cached stages say so; boot phases last.</summary>
    private static void StageTimes(StringBuilder html, RunResult run)
    {
        var stages = run.Runs.SelectMany(r => r.Stages.Select(s => s.Stage)).Distinct().ToArray();
        if (stages.Length == 0) return;
        html.Append("<h3>Stage times</h3>\n<table class=\"stages\"><thead><tr><th>arch</th><th>kernel</th>");
        foreach (var s in stages) html.Append(CultureInfo.InvariantCulture, $"<th class=\"num\">{HtmlText.Escape(s)}</th>");
        html.Append("<th>boot phases</th></tr></thead>\n<tbody>\n");
        foreach (var r in run.Runs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlText.Escape(r.Arch)}</td><td>{HtmlText.Kernel(r.Kernel)}</td>");
            foreach (var name in stages)
            {
                var t = r.Stages.FirstOrDefault(s => s.Stage == name);
                html.Append(t is null ? "<td class=\"num\">—</td>"
                    : string.Create(CultureInfo.InvariantCulture, $"<td class=\"num\">{Seconds(t.Seconds)}{(t.Cached ? " <span class=\"note\">cached</span>" : "")}</td>"));
            }
            html.Append(CultureInfo.InvariantCulture,
                $"<td class=\"note\">{HtmlText.Escape(string.Join(", ", r.BootPhases.Select(p => $"{p.Name} {Seconds(p.Seconds)}")))}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
    }

    private static void Changes(StringBuilder html, RunResult run)
    {
        if (!run.Runs.Any(r => r.Kernel == KernelRole.Baseline)) return;
        html.Append("<h3>What the series changes (baseline → patched)</h3>\n");
        if (run.BaselineChanges.Count == 0)
        {
            html.Append("<p>No verdict, errno or verifier message changed.</p>\n");
            return;
        }
        html.Append("<table class=\"changes\"><thead><tr><th>arch</th><th>program</th><th>verdict</th><th>errno</th><th>verifier message</th></tr></thead>\n<tbody>\n");
        foreach (var c in run.BaselineChanges)
        {
            var errno = c.BaselineErrno == c.PatchedErrno ? $"{c.PatchedErrno}" : $"{c.BaselineErrno} → {c.PatchedErrno}";
            var message = c.BaselineMessage == c.PatchedMessage ? c.PatchedMessage ?? "" : $"{c.BaselineMessage ?? "—"} → {c.PatchedMessage ?? "—"}";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{HtmlText.Escape(c.Arch)}</td><td><code>{HtmlText.Escape($"{c.Object}:{c.Program}")}</code></td><td>{HtmlText.Escape(c.Flip)}</td><td class=\"num\">{HtmlText.Escape(errno)}</td><td>{HtmlText.Escape(message)}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
    }
}
