using Harness.Reports;
using Harness.Run;
using Harness.Selftests;
using Harness.Tests.Reports;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Run;

/// <summary>A tree suite's own overlay joins the series' one, and the summary counts the files that did not compile.</summary>
public class TreeSuiteOverlayAndFileErrorTests
{
    private static readonly string[] Arches = ["arm64", "x86_64"];

    [Test]
    public void A_suites_overlay_adds_its_entries_after_the_series_ones_which_win_for_the_same_program()
    {
        var series = ExpectationOverlayReader.Parse("expectations.yaml", """
            programs:
              shared_prog:
                - skip: {reason: "the series says so"}
            """, Arches);
        var suite = ExpectationOverlayReader.Parse("tree-verifier.expectations.yaml", """
            programs:
              shared_prog:
                - skip: {reason: "the suite says so"}
              verifier_mtu.bpf.o:tc_uninit_mtu:
                - known-deviation: {reason: "MEM_WRITE", actual: accept}
            """, Arches);

        var both = series.Then(suite);

        Assert.That(both.Entries, Has.Count.EqualTo(3));
        Assert.That(both.Find("any.bpf.o", "shared_prog", "x86_64", KernelRole.Patched)!.Action.Reason, Is.EqualTo("the series says so"));
        Assert.That(both.Find("verifier_mtu.bpf.o", "tc_uninit_mtu", "arm64", KernelRole.Baseline)!.Action, Is.InstanceOf<KnownDeviation>());
        Assert.That(series.Then(ExpectationOverlay.Empty), Is.SameAs(series));
    }

    [Test]
    public void The_summary_counts_each_file_that_did_not_compile_once_with_its_arches()
    {
        var sample = SampleRun.Build();
        var errors = new[]
        {
            new FileError("verifier", "verifier_b.bpf.o", FileError.Compile, "verifier_b.c: does not compile"),
            new FileError("verifier", "verifier_a.bpf.o", FileError.Compile, "verifier_a.c: does not compile"),
        };
        var run = sample with
        {
            Runs = sample.Runs.Select(r => r.Arch == "x86_64" ? FileErrorResults.AddTo(r, errors) : FileErrorResults.AddTo(r, errors[..1])).ToArray(),
        };

        Assert.That(FileErrorResults.SummaryLine(sample), Is.Null, "every file compiled");
        Assert.That(FileErrorResults.SummaryLine(run), Does.StartWith("2 files did not compile: verifier_a.c (x86_64), verifier_b.c ("));
        Assert.That(SummaryMarkdown.Render(run), Does.Contain("2 files did not compile"));
    }
}
