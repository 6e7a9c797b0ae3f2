using Harness.Verdicts;
using Spectre.Console;

namespace Harness.Reports;

/// <summary>
/// The end-of-run table per arch and kernel on the terminal: every program that is not a plain pass
/// (those are counted), then the totals and where the reports are.
/// </summary>
public static class ConsoleSummary
{
    public static void Write(IAnsiConsole console, RunResult run, string? reportDirectory = null)
    {
        foreach (var r in run.Runs)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{Markup.Escape(r.Name)}[/] {Markup.Escape(r.KernelRelease)}"
                       + (r.Target is null ? "" : $" on target: {Markup.Escape(r.Target)}")
                       + (r.Kernel == KernelRole.Baseline ? " [dim](baseline: not held to the expectations)[/]" : ""))
                .AddColumn("program").AddColumn("status").AddColumn("expected").AddColumn("actual")
                .AddColumn(new TableColumn("insns").RightAligned()).AddColumn("why");
            foreach (var p in r.Programs.Where(p => p.Outcome.Status != OutcomeStatus.Pass))
                table.AddRow(
                    Markup.Escape(p.Key), Status(p.Outcome.Status), VerdictComparer.Word(p.Outcome.Expected),
                    Markup.Escape(p.Load is null ? "-" : p.Load.Verdict.ToString().ToLowerInvariant()),
                    p.Load?.InsnsProcessed.ToString() ?? "-", Markup.Escape(Shorten(p.Outcome.Reason)));
            var passes = r.Count(OutcomeStatus.Pass);
            if (passes > 0) table.AddRow($"[dim]{passes} more[/]", Status(OutcomeStatus.Pass), "", "", "", "");
            if (r.Error is not null) table.Caption($"[red]stopped: {Markup.Escape(r.Error)}[/]");
            console.Write(table);
        }
        var statuses = run.AllPrograms.Where(p => p.Run.Kernel == KernelRole.Patched).Select(p => p.Program.Outcome.Status).ToArray();
        console.MarkupLine("Patched kernels: " + string.Join(", ", Enum.GetValues<OutcomeStatus>().Select(s => $"{statuses.Count(x => x == s)} {Status(s)}")));
        if (Run.FileErrorResults.SummaryLine(run) is { } fileLine) console.MarkupLine("[red]" + Markup.Escape(fileLine) + "[/]");
        if (SummaryMarkdown.TreeSuiteLine(run) is { } treeLine) console.MarkupLine(Markup.Escape(treeLine.Replace("**", "")));
        if (run.BaselineChanges.Count > 0)
            console.MarkupLine($"The series changes {run.BaselineChanges.Count} result(s) relative to the baseline (see summary.md).");
        SeriesInputSummary.Write(console, run.Inputs.SeriesInput);
        CostSummary.Write(console, run);
        if (reportDirectory is not null)
            console.MarkupLine($"Reports: [link]{Markup.Escape(reportDirectory)}[/] (summary.md, junit.xml, results.json)");
    }

    private static string Status(OutcomeStatus s) => s switch
    {
        OutcomeStatus.Pass => "[green]pass[/]",
        OutcomeStatus.KnownDeviation => "[yellow]known-deviation[/]",
        OutcomeStatus.Fail => "[red bold]fail[/]",
        OutcomeStatus.Error => "[red]error[/]",
        OutcomeStatus.Flaky => "[yellow]flaky[/]",
        OutcomeStatus.Unsupported => "[grey]unsupported[/]",
        _ => "[grey]skip[/]",
    };

    private static string Shorten(string s) => s.Length <= 90 ? s : s[..87] + "...";
}
