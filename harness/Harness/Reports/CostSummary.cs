using System.Globalization;
using System.Text;
using Harness.Compare;
using Spectre.Console;

namespace Harness.Reports;

/// <summary>
/// The verification-cost part of summary.md and of the terminal: every program's insns processed and peak states on
/// the baseline and the patched kernel, with deltas (as `veristat -C` shows them), large growth flagged first.
/// </summary>
public static class CostSummary
{
    public static void AppendMarkdown(StringBuilder md, RunResult run)
    {
        var costs = BaselineCosts.Compare(run, run.Inputs.CostGrowth);
        if (costs.Count == 0) return;
        md.Append("## Verification cost (baseline → patched)\n\n");
        var changed = costs.Count(c => c.InsnsDelta != 0 || c.PeakStatesDelta != 0);
        md.Append(CultureInfo.InvariantCulture,
            $"{changed} of {costs.Count} program results changed cost. Large growth means {run.Inputs.CostGrowth} (run.yaml `cost-growth:`).\n\n");
        var large = costs.Where(c => c.LargeGrowth).ToArray();
        if (large.Length > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"**{large.Length} program(s) grew past it:**\n\n");
            foreach (var c in large)
                md.Append(CultureInfo.InvariantCulture,
                    $"- `{c.Program}` on {c.Run}: insns {c.InsnsA} → {c.InsnsB} ({Delta(c.InsnsDelta, c.InsnsPercent)}), peak states {c.PeakStatesA} → {c.PeakStatesB} ({Delta(c.PeakStatesDelta, c.PeakStatesPercent)})\n");
            md.Append('\n');
        }
        md.Append("| arch | program | insns base | insns patched | insns Δ | insns % | states base | states patched | states Δ | states % | large growth |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var c in costs)
            md.Append(CultureInfo.InvariantCulture,
                $"| {c.Run} | `{c.Program}` | {c.InsnsA} | {c.InsnsB} | {Signed(c.InsnsDelta)} | {Percent(c.InsnsPercent, c.InsnsDelta)} | {c.PeakStatesA} | {c.PeakStatesB} | {Signed(c.PeakStatesDelta)} | {Percent(c.PeakStatesPercent, c.PeakStatesDelta)} | {(c.LargeGrowth ? "**yes**" : "")} |\n");
        md.Append('\n');
    }

    public static void Write(IAnsiConsole console, RunResult run)
    {
        var costs = BaselineCosts.Compare(run, run.Inputs.CostGrowth);
        if (costs.Count == 0) return;
        var changed = costs.Count(c => c.InsnsDelta != 0 || c.PeakStatesDelta != 0);
        var large = costs.Where(c => c.LargeGrowth).ToArray();
        console.MarkupLine(Markup.Escape($"Verification cost (baseline → patched): {changed} of {costs.Count} program results changed; " +
                                         $"{large.Length} grew past {run.Inputs.CostGrowth}."));
        foreach (var c in large)
            console.MarkupLine("  [yellow]costlier[/] " + Markup.Escape($"{c.Program} on {c.Run}: insns {c.InsnsA} → {c.InsnsB} ({Delta(c.InsnsDelta, c.InsnsPercent)}), " +
                                                                    $"peak states {c.PeakStatesA} → {c.PeakStatesB}"));
    }

    private static string Delta(long delta, double? percent) => $"{Signed(delta)}, {Percent(percent, delta)}";

    internal static string Signed(long n) => n.ToString("+#;-#;0", CultureInfo.InvariantCulture);

    /// <summary>"+5.0%"; "new" when the base was 0 and the patched kernel is not.</summary>
    internal static string Percent(double? percent, long delta) =>
        percent is { } p ? p.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : delta == 0 ? "0.0%" : "new";
}
