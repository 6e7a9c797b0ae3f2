using Harness.Compare;
using Harness.Reports;
using Harness.Verdicts;

namespace Harness.Tests.Compare;

/// <summary>The baseline → patched verification-cost table: which programs it pairs, the deltas, and what it flags.</summary>
public class BaselineCostsTests
{
    private static ProgramResult Program(string name, long insns, long states, LoadVerdict verdict = LoadVerdict.Accept) => new(
        new ProgramExpectation { Object = "a.bpf.o", Program = name, Section = "tc" },
        new ProgramOutcome { Status = OutcomeStatus.Pass },
        new LoadResult { Object = "a.bpf.o", Program = name, Section = "tc", Verdict = verdict, InsnsProcessed = insns, PeakStates = states });

    private static ArchRun Kernel(string arch, KernelRole role, params ProgramResult[] programs) =>
        new() { Arch = arch, Kernel = role, Programs = programs };

    internal static RunResult Run(params ArchRun[] runs) => new()
    {
        RunId = "r", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch,
        Inputs = new RunInputs { Tree = "t", Series = "s" }, Versions = new RunVersions(), Runs = runs,
    };

    internal static RunResult Sample() => Run(
        Kernel("x86_64", KernelRole.Baseline, Program("same", 40, 3), Program("grows", 2000, 20), Program("small", 10, 1),
            Program("states", 500, 10), Program("rejected", 30, 2, LoadVerdict.Reject), Program("broken", 5, 1), Program("only_base", 9, 1)),
        Kernel("x86_64", KernelRole.Patched, Program("same", 40, 3), Program("grows", 3500, 25), Program("small", 900, 1),
            Program("states", 520, 30), Program("rejected", 12, 1), Program("broken", 0, 0, LoadVerdict.Error)),
        Kernel("arm64", KernelRole.Patched, Program("grows", 99999, 99)));

    [Test]
    public void Pairs_every_program_with_a_verdict_on_both_kernels_of_an_arch_largest_change_first()
    {
        var costs = BaselineCosts.Compare(Sample(), CostThresholds.Default);

        Assert.That(costs.Select(c => (c.Run, c.Program, c.InsnsA, c.InsnsB, c.PeakStatesA, c.PeakStatesB)), Is.EqualTo(new[]
        {
            ("x86_64", "a.bpf.o:grows", 2000L, 3500L, 20L, 25L),
            ("x86_64", "a.bpf.o:small", 10L, 900L, 1L, 1L),
            ("x86_64", "a.bpf.o:states", 500L, 520L, 10L, 30L),
            ("x86_64", "a.bpf.o:rejected", 30L, 12L, 2L, 1L),
            ("x86_64", "a.bpf.o:same", 40L, 40L, 3L, 3L),
        }));
    }

    [Test]
    public void Flags_growth_past_both_the_percentage_and_the_absolute_minimum()
    {
        var flagged = BaselineCosts.Compare(Sample(), CostThresholds.Default).Where(c => c.LargeGrowth).Select(c => c.Program);

        // grows: +75% and +1500 insns; states: +200% and +20 peak states. small: +8900% but only +890 insns.
        Assert.That(flagged, Is.EqualTo(new[] { "a.bpf.o:grows", "a.bpf.o:states" }));
    }

    [Test]
    public void Configured_thresholds_decide_what_is_large()
    {
        var flagged = BaselineCosts.Compare(Sample(), new CostThresholds(Percent: 100, Insns: 100, States: 100)).Where(c => c.LargeGrowth).Select(c => c.Program);

        Assert.That(flagged, Is.EqualTo(new[] { "a.bpf.o:small" }));
    }

    [Test]
    public void Summary_shows_the_table_like_veristat_compare_with_the_flagged_programs_first()
    {
        var markdown = SummaryMarkdown.Render(Sample() with { Inputs = Sample().Inputs with { CostGrowth = CostThresholds.Default } });

        Assert.Multiple(() =>
        {
            Assert.That(markdown, Does.Contain("## Verification cost (baseline → patched)"));
            Assert.That(markdown, Does.Contain("4 of 5 program results changed cost. Large growth means +50% and +1000 insns, or +50% and +10 peak states"));
            Assert.That(markdown, Does.Contain("**2 program(s) grew past it:**\n\n- `a.bpf.o:grows` on x86_64: insns 2000 → 3500 (+1500, +75.0%), peak states 20 → 25 (+5, +25.0%)"));
            Assert.That(markdown, Does.Contain("| x86_64 | `a.bpf.o:grows` | 2000 | 3500 | +1500 | +75.0% | 20 | 25 | +5 | +25.0% | **yes** |"));
            Assert.That(markdown, Does.Contain("| x86_64 | `a.bpf.o:rejected` | 30 | 12 | -18 | -60.0% | 2 | 1 | -1 | -50.0% |  |"));
            Assert.That(markdown, Does.Contain("| x86_64 | `a.bpf.o:same` | 40 | 40 | 0 | 0.0% | 3 | 3 | 0 | 0.0% |  |"));
        });
    }

    [Test]
    public void A_run_without_a_baseline_has_no_cost_section() =>
        Assert.That(SummaryMarkdown.Render(Run(Kernel("x86_64", KernelRole.Patched, Program("p", 1, 1)))), Does.Not.Contain("Verification cost"));
}
