using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

public class VerdictComparerTests
{
    private static readonly LoaderOutput Sample = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl"));

    private static LoadResult Result(string program) => Sample.Results.Single(r => r.Program == program);

    private static ProgramExpectation Expect(string program, ExpectedVerdict verdict, params string[] messages) =>
        new()
        {
            Object = Result(program).Object, Program = program, Section = "tc", Verdict = verdict, Messages = messages,
            HasExpectations = true,
        };

    private static OverlayEntry Entry(OverlayAction action) => new("p", "selftests/expectations.yaml:12:7", [], [], action);

    [Test]
    public void Passes_an_accepted_program_expected_to_succeed()
    {
        var outcome = VerdictComparer.Compare(Expect("mem_read_in_bounds", ExpectedVerdict.Success), Result("mem_read_in_bounds"), null, "x86_64");

        Assert.That((outcome.Status, outcome.Actual, outcome.Reason), Is.EqualTo((OutcomeStatus.Pass, LoadVerdict.Accept, "")));
    }

    [Test]
    public void Passes_a_rejection_whose_messages_appear_in_order()
    {
        var expectation = Expect("mem_read_out_of_bounds", ExpectedVerdict.Failure,
            "R1=mem(sz=8)", "invalid access to memory, mem_size=8 off={{[0-9]+}} size=4");

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_out_of_bounds"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Pass));
    }

