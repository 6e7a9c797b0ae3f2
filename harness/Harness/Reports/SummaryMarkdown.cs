using System.Globalization;
using System.Text;
using Harness.Verdicts;

namespace Harness.Reports;

/// <summary>
/// summary.md, to paste into a review mail: the headline, counts per arch and kernel, what the series
/// changes (baseline → patched flips), what deviates and why, then every failure and error with expected
/// vs actual and the verifier log lines that show it.
/// </summary>
public static class SummaryMarkdown
{
    public static string Render(RunResult run)
    {
        var md = new StringBuilder();
        Headline(md, run);
        TreeSuiteChanges(md, run);
        Counts(md, run);
        SeriesInputSummary.AppendMarkdown(md, run.Inputs.SeriesInput);
        Changes(md, run);
        Deviations(md, run);
        Problems(md, run, OutcomeStatus.Fail, "Failures");
        Problems(md, run, OutcomeStatus.Error, "Errors");
        Problems(md, run, OutcomeStatus.Flaky, "Flaky (listed, not counted as failures)");
        Skipped(md, run);
        Unsupported(md, run);
        CostSummary.AppendMarkdown(md, run);
        Footer(md, run);
        return md.ToString();
    }

    private static void Headline(StringBuilder md, RunResult run)
    {
        var judged = Judged(run).Select(p => p.Program.Outcome.Status).ToArray();
        int N(OutcomeStatus s) => judged.Count(x => x == s);
        var errors = run.AllPrograms.Count(p => p.Program.Outcome.Status == OutcomeStatus.Error)
                     + run.Runs.Count(r => r.Error is not null && r.Programs.Count == 0);
        var verdict = RunExitCode.For(run) switch
        {
            0 when N(OutcomeStatus.Flaky) > 0 => $"all as expected, {N(OutcomeStatus.Flaky)} flaky",
            0 => "all as expected",
            Errors.ExitCodes.Interrupted => $"aborted during {run.AbortedDuring} (Ctrl-C or SIGTERM); only what finished is below",
            1 => Plural(N(OutcomeStatus.Fail), "mismatch", "mismatches"),
            _ => Plural(errors, "error", "errors") + (N(OutcomeStatus.Fail) > 0 ? $", {Plural(N(OutcomeStatus.Fail), "mismatch", "mismatches")}" : ""),
        };
        md.Append(CultureInfo.InvariantCulture, $"# Harness run {run.RunId}: {verdict}\n\n");
        var inputs = run.Inputs;
        md.Append(CultureInfo.InvariantCulture, $"Series `{inputs.Series}` ({Plural(inputs.Patches.Count, "patch", "patches")}) on `{inputs.Tree}`");
        if (inputs.TreeCommit.Length > 0) md.Append(CultureInfo.InvariantCulture, $" at `{Short(inputs.TreeCommit)}`");
        var arches = run.Runs.Select(r => r.Arch).Distinct().ToArray();
        md.Append(CultureInfo.InvariantCulture, $"; {Plural(arches.Length, "arch", "arches")}: {string.Join(", ", arches)}");
        if (inputs.Baseline.Length > 0) md.Append(CultureInfo.InvariantCulture, $"; baseline: {inputs.Baseline}");
        md.Append(".\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Patched kernels: {N(OutcomeStatus.Pass)} pass, {N(OutcomeStatus.KnownDeviation)} known-deviation, {N(OutcomeStatus.Fail)} fail, {N(OutcomeStatus.Error)} error, {N(OutcomeStatus.Unsupported)} unsupported, {N(OutcomeStatus.Skip)} skip{(N(OutcomeStatus.Flaky) > 0 ? $", {N(OutcomeStatus.Flaky)} flaky" : "")}.\n\n");
        if (Run.FileErrorResults.SummaryLine(run) is { } files) md.Append(files).Append(".\n\n");
    }

    /// <summary>The runs held to the expectations: the patched kernels (baselines only feed the diff).</summary>
    private static IEnumerable<(ArchRun Run, ProgramResult Program)> Judged(RunResult run) =>
        run.AllPrograms.Where(p => p.Run.Kernel == KernelRole.Patched);

