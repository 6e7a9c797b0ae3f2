using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Compare;
using Harness.Patches;
using Harness.Patches.Inputs;
using Harness.Reports;
using Harness.Reports.Html;
using Harness.Tests.Compare;
using NUnit.Framework;

namespace Harness.Tests.Reports;

/// <summary>report.html's Series section and its baseline → patched verification-cost table.</summary>
public class HtmlReportSeriesAndCostTests
{
    private const string First = "0001-bpf-prereq.patch";
    private const string Second = "0002-bpf-async.patch";

    /// <summary>BaselineCostsTests' sample (x86_64 baseline + patched) given as an mbox whose second patch applied with an offset.</summary>
    private static RunResult MboxRun(CostThresholds? thresholds = null)
    {
        var input = new SeriesInput(SeriesInputKind.Mbox, "/home/me/series.mbox", "ab12", "/results/r/series/series",
        [
            new SeriesInputPatch(First, "[PATCH 1/2] bpf: prereq", 1, 2, 2, 40, []),
            new SeriesInputPatch(Second, "[PATCH 2/2] bpf: <script>alert(1)</script> & __async", 2, 2, 3, 210, []),
        ], ["message 1 is a cover letter"]);
        var applied = new AppliedVariant(AppliedVariant.Patched, "c0ffee", "7ree",
        [
            new PatchOutcome(First, PatchApplication.Clean, "c0ffee", [], false),
            new PatchOutcome(Second, PatchApplication.Offset, "c0ffee", [new HunkOffset("kernel/bpf/verifier.c", 2, 12000, 10)], false),
        ]);
        var run = BaselineCostsTests.Sample();
        return run with
        {
            Inputs = run.Inputs with
            {
                SeriesInput = SeriesInputReport.For(input, input.Directory, applied),
                CostGrowth = thresholds ?? CostThresholds.Default,
            },
        };
    }

    private static string Render(RunResult run) => HtmlReport.Render([new ReportCell("run", run)]);

    /// <summary>The cost rows of the page in document order: (program, the cells after it, flagged).</summary>
    private static (string Program, string[] Cells, bool Flagged)[] CostRows(string page) =>
        Regex.Matches(page, "<tr( class=\"grew\")?><td><code>([^<]*)</code></td>((?:<td[^>]*>.*?</td>)+)</tr>")
            .Select(m => (System.Net.WebUtility.HtmlDecode(m.Groups[2].Value),
                Regex.Matches(m.Groups[3].Value, "<td[^>]*>(.*?)</td>").Select(c => c.Groups[1].Value).ToArray(), m.Groups[1].Success))
            .ToArray();