    [Test]
    public void Fails_a_verdict_mismatch_showing_expected_actual_and_the_logs_end()
    {
        var outcome = VerdictComparer.Compare(Expect("async_cb_returns_nonzero", ExpectedVerdict.Failure), Result("async_cb_returns_nonzero"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That((outcome.Expected, outcome.Actual), Is.EqualTo((ExpectedVerdict.Failure, LoadVerdict.Accept)));
        Assert.That(outcome.Reason, Is.EqualTo("expected reject, got accept"));
        Assert.That(outcome.RelevantLogLines[^1].Text, Does.StartWith("processed 11 insns"));
    }

    [Test]
    public void Fails_an_unexpected_rejection_quoting_the_verifiers_message()
    {
        var outcome = VerdictComparer.Compare(Expect("mem_read_out_of_bounds", ExpectedVerdict.Success), Result("mem_read_out_of_bounds"), null, "x86_64");

        Assert.That(outcome.Reason, Is.EqualTo("expected accept, got reject (errno 13): invalid access to memory, mem_size=8 off=16 size=4"));
    }

    [Test]
    public void Fails_a_missing_message_showing_the_lines_after_the_last_match()
    {
        var expectation = Expect("mem_read_out_of_bounds", ExpectedVerdict.Failure, "R1=mem(sz=8)", "mem_size=16");

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_out_of_bounds"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That(outcome.Reason, Is.EqualTo("expected message missing"));
        Assert.That(outcome.MissingMessages, Is.EqualTo(new[] { "'mem_size=16' is not in the log" }));
        Assert.That(outcome.RelevantLogLines.Select(l => l.Text), Does.Contain("9: R1=mem(sz=8) R10=fp0"));
        Assert.That(outcome.RelevantLogLines.Select(l => l.Text), Does.Contain("invalid access to memory, mem_size=8 off=16 size=4"));
    }

    [Test]
    public void Fails_messages_that_appear_out_of_order()
    {
        var expectation = Expect("mem_read_out_of_bounds", ExpectedVerdict.Failure, "invalid access to memory", "R1=mem(sz=8)");

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_out_of_bounds"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That(outcome.MissingMessages, Is.EqualTo(new[] { "'R1=mem(sz=8)' is in the log (line 13) but out of order: not after the previous expected message" }));
    }

    [Test]
    public void Fails_when_a_message_that_must_not_appear_does()
    {
        var expectation = Expect("mem_read_out_of_bounds", ExpectedVerdict.Failure) with { NotMessages = ["mem_size=8"] };

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_out_of_bounds"), null, "x86_64");

        Assert.That(outcome.Reason, Is.EqualTo("unwanted message in the log: 'mem_size=8'"));
        Assert.That(outcome.RelevantLogLines, Is.Not.Empty);
    }

    [Test]
    public void Reports_a_known_deviation_with_its_reason()
    {
        var deviation = Entry(new KnownDeviation("RFC marks async callbacks in_callback_fn: non-zero return accepted", LoadVerdict.Accept, "R1=mem(sz=8)"));

        var outcome = VerdictComparer.Compare(Expect("async_cb_returns_nonzero", ExpectedVerdict.Failure), Result("async_cb_returns_nonzero"), deviation, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.KnownDeviation));
        Assert.That(outcome.Reason, Is.EqualTo("RFC marks async callbacks in_callback_fn: non-zero return accepted"));
        Assert.That(outcome.OverlayLocation, Is.EqualTo("selftests/expectations.yaml:12:7"));
        Assert.That(outcome.AsExpected, Is.True);
    }

    [Test]
    public void Fails_a_known_deviation_that_no_longer_deviates_naming_the_entry_to_remove()
    {
        var deviation = Entry(new KnownDeviation("was accepted", LoadVerdict.Accept, null));

        var outcome = VerdictComparer.Compare(Expect("mem_read_out_of_bounds", ExpectedVerdict.Failure), Result("mem_read_out_of_bounds"), deviation, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That(outcome.Reason, Is.EqualTo("known deviation no longer deviates (the kernel now gives the expected reject): remove it from selftests/expectations.yaml:12:7"));
    }

    [Test]
    public void Fails_a_deviation_that_deviates_differently_than_recorded()
    {
        var deviation = Entry(new KnownDeviation("accepted with a message", LoadVerdict.Accept, "this text is not in the log"));

        var outcome = VerdictComparer.Compare(Expect("async_cb_returns_nonzero", ExpectedVerdict.Failure), Result("async_cb_returns_nonzero"), deviation, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Fail));
        Assert.That(outcome.Reason, Does.StartWith("deviates differently from the known deviation at selftests/expectations.yaml:12:7 (which says accept with 'this text is not in the log'): expected reject, got accept"));
    }

    [Test]
    public void Skips_what_the_overlay_skips_with_its_reason()
    {
        var outcome = VerdictComparer.Compare(Expect("mem_read_in_bounds", ExpectedVerdict.Failure), Result("mem_read_in_bounds"), Entry(new SkipProgram("no such kfunc on arm64")), "arm64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Skip, "no such kfunc on arm64")));
    }

    [Test]
    public void Skips_a_program_whose_test_arch_excludes_the_arch()
    {
        var expectation = Expect("mem_read_in_bounds", ExpectedVerdict.Success) with { Arches = ["X86_64"] };

        var outcome = VerdictComparer.Compare(expectation, null, null, "arm64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Skip, "test_arch limits it to X86_64")));
    }

    [Test]
    public void Judges_by_an_override_instead_of_the_tags()
    {
        var entry = Entry(new ExpectationOverride("the correct verdict differs here", ExpectedVerdict.Success, []));

        var outcome = VerdictComparer.Compare(Expect("mem_read_in_bounds", ExpectedVerdict.Failure, "never"), Result("mem_read_in_bounds"), entry, "x86_64");

        Assert.That((outcome.Status, outcome.Expected), Is.EqualTo((OutcomeStatus.Pass, ExpectedVerdict.Success)));
    }

    [Test]
    public void Reports_an_infrastructure_error_passed_in_by_the_caller()
    {
        var outcome = VerdictComparer.Compare(Expect("mem_read_in_bounds", ExpectedVerdict.Success), null, null, "x86_64",
            "kernel splat in dmesg: BUG: kernel NULL pointer dereference");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Error, "kernel splat in dmesg: BUG: kernel NULL pointer dereference")));
        Assert.That(outcome.AsExpected, Is.False);
    }

