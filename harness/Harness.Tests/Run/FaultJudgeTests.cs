using Harness.Run;
using Harness.Tests.Verdicts;
using Harness.Verdicts;

namespace Harness.Tests.Run;

/// <summary>
/// Splats and faults land on the programs they belong to, judged on the loader's real output from the patched x86_64
/// kernel with the wq_null_map programs un-skipped (Fixtures/loader/x86_64-patched-oops.jsonl: their kmsg holds the oops).
/// </summary>
[Category("Faults")]
public class FaultJudgeTests
{
    private static readonly LoaderOutput Output = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-patched-oops.jsonl"));

    private static IReadOnlyList<ProgramExpectation> Expectations() =>
        Output.Results.Select(r => new ProgramExpectation
        {
            Object = r.Object, Program = r.Program, Section = r.Section, HasExpectations = true,
            // Judge every program by what it did, so only faults and splats can make an error here.
            Verdict = r.Verdict == LoadVerdict.Reject ? ExpectedVerdict.Failure : ExpectedVerdict.Success,
        }).ToArray();

    private static LoadBatch Batch(Dictionary<string, ProgramFault>? faults = null) => new(Output.Results, faults ?? [], [], "");

    [Test]
    public void The_loader_pins_the_oops_to_the_programs_that_caused_it()
    {
        var withKmsg = Output.Results.Where(r => r.Kmsg.Length > 0).Select(r => r.Program);

        Assert.That(withKmsg, Is.EquivalentTo(new[] { "wq_null_map_start", "wq_null_map_unused" }));
    }

    [Test]
    public void A_program_whose_load_oopsed_is_an_error_carrying_the_splat_and_the_others_keep_their_verdicts()
    {
        var (programs, notes) = FaultJudge.JudgeBatch("x86_64", KernelRole.Patched, Expectations(), ExpectationOverlay.Empty, Batch());

        var oops = programs.Single(p => p.Expectation.Program == "wq_null_map_start").Outcome;
        Assert.Multiple(() =>
        {
            Assert.That(oops.Status, Is.EqualTo(OutcomeStatus.Error));
            Assert.That(oops.Reason, Does.StartWith("kernel splat while loading it: BUG: kernel NULL pointer dereference, address: 0000000000000050"));
            Assert.That(oops.RelevantLogLines.Select(l => l.Text), Has.Some.Contains("RIP: 0010:print_reg_state"));
            Assert.That(programs.Count(p => p.Outcome.Status == OutcomeStatus.Error), Is.EqualTo(2));
            Assert.That(notes, Is.Empty);
        });
    }

