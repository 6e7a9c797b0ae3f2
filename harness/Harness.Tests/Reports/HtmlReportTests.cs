using System.Text.RegularExpressions;
using Harness.Errors;
using Harness.Reports;
using Harness.Reports.Html;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Reports;

public class HtmlReportTests
{
    private static string Render(params RunResult[] runs) =>
        HtmlReport.Render(runs.Select((r, i) => new ReportCell(i == 0 ? "nightly" : $"cell{i}", r)).ToArray());

    /// <summary>The sample run with the first failing x86_64 patched program's log replaced by <paramref name="log"/>.</summary>
    private static (RunResult Run, ProgramResult Program) WithFailureLog(string log)
    {
        var run = SampleRun.Build();
        var patched = run.Runs.Single(r => r.Arch == "x86_64" && r.Kernel == KernelRole.Patched);
        var victim = patched.Programs.First(p => p.Load is not null && p.Outcome.Status == OutcomeStatus.Pass);
        var failed = victim with
        {
            Outcome = victim.Outcome with { Status = OutcomeStatus.Fail, Reason = "expected <accept> & got reject" },
            Load = victim.Load! with { Log = log },
        };
        var programs = patched.Programs.Select(p => p == victim ? failed : p).ToArray();
        var runs = run.Runs.Select(r => r == patched ? r with { Programs = programs } : r).ToArray();
        return (run with { Runs = runs }, failed);
    }

