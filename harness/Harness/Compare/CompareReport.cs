using System.Text;
using Harness.Verdicts;
using Spectre.Console;

namespace Harness.Compare;

/// <summary>compare.md and the terminal table of a <see cref="RunComparison"/>.</summary>
public static class CompareReport
{
    public const string MarkdownFile = "compare.md";

    private static readonly (ChangeCategory Category, string Title)[] Sections =
    [
        (ChangeCategory.NewFailure, "New failures"),
        (ChangeCategory.NewError, "New errors"),
        (ChangeCategory.VerdictFlip, "Verdict flips"),
        (ChangeCategory.Fixed, "Fixed"),
        (ChangeCategory.Missing, "In A, missing from B"),
    ];

    public static string Markdown(RunComparison c)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {c.RunA} → {c.RunB}").AppendLine();
        md.AppendLine(c.HasRegressions ? $"**{c.Changes.Count(x => x.Regression)} regression(s) in B.**" : "No regressions in B.").AppendLine();
        foreach (var missing in c.MissingRuns)
            md.AppendLine($"- **not compared:** {missing}" + (missing.EndsWith(RunComparison.OnlyInA, StringComparison.Ordinal) ? " (missing from B: counts as a regression)" : "")).AppendLine();
        foreach (var (category, title) in Sections)
        {
            var rows = c.Of(category).ToArray();
            md.AppendLine($"## {title} ({rows.Length})").AppendLine();
            if (rows.Length == 0) continue;
            md.AppendLine("| run | program | A | B | regression | why (B) |").AppendLine("|---|---|---|---|---|---|");
            foreach (var r in rows)
                md.AppendLine($"| {r.Run} | `{r.Program}` | {Side(r.StatusA, r.VerdictA)} | {Side(r.StatusB, r.VerdictB)} | {(r.Regression ? "yes" : "")} | {Cell(r.Reason)} |");
            md.AppendLine();
        }
        md.AppendLine("## Stage times (uncached stages in both runs)").AppendLine();
        if (c.StageTimes.Count > 0)
        {
            md.AppendLine("| run | stage | A (s) | B (s) | Δ (s) | slower |").AppendLine("|---|---|---|---|---|---|");
            foreach (var s in c.StageTimes)
                md.AppendLine($"| {s.Run} | {s.Stage} | {s.SecondsA:F1} | {s.SecondsB:F1} | {s.Delta:+0.0;-0.0;0} | {(s.Regression ? "**yes**" : "")} |");
            md.AppendLine();
        }
        md.AppendLine("## Verification cost (programs whose insns processed or peak states changed)").AppendLine();
        if (c.Costs.Count > 0)
        {
            md.AppendLine("| run | program | insns A | insns B | Δ insns | peak states A | peak states B | Δ states | large growth |")
                .AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var x in c.Costs)
                md.AppendLine($"| {x.Run} | `{x.Program}` | {x.InsnsA} | {x.InsnsB} | {x.InsnsDelta:+#;-#;0} | {x.PeakStatesA} | {x.PeakStatesB} | {x.PeakStatesDelta:+#;-#;0} | {(x.LargeGrowth ? "**yes**" : "")} |");
            md.AppendLine();
        }
        return md.ToString();
    }

    public static void Write(IAnsiConsole console, RunComparison c)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(c.RunA)} → {Markup.Escape(c.RunB)}[/]")
            .AddColumn("change").AddColumn("run").AddColumn("program").AddColumn("A").AddColumn("B").AddColumn("why (B)");
        foreach (var (category, title) in Sections)
            foreach (var r in c.Of(category))
                table.AddRow((r.Regression ? "[red]" : "[green]") + Markup.Escape(title) + "[/]", Markup.Escape(r.Run), Markup.Escape(r.Program),
                    Markup.Escape(Side(r.StatusA, r.VerdictA)), Markup.Escape(Side(r.StatusB, r.VerdictB)), Markup.Escape(Shorten(r.Reason)));
        foreach (var s in c.StageTimes.Where(s => s.Regression))
            table.AddRow("[yellow]slower stage[/]", Markup.Escape(s.Run), Markup.Escape(s.Stage), $"{s.SecondsA:F1} s", $"{s.SecondsB:F1} s", "");
        foreach (var x in c.Costs.Where(x => x.LargeGrowth))
            table.AddRow("[yellow]costlier[/]", Markup.Escape(x.Run), Markup.Escape(x.Program), $"{x.InsnsA} insns, {x.PeakStatesA} states",
                $"{x.InsnsB} insns, {x.PeakStatesB} states", "");
        table.Caption($"{c.Changes.Count(x => x.Regression)} regression(s); {c.Costs.Count} program(s) changed verification cost (see {MarkdownFile})");
        console.Write(table);
    }

    private static string Side(OutcomeStatus? status, LoadVerdict? verdict) =>
        status is null ? "(absent)" : $"{status.Value.ToString().ToLowerInvariant()}{(verdict is null ? "" : $" ({verdict.Value.ToString().ToLowerInvariant()})")}";

    private static string Cell(string text) => Shorten(text).Replace("|", "\\|").Replace("\n", " ");

    private static string Shorten(string s) => s.Length <= 100 ? s : s[..97] + "...";
}