    private static void Counts(StringBuilder md, RunResult run)
    {
        md.Append("| arch | kernel | release | pass | known-deviation | fail | error | unsupported | skip |\n");
        md.Append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in run.Runs)
            md.Append(CultureInfo.InvariantCulture,
                $"| {r.Arch} | {Kernel(r.Kernel)} | {Cell(r.KernelRelease)} | {r.Count(OutcomeStatus.Pass)} | {r.Count(OutcomeStatus.KnownDeviation)} | {r.Count(OutcomeStatus.Fail)} | {r.Count(OutcomeStatus.Error)} | {r.Count(OutcomeStatus.Unsupported)} | {r.Count(OutcomeStatus.Skip)} |\n");
        foreach (var r in run.Runs.Where(r => r.Target is not null))
            md.Append(CultureInfo.InvariantCulture, $"\n**{r.Name}** target: {r.Target}\n");
        foreach (var r in run.Runs.Where(r => r.Error is not null))
            md.Append(CultureInfo.InvariantCulture, $"\n**{r.Name} stopped:** {r.Error}\n");
        foreach (var r in run.Runs)
            foreach (var note in r.Notes)
                md.Append(CultureInfo.InvariantCulture, $"\n**{r.Name}:** {note}\n");
        if (run.Runs.Any(r => r.Kernel == KernelRole.Baseline))
            md.Append("\nBaseline kernels are not held to the expectations (they state the patched semantics): their verdicts are compared with the patched kernel's below.\n");
        md.Append('\n');
    }

    /// <summary>
    /// The reviewer's second question first: of the verdicts the tree's own suites gave on both kernels, how many the series
    /// changes ("the series changes N of the tree's M verdicts"), per suite.
    /// </summary>
    private static void TreeSuiteChanges(StringBuilder md, RunResult run)
    {
        if (TreeSuiteLine(run) is { } line) md.Append(line).Append("\n\n");
    }

    /// <summary>"The series changes N of the tree's M verdicts (...)", or null without a tree suite or a baseline.</summary>
    public static string? TreeSuiteLine(RunResult run)
    {
        if (!run.Runs.Any(r => r.Kernel == KernelRole.Baseline)) return null;
        var suites = run.AllPrograms.Where(p => p.Program.Expectation.Suite != "series").Select(p => p.Program.Expectation.Suite).Distinct().ToArray();
        if (suites.Length == 0) return null;
        var parts = new List<string>();
        foreach (var suite in suites)
        {
            // A verdict counts when both kernels of an arch gave one (accept or reject) for the row.
            var verdicts = run.AllPrograms
                .Where(p => p.Program.Expectation.Suite == suite && p.Program.Load is { Verdict: not LoadVerdict.Error })
                .GroupBy(p => (p.Run.Arch, p.Program.Key))
                .Where(g => g.Select(p => p.Run.Kernel).Distinct().Count() == 2)
                .Select(g => g.Key).ToHashSet();
            var changed = run.BaselineChanges.Count(c => verdicts.Contains((c.Arch, $"{c.Object}:{c.Program}")));
            var arches = verdicts.Select(v => v.Arch).Distinct().Count();
            parts.Add($"**The series changes {changed} of the tree's {verdicts.Count} verdicts** (suite `{suite}`, {Plural(arches, "arch", "arches")}" +
                      (changed > 0 ? "; listed under \"What the series changes\")" : ")"));
        }
        return string.Join("\n", parts);
    }

    private static void Changes(StringBuilder md, RunResult run)
    {
        if (!run.Runs.Any(r => r.Kernel == KernelRole.Baseline)) return;
        md.Append("## What the series changes (baseline → patched)\n\n");
        if (run.BaselineChanges.Count == 0)
        {
            md.Append("No verdict, errno or verifier message changed.\n\n");
            return;
        }
        md.Append("| arch | program | baseline | patched | verifier message (baseline → patched) |\n|---|---|---|---|---|\n");
        foreach (var c in run.BaselineChanges)
            md.Append(CultureInfo.InvariantCulture,
                $"| {c.Arch} | `{c.Object}:{c.Program}` | {Verdict(c.Baseline, c.BaselineErrno)} | {Verdict(c.Patched, c.PatchedErrno)} | {MessageChange(c)} |\n");
        md.Append('\n');
    }

    private static void Deviations(StringBuilder md, RunResult run)
    {
        var deviations = run.AllPrograms.Where(p => p.Program.Outcome.Status == OutcomeStatus.KnownDeviation)
            .GroupBy(p => (p.Program.Key, p.Program.Outcome.Reason, p.Program.Outcome.Expected, p.Program.Outcome.Actual))
            .ToArray();
        if (deviations.Length == 0) return;
        md.Append("## Known deviations\n\n");
        foreach (var g in deviations)
            md.Append(CultureInfo.InvariantCulture,
                $"- `{g.Key.Key}` on {string.Join(", ", g.Select(p => p.Run.Name))}: expected {VerdictComparer.Word(g.Key.Expected)}, got {Verdict(g.Key.Actual, null)}. {g.Key.Reason} ({g.First().Program.Outcome.OverlayLocation})\n");
        md.Append('\n');
    }

    private static void Problems(StringBuilder md, RunResult run, OutcomeStatus status, string title)
    {
        // Failures count on patched kernels only; errors on any kernel (the comparison is incomplete).
        var items = (status == OutcomeStatus.Fail ? Judged(run) : run.AllPrograms)
            .Where(p => p.Program.Outcome.Status == status).ToArray();
        if (items.Length == 0) return;
        md.Append(CultureInfo.InvariantCulture, $"## {title}\n\n");
        // One infrastructure cause that stopped a whole run is one section, not one per program.
        var notRun = items.Where(p => p.Program.Load is null).GroupBy(p => (p.Run, p.Program.Outcome.Reason)).Where(g => g.Count() > 1).ToArray();
        foreach (var g in notRun)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {g.Key.Run.Name}: {Plural(g.Count(), "program", "programs")} without a verdict\n\n");
            md.Append(CultureInfo.InvariantCulture, $"- reason: {g.Key.Reason}\n");
            md.Append(CultureInfo.InvariantCulture, $"- programs: {string.Join(", ", g.Select(p => $"`{p.Program.Key}`"))}\n\n");
        }
        foreach (var (r, p) in items.Except(notRun.SelectMany(g => g)))
            Problem(md, r, p);
    }

    private static void Problem(StringBuilder md, ArchRun r, ProgramResult p)
    {
        var o = p.Outcome;
        md.Append(CultureInfo.InvariantCulture, $"### `{p.Key}` on {r.Name}\n\n");
        if (p.Expectation.Description is { } d) md.Append(CultureInfo.InvariantCulture, $"{d}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- reason: {o.Reason}\n");
        md.Append(CultureInfo.InvariantCulture, $"- expected: {VerdictComparer.Word(o.Expected)}");
        if (o.ExpectedMessages.Count > 0) md.Append(", messages in order: ").Append(string.Join(", ", o.ExpectedMessages.Select(m => $"`{m}`")));
        md.Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"- actual: {(p.Load is null ? "(no result)" : VerdictComparer.Describe(p.Load))}\n");
        foreach (var m in o.MissingMessages) md.Append(CultureInfo.InvariantCulture, $"- missing: {m}\n");
        foreach (var m in o.UnexpectedMessages) md.Append(CultureInfo.InvariantCulture, $"- unwanted: `{m}`\n");
        for (var i = 0; i < o.Attempts.Count; i++) md.Append(CultureInfo.InvariantCulture, $"- attempt {i + 1}: {o.Attempts[i]}\n");
        if (o.RelevantLogLines.Count > 0)
        {
            md.Append("\n```\n");
            foreach (var line in o.RelevantLogLines) md.Append(line).Append('\n');
            md.Append("```\n");
        }
        md.Append('\n');
    }

    private static void Skipped(StringBuilder md, RunResult run)
    {
        var skipped = run.AllPrograms.Where(p => p.Program.Outcome.Status == OutcomeStatus.Skip)
            .GroupBy(p => (p.Program.Key, p.Program.Outcome.Reason)).ToArray();
        if (skipped.Length == 0) return;
        md.Append("## Skipped\n\n");
        foreach (var g in skipped)
            md.Append(CultureInfo.InvariantCulture, $"- `{g.Key.Key}` on {string.Join(", ", g.Select(p => p.Run.Name))}: {g.Key.Reason}\n");
        md.Append('\n');
    }

    /// <summary>Loads refused before the verifier ran, grouped by reason (a tree suite can have many of one kind).</summary>
    private static void Unsupported(StringBuilder md, RunResult run)
    {
        var groups = run.AllPrograms.Where(p => p.Program.Outcome.Status == OutcomeStatus.Unsupported)
            .GroupBy(p => (p.Run.Name, p.Program.Outcome.Reason)).OrderByDescending(g => g.Count()).ToArray();
        if (groups.Length == 0) return;
        md.Append("## Unsupported (the kernel refused the load before its verifier ran; not counted as pass or fail)\n\n");
        foreach (var g in groups)
        {
            var keys = g.Select(p => $"`{p.Program.Key}`").ToArray();
            md.Append(CultureInfo.InvariantCulture,
                $"- {g.Key.Name}, {Plural(keys.Length, "program", "programs")}: {g.Key.Reason}: {string.Join(", ", keys.Take(5))}{(keys.Length > 5 ? ", ..." : "")}\n");
        }
        md.Append('\n');
    }

    private static void Footer(StringBuilder md, RunResult run)
    {
        md.Append("---\n");
        var tools = string.Join(", ", run.Versions.Tools.Select(t => $"{t.Name} {t.Version}"));
        md.Append(CultureInfo.InvariantCulture, $"harness {Short(run.Versions.HarnessGitSha)}");
        if (tools.Length > 0) md.Append("; ").Append(tools);
        md.Append(CultureInfo.InvariantCulture, $"; {(run.FinishedAt - run.StartedAt).TotalSeconds:0} s.");
        if (run.Reproduce.Length > 0) md.Append(CultureInfo.InvariantCulture, $" Reproduce: `{run.Reproduce}`");
        md.Append('\n');
    }

    private static string MessageChange(VerdictChange c) =>
        c.BaselineMessage == c.PatchedMessage ? Cell(c.PatchedMessage ?? "") : $"{Cell(c.BaselineMessage ?? "—")} → {Cell(c.PatchedMessage ?? "—")}";

    private static string Verdict(LoadVerdict? v, int? errno) => v switch
    {
        null => "(none)",
        LoadVerdict.Accept => "accept",
        LoadVerdict.Reject => errno is > 0 ? $"reject ({errno})" : "reject",
        LoadVerdict.Oops => "oops",
        _ => "error",
    };

    private static string Kernel(KernelRole k) => k.ToString().ToLowerInvariant();
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
    private static string Plural(int n, string one, string many) => Words.Count(n, one, many);
}