    [Test]
    public void Reports_a_kfunc_the_kernel_lacks_as_unsupported_not_as_a_reject()
    {
        var outcome = VerdictComparer.Compare(Expect("wq_missing_kfunc", ExpectedVerdict.Success), Result("wq_missing_kfunc"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Unsupported));
        Assert.That(outcome.Reason, Is.EqualTo("libbpf found the kernel lacks what the program needs: failed to find BTF for extern 'bpf_kfunc_call_test_async_wq': No such file or directory"));
    }

    [Test]
    public void Reports_a_loader_error_that_is_not_a_missing_feature_as_an_error()
    {
        var result = Result("wq_missing_kfunc") with { Error = "cannot open /tmp/selftests/x.bpf.o: No such file or directory" };

        var outcome = VerdictComparer.Compare(Expect("wq_missing_kfunc", ExpectedVerdict.Success), result, null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Error,
            "loader error: cannot open /tmp/selftests/x.bpf.o: No such file or directory (errno 2)")));
    }

    [Test]
    public void Reports_a_program_without_expectations_as_an_error_not_a_pass()
    {
        var expectation = Expect("mem_read_in_bounds", ExpectedVerdict.Unspecified) with { HasExpectations = false };

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_in_bounds"), null, "x86_64");

        Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Error));
        Assert.That(outcome.Reason, Does.StartWith("no expectations:"));
    }

    [Test]
    public void Reports_a_program_the_loader_printed_nothing_for_as_an_error()
    {
        var outcome = VerdictComparer.Compare(Expect("mem_read_in_bounds", ExpectedVerdict.Success), null, null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Error, "the loader printed no result for this program")));
    }

    [Test]
    public void Reports_malformed_tags_as_an_error()
    {
        var expectation = Expect("mem_read_in_bounds", ExpectedVerdict.Success) with { Problems = ["tag 'x': bad"] };

        var outcome = VerdictComparer.Compare(expectation, Result("mem_read_in_bounds"), null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Error, "bad expectation tags: tag 'x': bad")));
    }

    [Test]
    public void Judges_real_expectations_read_from_a_compiled_object()
    {
        var expectation = BtfExpectationReader.Read(Fixture.Path("btf", "expectations.bpf.o")).Single(p => p.Program == "reject_with_messages");
        var log = "first message\nsecond message\nthird 42 message\nfirst message\nprocessed 1 insns (limit 1000000)\n";
        var result = new LoadResult { Object = "expectations.bpf.o", Program = "reject_with_messages", Section = "tc", Verdict = LoadVerdict.Reject, Errno = 13, Log = log };

        Assert.That(VerdictComparer.Compare(expectation, result, null, "x86_64").Status, Is.EqualTo(OutcomeStatus.Pass));
        Assert.That(VerdictComparer.Compare(expectation, result with { Log = log.Replace("first message\nprocessed", "processed") }, null, "x86_64").Status,
            Is.EqualTo(OutcomeStatus.Fail));
    }

    [Test]
    public void Reports_a_program_the_kernel_refuses_before_verifying_as_unsupported_naming_its_program_type()
    {
        // Real loader line: a kprobe program on our kernel, which has no kprobes (tree's verifier_helper_restricted.c).
        var refused = LoaderOutputParser.Parse("""{"object":"verifier_helper_restricted.bpf.o","program":"in_bpf_prog_type_kprobe_1","section":"kprobe","verdict":"reject","errno":22,"error":"Invalid argument","insns_processed":-1,"peak_states":-1,"total_states":-1,"max_states_per_insn":-1,"verify_usec":-1,"log":""}""").Results.Single();
        var expectation = new ProgramExpectation
        {
            Object = refused.Object, Program = refused.Program, Section = "kprobe", Verdict = ExpectedVerdict.Failure,
            Messages = ["program of this type cannot use helper bpf_ktime_get_coarse_ns"], HasExpectations = true,
        };

        var outcome = VerdictComparer.Compare(expectation, refused, null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Unsupported,
            "the kernel refused the program before its verifier ran (EINVAL, empty verifier log): it lacks program type or attach type 'kprobe', or a map type, helper or kfunc the program needs (Invalid argument)")));
    }
}
