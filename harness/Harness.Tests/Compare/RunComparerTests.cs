using Harness.Compare;
using Harness.Reports;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Compare;

public class RunComparerTests
{
    private static ProgramResult Program(string name, OutcomeStatus status, LoadVerdict? verdict, long insns = 10, long peak = 1, string reason = "") => new(
        new ProgramExpectation { Object = "a.bpf.o", Program = name, Section = "tc", Verdict = ExpectedVerdict.Success, HasExpectations = true },
        new ProgramOutcome { Status = status, Actual = verdict, Reason = reason },
        verdict is null ? null : new LoadResult
        {
            Object = "a.bpf.o", Program = name, Section = "tc", Verdict = verdict.Value, InsnsProcessed = insns, PeakStates = peak,
        });

    private static RunResult Run(string id, IReadOnlyList<ProgramResult> programs, params StageTiming[] stages) =>
        Run(id, KernelRole.Patched, programs, stages);

    private static RunResult Run(string id, KernelRole kernel, IReadOnlyList<ProgramResult> programs, params StageTiming[] stages) => new()
    {
        RunId = id,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        Inputs = new RunInputs { Tree = "debian:linux-source-6.12", Series = "s" },
        Versions = new RunVersions(),
        Runs = [new ArchRun { Arch = "x86_64", Kernel = kernel, Programs = programs, Stages = stages }],
    };

    private static string[] Lines(RunComparison c) =>
        c.Changes.Select(x => $"{x.Category} {x.Program}{(x.Regression ? " regression" : "")}").ToArray();

    [Test]
    public void Finds_new_failures_new_errors_fixes_and_missing_programs()
    {
        var a = Run("A", [
            Program("still_passes", OutcomeStatus.Pass, LoadVerdict.Accept),
            Program("breaks", OutcomeStatus.Pass, LoadVerdict.Accept),
            Program("stops_loading", OutcomeStatus.Pass, LoadVerdict.Accept),
            Program("gets_fixed", OutcomeStatus.Fail, LoadVerdict.Reject),
            Program("goes_away", OutcomeStatus.Pass, LoadVerdict.Accept),
        ]);
        var b = Run("B", [
            Program("still_passes", OutcomeStatus.Pass, LoadVerdict.Accept),
            Program("breaks", OutcomeStatus.Fail, LoadVerdict.Reject, reason: "expected accept"),
            Program("stops_loading", OutcomeStatus.Error, LoadVerdict.Error),
            Program("gets_fixed", OutcomeStatus.Pass, LoadVerdict.Accept),
        ]);

        var comparison = RunComparer.Compare(a, b);

        Assert.That(Lines(comparison), Is.EqualTo(new[]
        {
            "NewFailure a.bpf.o:breaks regression",
            "Fixed a.bpf.o:gets_fixed",
            "NewError a.bpf.o:stops_loading regression",
            "Missing a.bpf.o:goes_away",
        }));
        Assert.That(comparison.HasRegressions, Is.True);
        Assert.That(comparison.Of(ChangeCategory.NewFailure).Single().Reason, Is.EqualTo("expected accept"));
    }

    [Test]
    public void A_verdict_flip_away_from_the_expectation_is_a_regression_and_one_towards_it_is_not()
    {
        var a = Run("A", [Program("worse", OutcomeStatus.KnownDeviation, LoadVerdict.Accept), Program("better", OutcomeStatus.Skip, LoadVerdict.Reject)]);
        var b = Run("B", [Program("worse", OutcomeStatus.Skip, LoadVerdict.Reject), Program("better", OutcomeStatus.Skip, LoadVerdict.Accept)]);
        b = b with { Runs = [b.Runs[0] with { Programs = [b.Runs[0].Programs[0] with { Outcome = new ProgramOutcome { Status = OutcomeStatus.Error } }, b.Runs[0].Programs[1]] }] };

        var comparison = RunComparer.Compare(a, b);

        Assert.That(Lines(comparison), Is.EqualTo(new[] { "NewError a.bpf.o:worse regression", "VerdictFlip a.bpf.o:better" }));
    }

    [Test]
    public void A_flip_between_two_known_deviations_is_reported_but_is_no_regression()
    {
        var a = Run("A", [Program("p", OutcomeStatus.KnownDeviation, LoadVerdict.Accept)]);
        var b = Run("B", [Program("p", OutcomeStatus.KnownDeviation, LoadVerdict.Reject)]);

        var comparison = RunComparer.Compare(a, b);

        Assert.That(Lines(comparison), Is.EqualTo(new[] { "VerdictFlip a.bpf.o:p" }));
        Assert.That(comparison.HasRegressions, Is.False);
    }

