using System.Text;
using Harness.Compare;

namespace Harness.History;

/// <summary>The "compared with the previous run" section a run's summary.md ends with.</summary>
public static class HistoryMarkdown
{
    public static string Section(HistoryComparison h, RunHistory history)
    {
        var md = new StringBuilder("\n## Compared with the previous run\n\n");
        if (h.PreviousRunId is null || h.Comparison is not { } c)
            return md.Append($"First run of `{h.Cell}` in {history.Directory}: nothing to compare with.\n").ToString();
        md.Append($"Previous run of `{h.Cell}`: `{h.PreviousRunId}` ({history.EntryFile(h.Cell, h.PreviousRunId)}). Details: {CompareReport.MarkdownFile}.\n\n");
        md.Append(h.Regressions.Count > 0 ? $"**{h.Regressions.Count} new regression(s):**\n" : "No new regressions.\n");
        foreach (var line in h.Regressions) md.Append($"- {line}\n");
        md.Append('\n');
        md.Append($"| new failures | fixed | new errors | verdict flips | missing | slower stages | costlier programs |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        md.Append($"| {c.Of(ChangeCategory.NewFailure).Count()} | {c.Of(ChangeCategory.Fixed).Count()} | {c.Of(ChangeCategory.NewError).Count()} "
                  + $"| {c.Of(ChangeCategory.VerdictFlip).Count()} | {c.Of(ChangeCategory.Missing).Count()} | {c.StageTimes.Count(s => s.Regression)} "
                  + $"| {c.Costs.Count(x => x.LargeGrowth)} |\n");
        foreach (var fix in c.Of(ChangeCategory.Fixed)) md.Append($"- fixed: {Line(fix)}\n");
        foreach (var s in c.StageTimes.Where(s => s.Regression)) md.Append($"- slower: {s.Run} {s.Stage}: {s.SecondsA:F1} s → {s.SecondsB:F1} s\n");
        foreach (var x in c.Costs.Where(x => x.LargeGrowth))
            md.Append($"- costlier: {x.Run} `{x.Program}`: {x.InsnsA} → {x.InsnsB} insns, {x.PeakStatesA} → {x.PeakStatesB} peak states\n");
        return md.ToString();
    }

    /// <summary>One change as a line: "x86_64 patched `async_return.bpf.o:ret_one_async`: new failure (known-deviation → fail)".</summary>
    public static string Line(ProgramChange c)
    {
        var kind = c.Category switch
        {
            ChangeCategory.NewFailure => "new failure",
            ChangeCategory.NewError => "new error",
            ChangeCategory.VerdictFlip => "verdict flip",
            ChangeCategory.Fixed => "fixed",
            _ => "missing",
        };
        static string Side(Verdicts.OutcomeStatus? s, Verdicts.LoadVerdict? v) =>
            s is null ? "absent" : $"{Kebab(s.Value.ToString())}{(v is null ? "" : $"/{v.Value.ToString().ToLowerInvariant()}")}";
        var why = c.Reason.Length == 0 ? "" : $": {c.Reason.Split('\n')[0]}";
        return $"{c.Run} `{c.Program}`: {kind} ({Side(c.StatusA, c.VerdictA)} → {Side(c.StatusB, c.VerdictB)}){why}";
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
