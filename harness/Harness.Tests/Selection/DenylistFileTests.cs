using Harness.Errors;
using Harness.Selection;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Selection;

/// <summary>The tree's DENYLIST format (test_progs' parse_test_list_file), on copies of the 6.12 tree's own files.</summary>
public class DenylistFileTests
{
    [Test]
    public void Reads_the_trees_riscv64_denylist_with_tabs_globs_and_reasons()
    {
        var patterns = DenylistFile.Read(Checkout.Fixture("denylist", "DENYLIST.riscv64"), glob: true, "--denylist");

        Assert.That(patterns.Select(p => (p.Test, p.Subtest, p.Reason, p.Written)), Is.EqualTo(new (string, string?, string?, string)[]
        {
            ("exceptions", null, "JIT does not support exceptions", "DENYLIST.riscv64:2 exceptions"),
            ("tailcalls", "tailcall_bpf2bpf*", "JIT does not support mixing bpf2bpf and tailcalls", "DENYLIST.riscv64:3 tailcalls/tailcall_bpf2bpf*"),
        }));
    }

    [Test]
    public void Reads_the_trees_s390x_denylist_with_its_long_padded_reasons_and_a_line_without_one()
    {
        var patterns = DenylistFile.Read(Checkout.Fixture("denylist", "DENYLIST.s390x"), glob: true, "--denylist");

        Assert.That(patterns.Select(p => (p.Test, p.Reason)), Is.EqualTo(new (string, string?)[]
        {
            ("get_stack_raw_tp", "user_stack corrupted user stack (no backchain userspace)"),
            ("stacktrace_build_id", "compare_map_keys stackid_hmap vs. stackmap err -2 errno 2 (?)"),
            ("verifier_iterating_callbacks", null),
        }));
    }

    [Test]
    public void A_substring_file_wraps_each_pattern_in_stars()
    {
        var patterns = DenylistFile.Parse("list", "mem # why\n", glob: false);
        Assert.That(patterns.Single().Test, Is.EqualTo("*mem*"));
    }

    [TestCase("ok\nverifier_and fails on s390x\n", "deny.txt:2: 'verifier_and fails on s390x' has a blank inside. One pattern a line; put '#' before its reason: 'verifier_and  # fails on s390x'.")]
    [TestCase("# c\n\n/prog # x\n", "deny.txt:3: '/prog' is not a name pattern.")]
    [TestCase("a/b/c\n", "deny.txt:1: 'a/b/c' is not a name pattern.")]
    public void A_bad_line_is_bad_input_naming_file_line_and_fix(string text, string message)
    {
        var e = Assert.Throws<BadInputException>(() => DenylistFile.Parse("deny.txt", text, glob: true));
        Assert.That(e!.Message, Does.StartWith(message));
    }

    [Test]
    public void A_missing_file_is_bad_input_naming_the_option_and_the_format()
    {
        var e = Assert.Throws<BadInputException>(() => DenylistFile.Read("/nonexistent/DENYLIST", glob: true, "--denylist"));
        Assert.That(e!.Message, Does.StartWith("--denylist /nonexistent/DENYLIST: no such file.").And.Contain("'#' before the reason"));
    }
}