    [Test]
    public void A_splat_the_overlay_knows_stays_a_note_and_the_program_keeps_its_verdict()
    {
        var overlay = ExpectationOverlayReader.Parse("expectations.yaml", """
            splats:
              - match: "RIP: 0010:print_reg_state"
                reason: "RFC gives the WORKQUEUE arg map_ptr=NULL"
                kernels: [patched]
            """, ["x86_64", "arm64"]);

        var (programs, notes) = FaultJudge.JudgeBatch("x86_64", KernelRole.Patched, Expectations(), overlay, Batch());

        Assert.Multiple(() =>
        {
            Assert.That(programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).Select(p => p.Expectation.Program),
                Is.EquivalentTo(new[] { "wq_null_map_start", "wq_null_map_unused" }), "still errors: the loader child was killed, no verdict");
            Assert.That(programs.Single(p => p.Expectation.Program == "wq_null_map_start").Outcome.Reason, Does.StartWith("loader error: loader child killed by signal 9"));
            Assert.That(notes, Has.Count.EqualTo(2));
            Assert.That(notes[0], Does.StartWith("known kernel splat \"RIP: 0010:print_reg_state\" while loading async_wq.bpf.o:wq_null_map_"));
        });
    }

    [Test]
    public void A_program_known_to_oops_is_a_known_deviation_of_kind_oops_carrying_its_splat()
    {
        var overlay = ExpectationOverlayReader.Parse("expectations.yaml", """
            programs:
              async_wq.bpf.o:wq_null_map_start:
                - known-deviation:
                    reason: "RFC gives the WORKQUEUE arg map_ptr=NULL"
                    actual: oops
                  kernels: [patched]
            """, ["x86_64", "arm64"]);

        var (programs, _) = FaultJudge.JudgeBatch("x86_64", KernelRole.Patched, Expectations(), overlay, Batch());
        var (baseline, _) = FaultJudge.JudgeBatch("x86_64", KernelRole.Baseline, Expectations(), overlay, Batch());

        var oops = programs.Single(p => p.Expectation.Program == "wq_null_map_start").Outcome;
        Assert.Multiple(() =>
        {
            Assert.That((oops.Status, oops.Actual), Is.EqualTo((OutcomeStatus.KnownDeviation, (LoadVerdict?)LoadVerdict.Oops)));
            Assert.That(oops.Reason, Is.EqualTo("RFC gives the WORKQUEUE arg map_ptr=NULL (kernel: BUG: kernel NULL pointer dereference, address: 0000000000000050)"));
            Assert.That(oops.RelevantLogLines.Select(l => l.Text), Has.Some.Contains("RIP: 0010:print_reg_state"));
            Assert.That(programs.Single(p => p.Expectation.Program == "wq_null_map_unused").Outcome.Status, Is.EqualTo(OutcomeStatus.Error), "not in the overlay: an error");
            Assert.That(baseline.Single(p => p.Expectation.Program == "wq_null_map_start").Outcome.Status, Is.EqualTo(OutcomeStatus.Error), "the entry is for the patched kernel only");
        });
    }

    [Test]
    public void A_program_known_to_oops_that_loads_cleanly_fails_the_known_deviation()
    {
        var overlay = ExpectationOverlayReader.Parse("expectations.yaml", """
            programs:
              async_wq.bpf.o:wq_null_map_start:
                - known-deviation: {reason: "oopses", actual: oops}
            """, ["x86_64", "arm64"]);
        var clean = Output.Results.Select(r => r.Program == "wq_null_map_start" ? r with { Kmsg = "", Verdict = LoadVerdict.Reject, Errno = 13, Log = "R1 type=map_ptr expected=fp\n" } : r).ToArray();

        var (programs, _) = FaultJudge.JudgeBatch("x86_64", KernelRole.Patched, Expectations(), overlay, new LoadBatch(clean, new Dictionary<string, ProgramFault>(), [], ""));

        var outcome = programs.Single(p => p.Expectation.Program == "wq_null_map_start").Outcome;
        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That(outcome.Reason, Does.Contain("which says a kernel oops"));
    }

    [Test]
    public void A_fault_makes_the_program_in_flight_an_error_with_the_console_evidence()
    {
        var key = Output.Results[3].Key;
        var faults = new Dictionary<string, ProgramFault> { [key] = new("the guest died while loading it (QEMU exited)", ["[ 9.1] Kernel panic - not syncing: Fatal exception"]) };

        var (programs, _) = FaultJudge.JudgeBatch("x86_64", KernelRole.Patched, Expectations(), ExpectationOverlay.Empty, Batch(faults));

        var faulted = programs.Single(p => p.Key == key).Outcome;
        Assert.That(faulted.Status, Is.EqualTo(OutcomeStatus.Error));
        Assert.That(faulted.Reason, Is.EqualTo("the guest died while loading it (QEMU exited)"));
        Assert.That(faulted.RelevantLogLines.Single().Text, Does.Contain("Kernel panic"));
    }

    [TestCase("[    8.104475] Oops: Oops: 0000 [#1]", true)]
    [TestCase("[    8.104475] BUG: kernel NULL pointer dereference, address: 0000000000000050", true)]
    [TestCase("[    9.000000] WARNING: CPU: 0 PID: 7 at kernel/bpf/verifier.c:1 other_place", false)]
    public void A_console_splat_counts_as_explained_only_when_a_program_logged_it(string consoleLine, bool explained)
    {
        Assert.That(FaultJudge.Attributed(consoleLine, Output.Results, []), Is.EqualTo(explained));
    }
}