    [Test]
    public void A_verifier_log_with_a_script_tag_stays_text()
    {
        var (run, _) = WithFailureLog("0: R1=ctx() <script>alert('x')</script>\nR2 & R3 > 0 < 1\n");

        var page = Render(run);

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Not.Contain("<script").IgnoreCase);
            Assert.That(page, Does.Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
            Assert.That(page, Does.Contain("R2 &amp; R3 &gt; 0 &lt; 1"));
            Assert.That(page, Does.Contain("expected &lt;accept&gt; &amp; got reject"));
        });
    }

    [Test]
    public void A_cell_name_and_run_id_with_markup_are_escaped()
    {
        var run = SampleRun.Build() with { RunId = "<b>id</b>" };

        var page = HtmlReport.Render([new ReportCell("a<i>b\"c", run)]);

        Assert.That(page, Does.Not.Contain("<b>id").And.Not.Contain("a<i>b"));
        Assert.That(page, Does.Contain("&lt;b&gt;id&lt;/b&gt;").And.Contain("a&lt;i&gt;b&quot;c"));
    }

    [Test]
    public void The_matrix_counts_are_the_runs_counts_for_every_cell_arch_and_kernel()
    {
        var first = SampleRun.Build();
        var (second, _) = WithFailureLog("log\n");

        var page = Render(first, second);

        foreach (var (cell, run) in new[] { ("nightly", first), ("cell1", second) })
            foreach (var r in run.Runs)
            {
                var box = Regex.Match(page, $"<td class=\"m [a-z]+\" id=\"m-run-{cell}-{r.Arch.Replace('_', '-')}-{r.Kernel.ToString().ToLowerInvariant()}\">(.*?)</td>");
                Assert.That(box.Success, $"no matrix box for {cell} {r.Name}");
                var shown = Regex.Matches(box.Groups[1].Value, "data-status=\"([a-z-]+)\">(\\d+)<")
                    .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
                foreach (var s in Enum.GetValues<OutcomeStatus>())
                    Assert.That(shown[Css(s)], Is.EqualTo(r.Count(s)), $"{cell} {r.Name} {s}");
            }
        Assert.That(first.Runs.Sum(r => r.Count(OutcomeStatus.Fail)), Is.Not.EqualTo(second.Runs.Sum(r => r.Count(OutcomeStatus.Fail))),
            "the two cells must differ, or the test could not tell them apart");
    }

    [TestCase(new OutcomeStatus[0], "pass")]
    [TestCase(new[] { OutcomeStatus.Fail }, "fail")]
    [TestCase(new[] { OutcomeStatus.Fail, OutcomeStatus.Error }, "error")]
    public void A_patched_kernel_is_coloured_by_its_worst_outcome_and_a_baseline_is_grey(OutcomeStatus[] problems, string colour)
    {
        var run = SampleRun.Build();
        var patched = run.Runs.Single(r => r.Arch == "x86_64" && r.Kernel == KernelRole.Patched);
        // Keep the programs that pass, plus one program of each status asked for.
        var template = patched.Programs.First(p => p.Outcome.Status == OutcomeStatus.Pass);
        var programs = patched.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Pass)
            .Concat(problems.Select(s => template with { Outcome = template.Outcome with { Status = s } })).ToArray();
        run = run with { Runs = run.Runs.Select(r => r == patched ? r with { Programs = programs } : r).ToArray() };

        var page = Render(run);

        Assert.That(page, Does.Contain($"<td class=\"m {colour}\" id=\"m-run-nightly-x86-64-patched\">"));
        Assert.That(page, Does.Contain("<td class=\"m error\" id=\"m-run-nightly-arm64-patched\">"), "arm64 never booted");
        Assert.That(page, Does.Contain("<td class=\"m informational\" id=\"m-run-nightly-x86-64-baseline\">"));
    }

    [Test]
    public void Every_failure_and_error_carries_its_verifier_log_in_a_details_element()
    {
        var (run, failed) = WithFailureLog("first line of the log\nsecond <line>\n");

        var page = Render(run);

        var problems = run.AllPrograms.Where(p => p.Program.Outcome.Status is OutcomeStatus.Fail or OutcomeStatus.Error).ToArray();
        Assert.That(problems, Has.Length.GreaterThan(1));
        foreach (var (r, p) in problems)
        {
            var id = $"p-nightly-{r.Arch}-{r.Kernel}-{p.Key}".ToLowerInvariant().Replace('_', '-').Replace('.', '-').Replace(':', '-');
            var row = Regex.Match(page, $"<tr class=\"st-[a-z-]+\" id=\"{id}\">.*?</tr>\n<tr class=\"log st-[a-z-]+\"><td colspan=\"7\"><details class=\"verifier-log\">(.*?)</details>", RegexOptions.Singleline);
            Assert.That(row.Success, $"no log row after {r.Name} {p.Key}");
            foreach (var line in VerifierLog.Lines(p.Load?.Log ?? ""))
                Assert.That(row.Groups[1].Value, Does.Contain(System.Net.WebUtility.HtmlEncode(line.Text).Replace("&#39;", "'")), $"{r.Name} {p.Key}");
        }
        Assert.That(page, Does.Contain("second &lt;line&gt;"));
        Assert.That(problems.Select(p => p.Program), Does.Contain(failed), "the failure the test made is among those checked");
    }

    [Test]
    public void A_huge_log_keeps_its_head_its_tail_and_the_lines_the_judgement_points_at()
    {
        var log = string.Concat(Enumerable.Range(1, 10_000).Select(n => $"insn {n}\n"));
        var (run, failed) = WithFailureLog(log);
        var marked = failed with { Outcome = failed.Outcome with { RelevantLogLines = [new LogLine(5000, "insn 5000")] } };
        run = run with { Runs = run.Runs.Select(r => r with { Programs = r.Programs.Select(p => p == failed ? marked : p).ToArray() }).ToArray() };

        var page = Render(run);

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("    1 | insn 1\n").And.Contain("  500 | insn 500\n"));
            Assert.That(page, Does.Not.Contain("| insn 501\n").And.Not.Contain("| insn 4979\n").And.Not.Contain("| insn 8500\n"));
            Assert.That(page, Does.Contain("<span class=\"hit\"> 5000 | insn 5000</span>").And.Contain(" 4980 | insn 4980\n"));
            Assert.That(page, Does.Contain("| insn 8501\n").And.Contain("10000 | insn 10000\n"));
            Assert.That(page, Does.Contain($"… 4479 lines omitted (the whole log: logs/x86_64-patched/{failed.Expectation.Object}.{failed.Expectation.Program}.log in the run directory) …"));
        });
    }

    [Test]
    public void Passing_programs_carry_no_log()
    {
        var run = SampleRun.Build();

        var page = Render(run);

        var logs = Regex.Matches(page, "<details class=\"verifier-log\">").Count;
        Assert.That(logs, Is.EqualTo(run.AllPrograms.Count(p => p.Program.Outcome.Status is OutcomeStatus.Fail or OutcomeStatus.Error)));
    }

    [Test]
    public void The_page_loads_nothing_from_anywhere()
    {
        var page = Render(SampleRun.Build(), SampleRun.Build() with { RunId = "other" });

        var references = Regex.Matches(page, "\\b(?:src|href|xlink:href|action|srcset)\\s*=\\s*[\"']?([^\"' >]*)", RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(references, Is.Not.Empty, "the page links its cells in-page");
            Assert.That(references, Has.All.StartsWith("#"));
            Assert.That(page, Does.Not.Contain("http://").And.Not.Contain("https://"));
            Assert.That(page, Does.Not.Contain("url(").And.Not.Contain("@import").And.Not.Contain("<link").And.Not.Contain("<script"));
        });
    }

    [Test]
    public void Cell_names_must_be_unique()
    {
        var run = SampleRun.Build();

        var e = Assert.Throws<ArgumentException>(() => HtmlReport.Render([new ReportCell("a", run), new ReportCell("a", run)]));

        Assert.That(e!.Message, Does.Contain("cell names must be unique: a, a"));
    }

    [Test]
    public void History_is_read_oldest_first_and_the_trend_has_one_point_per_run()
    {
        using var history = new TempDirectory();
        var start = new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);
        // File names in another order than the start times: the start time decides.
        var runs = new[] { ("c", 2), ("a", 0), ("b", 1) }
            .Select(x => (File: x.Item1, Run: SampleRun.Build() with { RunId = $"night-{x.Item2}", StartedAt = start.AddDays(x.Item2), FinishedAt = start.AddDays(x.Item2).AddMinutes(3) }))
            .ToArray();
        foreach (var (file, run) in runs) history.Write($"nightly/{file}.json", ResultsJson.Serialize(run));
        history.Write("other/x.json", ResultsJson.Serialize(SampleRun.Build() with { RunId = "other-0" }));
        var current = SampleRun.Build() with { RunId = "night-3", StartedAt = start.AddDays(3), FinishedAt = start.AddDays(3).AddMinutes(3) };

        var points = HistoryReader.Read(history.Path, ["nightly"]);
        var page = HtmlReport.Render([new ReportCell("nightly", current)], points);

        Assert.That(points.Select(p => p.RunId), Is.EqualTo(new[] { "night-0", "night-1", "night-2" }));
        var chart = Regex.Match(page, "<svg class=\"outcomes\" id=\"trend-nightly\".*?</svg>", RegexOptions.Singleline).Value;
        var lines = Regex.Matches(chart, "<polyline class=\"series\" data-status=\"([a-z-]+)\"[^>]*points=\"([^\"]*)\"");
        Assert.That(lines, Has.Count.EqualTo(5));
        foreach (Match line in lines)
        {
            var xs = line.Groups[2].Value.Split(' ').Select(p => double.Parse(p.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.That(xs, Has.Length.EqualTo(4), $"{line.Groups[1].Value}: three history runs and the current one");
            Assert.That(xs, Is.Ordered.Ascending);
        }
        var bars = Regex.Matches(page, "<g class=\"bar\" data-run=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
        Assert.That(bars, Is.EqualTo(new[] { "night-0", "night-1", "night-2", "night-3" }));
        Assert.That(page, Does.Not.Contain("other-0"));
    }

    [Test]
    public void A_history_point_counts_the_patched_kernels_and_sums_stage_times()
    {
        var run = SampleRun.Build();

        var point = HistoryPoint.From("nightly", run);

        var patched = run.Runs.Where(r => r.Kernel == KernelRole.Patched).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(point.Pass, Is.EqualTo(patched.Sum(r => r.Count(OutcomeStatus.Pass))));
            Assert.That(point.Fail, Is.EqualTo(patched.Sum(r => r.Count(OutcomeStatus.Fail))));
            Assert.That(point.Error, Is.EqualTo(patched.Sum(r => r.Count(OutcomeStatus.Error))));
            Assert.That(point.Stages.Select(s => s.Stage), Is.EqualTo(new[] { "build", "boot", "load" }));
            Assert.That(point.Stages[0].Seconds, Is.EqualTo(13.2 + 13.0 + 301.5).Within(1e-9));
            Assert.That(point.WallSeconds, Is.EqualTo(412));
        });
    }

    [Test]
    public void A_history_file_that_is_not_a_results_json_is_named_with_the_fix()
    {
        using var history = new TempDirectory();
        var file = history.Write("nightly/broken.json", "{ not json");

        var e = Assert.Throws<BadInputException>(() => HistoryReader.Read(history.Path));

        Assert.That(e!.Message, Does.StartWith($"{file}: not a harness results.json").And.EndWith("Remove it from the history directory or replace it with the results.json of that run."));
    }

    [Test]
    public void Without_history_the_page_says_so_and_draws_no_chart()
    {
        var page = Render(SampleRun.Build());

        Assert.That(page, Does.Contain("No history given"));
        Assert.That(page, Does.Not.Contain("<svg"));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_plain_run_writes_report_html_beside_summary_md(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();

        var dir = await ReportWriter.WriteAsync(SampleRun.Build(), output.Path, cancellationToken);

        var page = await File.ReadAllTextAsync(Path.Combine(dir, HtmlReport.FileName), cancellationToken);
        Assert.That(page, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(page, Does.Contain("<table class=\"matrix\">").And.Contain("20250518-142301"));
    }

    [Test]
    public void A_matrix_cell_that_stopped_before_any_result_is_a_row_that_says_why()
    {
        var page = HtmlReport.Render([new ReportCell("nightly", SampleRun.Build()), new ReportCell("next-tree", null, "0002 does not apply: <hunk 3>")]);

        var row = Regex.Match(page, "<tr><th><a href=\"#cell-next-tree\">next-tree</a></th>.*?</tr>").Value;
        Assert.That(row, Does.Contain("stopped: 0002 does not apply: &lt;hunk 3&gt;"));
        Assert.That(Regex.Matches(row, "<td class=\"m none\">").Count, Is.EqualTo(SampleRun.Build().Runs.Count));
        Assert.That(page, Does.Contain("<section class=\"cell\" id=\"cell-next-tree\">"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Harness_report_renders_every_cell_of_a_matrix_directory_with_its_history(CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var sample = SampleRun.Build();
        work.Write("m/cells/b-cell/results.json", ResultsJson.Serialize(sample));
        work.Write("m/cells/a-cell/results.json", ResultsJson.Serialize(sample with { RunId = "other" }));
        work.Write("m/matrix.json", "{}");
        work.Write("history/a-cell/earlier.json", ResultsJson.Serialize(sample with { RunId = "earlier", StartedAt = sample.StartedAt.AddDays(-1) }));

        var exitCode = await Harness.Cli.Program.Main(["report", work.Combine("m"), "--history", work.Combine("history"), "--output", work.Combine("out", "m.html")]);

        var page = await File.ReadAllTextAsync(work.Combine("out", "m.html"), cancellationToken);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(Regex.Matches(page, "<tr><th><a href=\"#cell-([a-z-]+)\"").Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "a-cell", "b-cell" }));
        Assert.That(Regex.Matches(page, "<g class=\"bar\" data-run=\"([^\"]+)\"").Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "earlier", "other" }));
    }

    [TestCase("x=results.json", "y=results.json", 0)]
    [TestCase("x=results.json", "x=results.json", ExitCodes.BadInput)]
    [TestCase("x=missing", "y=results.json", ExitCodes.BadInput)]
    [CancelAfter(20_000)]
    public async Task Harness_report_names_its_cells_apart_and_rejects_a_missing_run(string first, string second, int expected, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        work.Write("results.json", ResultsJson.Serialize(SampleRun.Build()));
        string Arg(string a) => a.Replace("=", "=" + work.Path + "/");

        var exitCode = await Harness.Cli.Program.Main(["report", Arg(first), Arg(second), "--output", work.Combine("r.html")]);

        Assert.That(exitCode, Is.EqualTo(expected));
        Assert.That(File.Exists(work.Combine("r.html")), Is.EqualTo(expected == 0));
    }

    private static string Css(OutcomeStatus s) => s == OutcomeStatus.KnownDeviation ? "known-deviation" : s.ToString().ToLowerInvariant();
}
