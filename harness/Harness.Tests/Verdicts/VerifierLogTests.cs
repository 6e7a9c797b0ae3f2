using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

public class VerifierLogTests
{
    private const string Log = "0: (b7) r0 = 0\nfoo 17 bar\nR1 type=ctx expected=fp\nprocessed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";

    [TestCase("foo {{[0-9]+}} bar", true)]
    [TestCase("foo {{[[:digit:]]+}} bar", true)]
    [TestCase("foo {{[a-z]+}} bar", false)]
    [TestCase("type=ctx expected=fp", true)]
    [TestCase("r0 = 0 foo", false)]
    [TestCase("(b7)", true)]
    public void Matches_literal_text_with_regular_expressions_in_double_braces(string pattern, bool found)
    {
        Assert.That(VerifierLog.Contains(Log, pattern), Is.EqualTo(found));
    }

    [Test]
    public void Matches_messages_in_order_from_the_end_of_the_previous_match()
    {
        var matches = VerifierLog.MatchInOrder(Log, ["R1 type", "foo", "processed"]);

        Assert.That(matches.Select(m => (m.Found, m.Line, m.OutOfOrder)), Is.EqualTo(new[] { (true, 3, false), (false, 2, true), (true, 4, false) }));
    }

    [Test]
    public void Finds_the_error_message_as_the_first_line_of_the_block_before_processed()
    {
        Assert.That(VerifierLog.ErrorMessage(Log), Is.EqualTo("foo 17 bar"));
    }

    [Test]
    public void Has_no_error_message_when_the_log_ends_in_instructions()
    {
        Assert.That(VerifierLog.ErrorMessage("0: (b7) r0 = 0\n1: (95) exit\nprocessed 2 insns (limit 1000000)\n"), Is.Null);
    }

    [Test]
    public void Finds_the_error_message_above_the_stats_lines_of_a_real_rejected_load()
    {
        // A real reject from the patched kernel (log level 1|4: "verification time" and "stack depth" follow the error).
        var output = LoaderOutputParser.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "loader", "x86_64-patched.jsonl")));

        var rejected = output.Find("async_rejected_kinds.bpf.o", "reject_dynptr")!;

        Assert.That(rejected.ErrorMessage, Does.StartWith("arg#0").Or.StartWith("argument #0 of type KF_ARG_PTR_TO_DYNPTR"));
    }
}