    [Test]
    public void The_series_section_says_where_each_patch_came_from_and_how_it_applied()
    {
        var page = Render(MboxRun());

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("<h3>Series</h3>\n<p>mbox /home/me/series.mbox split into 2 patch(es) under /results/r/series/series.</p>"));
            Assert.That(page, Does.Contain("note: message 1 is a cover letter"));
            Assert.That(page, Does.Contain($"<td><code>{First}</code></td><td>[PATCH 1/2] bpf: prereq</td><td>mbox message 2</td><td>clean</td>"));
            Assert.That(page, Does.Contain($"<td>mbox message 3</td><td>offsets: kernel/bpf/verifier.c hunk #2 +10</td>"));
        });
    }

    [Test]
    public void A_subject_with_markup_stays_text()
    {
        var page = Render(MboxRun());

        Assert.That(page, Does.Not.Contain("<script"));
        Assert.That(page, Does.Contain("<td>[PATCH 2/2] bpf: &lt;script&gt;alert(1)&lt;/script&gt; &amp; __async</td>"));
    }

    [Test]
    public void An_imported_archive_copy_lists_how_each_hunk_was_placed()
    {
        var input = new SeriesInput(SeriesInputKind.ArchiveCopy, "/home/me/rfc.txt", "ab12", "/results/r/series/rfc",
            [new SeriesInputPatch(First, "[PATCH RFC 3/8] bpf: x", 3, 8, 4, 1,
                [new global::Harness.Patches.Import.HunkReport("kernel/bpf/verifier.c", 3, "@@ -1 +1 @@", "@@ -575 +575 @@", 575, 574, [], [], true)])], []);
        var run = BaselineCostsTests.Sample();
        run = run with { Inputs = run.Inputs with { SeriesInput = SeriesInputReport.For(input, input.Directory, null) } };

        var page = Render(run);

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("<td>imported web-archive copy, message 4</td><td>imported (1 hunk re-placed, 1 with offsets (+574..+574), 1 re-indented), then not applied"));
            Assert.That(page, Does.Contain("<details class=\"hunks\"><summary>how the importer placed each hunk</summary><pre>" +
                                           HtmlText.Escape(input.Patches[0].Imported[0].Describe())));
        });
    }

    [Test]
    public void A_run_without_series_input_lists_its_patch_files()
    {
        var run = SampleRun.Build();

        var page = Render(run);

        Assert.That(page, Does.Contain("<h3>Series</h3>\n<table class=\"series\">"));
        Assert.That(page, Does.Contain("<tr><td class=\"num\">2</td><td><code>0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch</code></td></tr>"));
    }

    [Test]
    public void Large_growth_is_flagged_and_listed_first_with_the_numbers_of_BaselineCosts()
    {
        var run = MboxRun();
        var expected = BaselineCosts.Compare(run, run.Inputs.CostGrowth);

        var rows = CostRows(Render(run));

        Assert.Multiple(() =>
        {
            // "states" grew less in insns than "small" but past the states threshold: flagged rows come first.
            Assert.That(rows.Select(r => r.Program), Is.EqualTo(new[] { "a.bpf.o:grows", "a.bpf.o:states", "a.bpf.o:small", "a.bpf.o:rejected", "a.bpf.o:same" }));
            Assert.That(rows.Where(r => r.Flagged).Select(r => r.Program), Is.EqualTo(expected.Where(c => c.LargeGrowth).Select(c => c.Program)));
            foreach (var (program, cells, flagged) in rows)
            {
                var c = expected.Single(e => e.Program == program);
                Assert.That(cells[..7], Is.EqualTo(new[]
                {
                    $"{c.InsnsA}", $"{c.InsnsB}", c.InsnsDelta.ToString("+#;-#;0", CultureInfo.InvariantCulture),
                    c.InsnsPercent is { } p ? p.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "",
                    $"{c.PeakStatesA}", $"{c.PeakStatesB}", c.PeakStatesDelta.ToString("+#;-#;0", CultureInfo.InvariantCulture),
                }), program);
                Assert.That(flagged, Is.EqualTo(c.LargeGrowth), program);
            }
            Assert.That(rows.Single(r => r.Program == "a.bpf.o:grows").Cells[2..4], Is.EqualTo(new[] { "+1500", "+75.0%" }));
        });
    }

    [Test]
    public void The_runs_recorded_thresholds_decide_what_is_flagged()
    {
        var page = Render(MboxRun(new CostThresholds(10, 5, 1000)));

        var rows = CostRows(page);

        Assert.That(rows.Where(r => r.Flagged).Select(r => r.Program), Is.EqualTo(new[] { "a.bpf.o:grows", "a.bpf.o:small" }));
        Assert.That(page, Does.Contain("+10% and +5 insns, or +10% and +1000 peak states"));
    }

    [Test]
    public void A_long_cost_table_folds_the_unflagged_rows_and_keeps_the_flagged_ones_open()
    {
        var baseline = Enumerable.Range(0, HtmlReport.MaxOpenCostRows + 5).Select(i => (Name: $"p{i}", Insns: 100L + i)).ToArray();
        var run = BaselineCostsTests.Sample();
        var x86 = run.Runs.Where(r => r.Arch == "x86_64").Select(r => r with
        {
            Programs = [.. r.Programs, .. baseline.Select(b => r.Programs[0] with
            {
                Expectation = r.Programs[0].Expectation with { Program = b.Name },
                Load = r.Programs[0].Load! with { Program = b.Name, InsnsProcessed = b.Insns },
            })],
        }).ToArray();
        run = run with { Runs = [.. x86, .. run.Runs.Where(r => r.Arch != "x86_64")] };

        var page = Render(run);

        var folded = page[page.IndexOf("<details class=\"costs\">", StringComparison.Ordinal)..];
        var open = page[..page.IndexOf("<details class=\"costs\">", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(CostRows(open).Select(r => r.Program), Is.EqualTo(new[] { "a.bpf.o:grows", "a.bpf.o:states" }));
            Assert.That(CostRows(folded), Has.Length.EqualTo(HtmlReport.MaxOpenCostRows + 5 + 3));
            Assert.That(CostRows(folded).Where(r => r.Flagged), Is.Empty);
        });
    }
}
