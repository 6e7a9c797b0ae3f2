using System.Text;
using Harness.Errors;
using Harness.Reports;
using Harness.Tests.Verdicts;
using Harness.Verdicts;
using NUnit.Framework;
using Spectre.Console;

namespace Harness.Tests.Reports;

public class ReportsTests
{
    /// <summary>Set HARNESS_UPDATE_GOLDEN=1 to rewrite the golden files in the source tree after a deliberate change.</summary>
    private static void AssertGolden(string actual, string name)
    {
        if (Environment.GetEnvironmentVariable("HARNESS_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Fixtures", "reports", name);
            File.WriteAllText(source, actual, new UTF8Encoding(false));
        }
        Assert.That(actual, Is.EqualTo(Fixture.Text("reports", name)));
    }

    [Test]
    public void Renders_the_summary_for_a_review_mail()
    {
        AssertGolden(SummaryMarkdown.Render(SampleRun.Build()), "summary.md");
    }

    [Test]
    public void Renders_junit_with_one_suite_per_arch_and_kernel()
    {
        AssertGolden(JunitXml.Render(SampleRun.Build()), "junit.xml");
    }

    [Test]
    public void Junit_times_are_wall_seconds_and_the_verifiers_figures_are_properties()
    {
        var junit = System.Xml.Linq.XDocument.Parse(JunitXml.Render(SampleRun.Build()));
        var patched = junit.Root!.Elements("testsuite").Single(s => s.Attribute("name")!.Value == "x86_64 patched");
        var inBounds = patched.Elements("testcase").Single(c => c.Attribute("name")!.Value == "mem_read_in_bounds");

        Assert.Multiple(() =>
        {
            Assert.That(inBounds.Attribute("time")!.Value, Is.EqualTo("0.005400"), "the loader's wall time, not the verifier's 120 us");
            Assert.That(inBounds.Element("properties")!.Elements("property").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value),
                Is.SupersetOf(new Dictionary<string, string> { ["verify_usec"] = "120", ["insns_processed"] = "23" }));
            Assert.That(patched.Attribute("time")!.Value, Is.EqualTo("1.200000"), "the suite's time is its load stage");
        });
    }

    [Test]
    public void A_flaky_program_is_a_passing_testcase_with_a_rerun_element()
    {
        var run = SampleRun.Build();
        var x86 = run.Runs[1];
        var flaky = x86.Programs[0] with
        {
            Outcome = x86.Programs[0].Outcome with { Status = OutcomeStatus.Flaky, Reason = "accept, then reject", Attempts = ["accept", "reject"] },
        };
        var junit = System.Xml.Linq.XDocument.Parse(JunitXml.Render(run with { Runs = [x86 with { Programs = [flaky] }] }));
        var testcase = junit.Descendants("testcase").Single();

        Assert.That(testcase.Elements().Select(e => e.Name.LocalName), Is.SupersetOf(new[] { "flakyFailure" }).And.No.Contains("failure"));
        Assert.That(testcase.Element("flakyFailure")!.Value, Does.Contain("attempt 2: reject"));
    }

    [Test]
    public void Round_trips_results_json()
    {
        var json = ResultsJson.Serialize(SampleRun.Build());

        var again = ResultsJson.Serialize(ResultsJson.Deserialize(json));

        Assert.That(again, Is.EqualTo(json));
        Assert.That(json, Does.Contain("\"insns_processed\": 23"));
        Assert.That(json, Does.Contain("\"status\": \"known-deviation\""));
        Assert.That(json, Does.Contain("\"kernel\": \"baseline\""));
    }

    [Test]
    public void An_aborted_run_exits_130_and_its_reports_say_where_it_stopped()
    {
        var run = SampleRun.Build() with { Aborted = true, AbortedDuring = "x86_64 boot" };

        var summary = SummaryMarkdown.Render(run);
        var json = ResultsJson.Serialize(run);

        Assert.Multiple(() =>
        {
            Assert.That(RunExitCode.For(run), Is.EqualTo(ExitCodes.Interrupted));
            Assert.That(summary.Split('\n')[0], Does.Contain("aborted during x86_64 boot"));
            Assert.That(json, Does.Contain("\"aborted\": true"));
            Assert.That(json, Does.Contain("\"aborted_during\": \"x86_64 boot\""));
            Assert.That(ResultsJson.Deserialize(json).Aborted, Is.True);
        });
    }

    [Test]
    public void Exits_2_when_anything_errored_even_with_failures()
    {
        Assert.That(RunExitCode.For(SampleRun.Build()), Is.EqualTo(ExitCodes.InfrastructureError));
    }

    [Test]
    public void Exits_1_when_something_failed_and_nothing_errored()
    {
        var run = SampleRun.Build();
        run = run with { Runs = run.Runs.Take(2).Select(r => r with { Programs = r.Programs.Where(p => p.Outcome.Status != OutcomeStatus.Error).ToArray() }).ToArray() };

        Assert.That(RunExitCode.For(run), Is.EqualTo(ExitCodes.Mismatch));
    }

    [Test]
    public void Exits_0_when_everything_passed_deviated_as_recorded_or_was_skipped()
    {
        var run = SampleRun.Build();
        run = run with { Runs = [run.Runs[1] with { Programs = run.Runs[1].Programs.Where(p => p.Outcome.AsExpected).ToArray() }] };

        Assert.That(RunExitCode.For(run), Is.EqualTo(ExitCodes.Success));
    }

    [Test]
    public void Exits_4_when_only_a_baseline_kernel_broke_and_the_patched_verdicts_are_as_expected()
    {
        var run = SampleRun.Build();
        var baseline = run.Runs[0] with { Error = "boot: no SSH banner within 120 s" };
        var patched = run.Runs[1] with { Programs = run.Runs[1].Programs.Where(p => p.Outcome.AsExpected).ToArray() };

        Assert.That(RunExitCode.For(run with { Runs = [baseline, patched] }), Is.EqualTo(ExitCodes.BaselineError));
        var mismatched = run.Runs[1] with { Programs = run.Runs[1].Programs.Where(p => p.Outcome.Status != OutcomeStatus.Error).ToArray() };
        Assert.That(RunExitCode.For(run with { Runs = [baseline, mismatched] }), Is.EqualTo(ExitCodes.Mismatch), "a patched mismatch is the news");
    }

    [TestCase(new[] { 0, 4 }, 4)]
    [TestCase(new[] { 4, 1 }, 1)]
    [TestCase(new[] { 1, 2, 4 }, 2)]
    [TestCase(new[] { 3, 130 }, 130)]
    [TestCase(new[] { 4, 3 }, 3)]
    public void The_worst_exit_code_ranks_a_baseline_error_below_a_mismatch(int[] codes, int worst)
    {
        Assert.That(ExitCodes.Worst(codes), Is.EqualTo(worst));
    }

    [Test]
    public void Writes_a_table_per_arch_on_the_console()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;

        ConsoleSummary.Write(console, SampleRun.Build(), "results/20250518-142301");

        var output = text.ToString();
        Assert.That(output, Does.Contain("x86_64 patched"));
        Assert.That(output, Does.Contain("async_ret.bpf.o:async_cb_returns_nonzero"));
        Assert.That(output, Does.Contain("known-deviation"));
        Assert.That(output, Does.Contain("stopped: boot: no SSH banner"));
        Assert.That(output, Does.Contain("Patched kernels: 2 pass, 1 fail, 1 known-deviation, 1 skip, 6 error, 0 flaky, 1 unsupported"));
    }

    [Test, CancelAfter(10_000)]
    public async Task Writes_the_reports_and_points_latest_at_the_newest_run(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), $"harness-reports-{Guid.NewGuid():N}");
        try
        {
            var run = SampleRun.Build();

            var first = await ReportWriter.WriteAsync(run, root, cancellationToken);
            var second = await ReportWriter.WriteAsync(run, root, cancellationToken);

            Assert.That(Path.GetFileName(first), Is.EqualTo("20250518-142301"));
            Assert.That(Path.GetFileName(second), Is.EqualTo("20250518-142301-2"));
            Assert.That(new FileInfo(Path.Combine(root, "latest")).LinkTarget, Is.EqualTo("20250518-142301-2"));
            Assert.That(Directory.GetFiles(second).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "junit.xml", "report.html", "results.json", "summary.md" }));
            Assert.That(File.ReadAllText(Path.Combine(root, "latest", "logs", "x86_64-patched", "async_mem.bpf.o.mem_read_out_of_bounds.log")),
                Does.Contain("invalid access to memory, mem_size=8 off=16 size=4"));
            Assert.That(Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(),
                Is.EqualTo(new[] { "20250518-142301", "20250518-142301-2", "latest" }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
