using System.Globalization;
using System.Text;
using Harness.Compare;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>A cost table with more rows than this folds its unflagged rows into a &lt;details&gt;.</summary>
    internal const int MaxOpenCostRows = 10;

    /// <summary>
    /// Verification cost baseline → patched per arch, as <see cref="BaselineCosts.Compare"/> computes it with the run's
    /// thresholds: programs that grew past them first and always visible, the rest folded when the table is long.
    /// </summary>
    private static void Costs(StringBuilder html, RunResult run)
    {
        var thresholds = run.Inputs.CostGrowth;
        var costs = BaselineCosts.Compare(run, thresholds);
        if (costs.Count == 0) return;
        html.Append("<h3>Verification cost (baseline → patched)</h3>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"note\">{Count(costs.Count(c => c.LargeGrowth), "program", "programs")} grew past {HtmlText.Escape(thresholds.ToString())} (run.yaml <code>cost-growth:</code>).</p>\n");
        foreach (var arch in costs.GroupBy(c => c.Run))
        {
            // OrderByDescending is stable: within flagged and unflagged rows BaselineCosts' largest-change-first order stays.
            var rows = arch.OrderByDescending(c => c.LargeGrowth).ToArray();
            var open = rows.Length <= MaxOpenCostRows ? rows : rows.Where(c => c.LargeGrowth).ToArray();
            var folded = rows.Skip(open.Length).ToArray();
            html.Append(CultureInfo.InvariantCulture, $"<h4>{HtmlText.Escape(arch.Key)}</h4>\n");
            if (open.Length > 0) CostTable(html, open);
            if (folded.Length == 0) continue;
            html.Append(CultureInfo.InvariantCulture,
                $"<details class=\"costs\"><summary>{HtmlText.Escape(Count(folded.Length, "program", "programs"))} within the thresholds</summary>\n");
            CostTable(html, folded);
            html.Append("</details>\n");
        }
    }

    private static void CostTable(StringBuilder html, IEnumerable<CostDelta> rows)
    {
        html.Append("<table class=\"costs\"><thead><tr><th>program</th><th class=\"num\">insns base</th><th class=\"num\">insns patched</th><th class=\"num\">insns Δ</th>" +
                    "<th class=\"num\">insns %</th><th class=\"num\">states base</th><th class=\"num\">states patched</th><th class=\"num\">states Δ</th><th>large growth</th></tr></thead>\n<tbody>\n");
        foreach (var c in rows)
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(c.LargeGrowth ? " class=\"grew\"" : "")}><td><code>{HtmlText.Escape(c.Program)}</code></td><td class=\"num\">{c.InsnsA}</td><td class=\"num\">{c.InsnsB}</td>" +
                $"<td class=\"num\">{CostSummary.Signed(c.InsnsDelta)}</td><td class=\"num\">{CostSummary.Percent(c.InsnsPercent, c.InsnsDelta)}</td>" +
                $"<td class=\"num\">{c.PeakStatesA}</td><td class=\"num\">{c.PeakStatesB}</td><td class=\"num\">{CostSummary.Signed(c.PeakStatesDelta)}</td>" +
                $"<td>{(c.LargeGrowth ? "<strong>yes</strong>" : "")}</td></tr>\n");
        html.Append("</tbody></table>\n");
    }
}