    [Test]
    public void An_arch_missing_from_the_newer_run_is_a_regression_and_one_only_in_it_is_listed()
    {
        var programs = new[] { Program("p", OutcomeStatus.Pass, LoadVerdict.Accept) };
        var both = Run("A", programs) with
        {
            Runs = [new ArchRun { Arch = "x86_64", Kernel = KernelRole.Patched, Programs = programs }, new ArchRun { Arch = "arm64", Kernel = KernelRole.Patched, Programs = programs }],
        };
        var one = Run("B", programs);

        var lost = RunComparer.Compare(both, one);
        var gained = RunComparer.Compare(one, both);

        Assert.That((lost.MissingRuns.Single(), lost.HasRegressions), Is.EqualTo(("arm64: only in A", true)));
        Assert.That((gained.MissingRuns.Single(), gained.HasRegressions), Is.EqualTo(("arm64: only in B", false)));
        Assert.That(CompareReport.Markdown(lost), Does.Contain("**not compared:** arm64: only in A (missing from B: counts as a regression)"));
    }

    [Test]
    public void A_new_failure_on_a_baseline_kernel_is_reported_but_is_no_regression()
    {
        var a = Run("A", KernelRole.Baseline, [Program("p", OutcomeStatus.Pass, LoadVerdict.Accept)]);
        var b = Run("B", KernelRole.Baseline, [Program("p", OutcomeStatus.Fail, LoadVerdict.Reject)]);

        var comparison = RunComparer.Compare(a, b);

        Assert.That(Lines(comparison), Is.EqualTo(new[] { "NewFailure a.bpf.o:p" }));
        Assert.That(comparison.HasRegressions, Is.False);
    }

    [Test]
    public void Runs_with_one_kernel_per_arch_are_matched_by_arch_so_two_bisect_prefixes_compare()
    {
        var a = Run("prefix-1", KernelRole.Baseline, [Program("p", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 20)]);
        var b = Run("prefix-2", KernelRole.Patched, [Program("p", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 30)]);

        var comparison = RunComparer.Compare(a, b);

        Assert.That(comparison.Changes, Is.Empty);
        Assert.That(comparison.Costs.Select(c => $"{c.Run} {c.Program} {c.InsnsDelta}"), Is.EqualTo(new[] { "x86_64 a.bpf.o:p 10" }));
    }

    [Test]
    public void Two_equal_runs_have_no_changes_and_no_regressions()
    {
        var a = Run("A", [Program("p", OutcomeStatus.Pass, LoadVerdict.Accept)], new StageTiming("boot", 2.0));

        var comparison = RunComparer.Compare(a, a with { RunId = "B" });

        Assert.That(comparison.Changes, Is.Empty);
        Assert.That(comparison.Costs, Is.Empty);
        Assert.That(comparison.HasRegressions, Is.False);
    }

    [Test]
    public void Reports_verification_cost_deltas_and_flags_large_growth()
    {
        var a = Run("A", [Program("grows", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 1000, peak: 10), Program("wiggles", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 50, peak: 3)]);
        var b = Run("B", [Program("grows", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 5000, peak: 12), Program("wiggles", OutcomeStatus.Pass, LoadVerdict.Accept, insns: 60, peak: 3)]);

        var costs = RunComparer.Compare(a, b).Costs;

        Assert.That(costs.Select(c => $"{c.Program} {c.InsnsDelta:+#;-#;0} {c.PeakStatesDelta:+#;-#;0} {c.LargeGrowth}"),
            Is.EqualTo(new[] { "a.bpf.o:grows +4000 +2 True", "a.bpf.o:wiggles +10 0 False" }));
    }

    [Test]
    public void Flags_a_stage_that_got_much_slower_and_ignores_cached_stages()
    {
        var a = Run("A", [], new StageTiming("boot", 3), new StageTiming("load", 10), new StageTiming("kernel", 1, Cached: true));
        var b = Run("B", [], new StageTiming("boot", 4), new StageTiming("load", 40), new StageTiming("kernel", 300));

        var times = RunComparer.Compare(a, b).StageTimes;

        Assert.That(times.Select(t => $"{t.Stage} {t.Delta:F0} {t.Regression}"), Is.EqualTo(new[] { "boot 1 False", "load 30 True" }));
    }

    [Test]
    public void Reads_a_real_results_json_and_finds_nothing_against_itself()
    {
        var run = ResultsJson.Deserialize(ResultsJson.Serialize(Tests.Reports.SampleRun.Build()));

        Assert.That(RunComparer.Compare(run, run).Changes, Is.Empty);
    }
}
