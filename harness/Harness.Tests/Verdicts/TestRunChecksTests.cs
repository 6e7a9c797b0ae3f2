using NUnit.Framework;
using Harness.Verdicts;

namespace Harness.Tests.Verdicts;

/// <summary>test_loader's checks after a load: __retval, __xlated with its next-line rule, __jited (not checked), @unpriv skips.</summary>
public class TestRunChecksTests
{
    private static ProgramExpectation Spec(params string[] tags) =>
        BtfExpectationReader.Rows(BtfExpectationReader.FromTags("t.bpf.o", "p", "socket", tags)).First();

    private static LoadResult Accepted(long? retval = null, string xlated = "") => new()
    {
        Object = "t.bpf.o", Program = "p", Section = "socket", Verdict = LoadVerdict.Accept, Retval = retval is { } r ? unchecked((int)r) : null, Xlated = xlated,
        Log = "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n",
    };

    [TestCase("42", 42L, OutcomeStatus.Pass, "")]
    [TestCase("42", 7L, OutcomeStatus.Fail, "__retval(42): BPF_PROG_TEST_RUN returned 7, expected 42")]
    [TestCase("INT_MIN", (long)int.MinValue, OutcomeStatus.Pass, "")]
    [TestCase("TEST_DATA_LEN", 64L, OutcomeStatus.Pass, "")]
    [TestCase("POINTER_VALUE", 123456L, OutcomeStatus.Pass, "")]
    [TestCase("-1", 0xffffffffL, OutcomeStatus.Pass, "")]
    public void Compares_the_test_run_retval_as_test_loader_does(string tag, long actual, OutcomeStatus status, string reason)
    {
        var outcome = VerdictComparer.Compare(Spec("comment:test_expect_success", "comment:test_retval=" + tag), Accepted(actual), null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((status, reason)));
    }

    [Test]
    public void A_retval_program_that_was_not_run_fails_naming_the_run_error()
    {
        var result = Accepted() with { RunErrno = 524 };

        var outcome = VerdictComparer.Compare(Spec("comment:test_expect_success", "comment:test_retval=0"), result, null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Fail, "__retval(0): BPF_PROG_TEST_RUN failed (errno 524)")));
    }

    private const string Xlated = "0: r1 = 1\n1: r2 = 2\n2: r0 = 0\n3: exit\n";

    [TestCase(new[] { "r1 = 1", "r2 = 2" }, OutcomeStatus.Pass, "")]
    [TestCase(new[] { "r1 = 1", "r0 = 0" }, OutcomeStatus.Fail, "__xlated: 'r0 = 0' (pattern 2 of 2) expected on line 2, found on line 3")]
    [TestCase(new[] { "r1 = 1", "...", "r0 = 0" }, OutcomeStatus.Pass, "")]
    [TestCase(new[] { "{{[0-9]}}: r2 = {{[0-9]+}}", "r0 = 0", "exit" }, OutcomeStatus.Pass, "")]
    [TestCase(new[] { "r2 = 2", "r1 = 1" }, OutcomeStatus.Fail, "__xlated: 'r1 = 1' (pattern 2 of 2) not found after line 2")]
    public void Matches_xlated_lines_with_the_next_line_rule(string[] patterns, OutcomeStatus status, string reason)
    {
        var tags = new[] { "comment:test_expect_success" }.Concat(patterns.Select((p, i) => $"comment:test_expect_xlated={i}={p}")).ToArray();

        var outcome = VerdictComparer.Compare(Spec(tags), Accepted(xlated: Xlated), null, "x86_64");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((status, reason)));
    }

    [Test]
    public void A_jited_program_of_this_arch_is_never_a_pass_but_says_not_checked()
    {
        var spec = Spec("comment:test_expect_success", "comment:test_arch=X86_64", "comment:test_jited=0=\tendbr64");

        var x86 = VerdictComparer.Compare(spec, Accepted(), null, "x86_64");
        var arm = VerdictComparer.Compare(spec, Accepted(), null, "arm64");

        Assert.That((x86.Status, x86.Reason), Is.EqualTo((OutcomeStatus.Skip, TestRunChecks.JitedNotChecked)));
        Assert.That(arm.Status, Is.EqualTo(OutcomeStatus.Skip));
        Assert.That(arm.Reason, Does.StartWith("test_arch limits it to X86_64"));
    }

    [Test]
    public void An_unprivileged_row_is_skipped_where_unprivileged_bpf_is_disabled()
    {
        var unpriv = BtfExpectationReader.Rows(BtfExpectationReader.FromTags("t.bpf.o", "p", "socket",
            ["comment:test_expect_success", "comment:test_expect_failure_unpriv"])).Last();
        var result = Accepted() with { Unprivileged = true, UnprivDisabled = true };

        var outcome = VerdictComparer.Compare(unpriv, result, null, "x86_64");

        Assert.That(unpriv.Key, Is.EqualTo("t.bpf.o:p@unpriv"));
        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((OutcomeStatus.Skip,
            "kernel.unprivileged_bpf_disabled is set in this kernel: test_loader skips the unprivileged test")));
    }

    [Test]
    public void An_unprivileged_row_inherits_the_privileged_verdict_and_messages_it_does_not_state()
    {
        var rows = BtfExpectationReader.Rows(BtfExpectationReader.FromTags("t.bpf.o", "p", "socket",
            ["comment:test_expect_failure", "comment:test_expect_msg=0=R0 leaks addr", "comment:test_retval_unpriv=1"])).ToArray();

        Assert.That(rows.Select(r => (r.Key, r.EffectiveVerdict, r.Messages.Single(), r.RetvalTag)), Is.EqualTo(new[]
        {
            ("t.bpf.o:p", ExpectedVerdict.Failure, "R0 leaks addr", (string?)null),
            ("t.bpf.o:p@unpriv", ExpectedVerdict.Failure, "R0 leaks addr", "1"),
        }));
    }

    [Test]
    public void A_program_with_only_unprivileged_tags_is_tested_unprivileged_only()
    {
        var rows = BtfExpectationReader.Rows(BtfExpectationReader.FromTags("t.bpf.o", "p", "socket",
            ["comment:test_expect_failure_unpriv", "comment:test_expect_msg_unpriv=0=R1 !read_ok"])).ToArray();

        Assert.That(rows.Select(r => r.Key), Is.EqualTo(new[] { "t.bpf.o:p@unpriv" }));
    }
}
