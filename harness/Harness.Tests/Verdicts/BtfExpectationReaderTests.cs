using NUnit.Framework;
using Harness.Errors;
using Harness.Verdicts;

namespace Harness.Tests.Verdicts;

public class BtfExpectationReaderTests
{
    private static IReadOnlyList<ProgramExpectation> Programs(string file = "expectations.bpf.o") =>
        BtfExpectationReader.Read(Fixture.Path("btf", file));

    private static ProgramExpectation Program(string name, string file = "expectations.bpf.o") =>
        Programs(file).Single(p => p.Program == name && !p.Unprivileged);

    [Test]
    public void Lists_every_program_in_section_order_and_no_subprogram()
    {
        var names = Programs().Select(p => $"{p.Section}/{p.Program}{(p.Unprivileged ? "@unpriv" : "")}").ToArray();

        Assert.That(names, Is.EqualTo(new[]
        {
            "tc/accept_simple", "tc/reject_with_messages", "tc/no_expectations", "tc/priv_and_unpriv",
            "tc/priv_and_unpriv@unpriv", "tc/arch_limited", "tc/auxiliary_prog", "tc/message_without_verdict", "tc/foreign_tags_only",
            "?tc/optional_section", "syscall/sleepable_flags",
        }));
    }

    [Test]
    public void Reads_verdict_description_and_log_level()
    {
        var p = Program("accept_simple");

        Assert.That(p.Object, Is.EqualTo("expectations.bpf.o"));
        Assert.That(p.Verdict, Is.EqualTo(ExpectedVerdict.Success));
        Assert.That(p.Description, Is.EqualTo("accepts a plain return"));
        Assert.That(p.LogLevel, Is.EqualTo(2));
        Assert.That(p.HasExpectations, Is.True);
        Assert.That(p.Problems, Is.Empty);
    }

    [Test]
    public void Keeps_messages_in_tag_order_with_the_counter_stripped_and_duplicates_kept()
    {
        var p = Program("reject_with_messages");

        Assert.That(p.Verdict, Is.EqualTo(ExpectedVerdict.Failure));
        Assert.That(p.Messages, Is.EqualTo(new[] { "first message", "second message", "third {{[0-9]+}} message", "first message" }));
    }

    [Test]
    public void Keeps_the_question_mark_of_a_non_autoloaded_section()
    {
        var p = Program("optional_section");

        Assert.That(p.Section, Is.EqualTo("?tc"));
        Assert.That(p.Autoload, Is.False);
    }

    [Test]
    public void Combines_prog_flags_as_test_loader_does()
    {
        var p = Program("sleepable_flags");

        Assert.That(p.Section, Is.EqualTo("syscall"));
        Assert.That(p.ProgFlags, Is.EqualTo(new[] { "BPF_F_SLEEPABLE", "!BPF_F_TEST_RND_HI32", "0x100" }));
        Assert.That(p.ProgFlagsSet, Is.EqualTo(0x10u | 0x100u));
        Assert.That(p.ProgFlagsCleared, Is.EqualTo(0x4u));
    }

    [Test]
    public void Marks_a_program_without_tags_as_having_no_expectations()
    {
        Assert.That(Program("no_expectations").HasExpectations, Is.False);
        Assert.That(Program("foreign_tags_only").HasExpectations, Is.False);
    }

    [Test]
    public void Reads_unprivileged_variants_and_retval()
    {
        var p = Program("priv_and_unpriv");

        Assert.That(p.Verdict, Is.EqualTo(ExpectedVerdict.Failure));
        Assert.That(p.UnprivVerdict, Is.EqualTo(ExpectedVerdict.Success));
        Assert.That(p.Messages, Is.EqualTo(new[] { "priv message" }));
        Assert.That(p.UnprivMessages, Is.EqualTo(new[] { "unpriv message" }));
        Assert.That(p.Retval, Is.EqualTo("42"));
        Assert.That(p.UnprivRetval, Is.EqualTo("INT_MIN"));
        Assert.That(p.OtherTags, Is.Empty);
    }

    [Test]
    public void Gives_an_unprivileged_program_its_own_row_with_the_unprivileged_expectations()
    {
        var rows = Programs().Where(p => p.Program == "priv_and_unpriv").ToArray();

        Assert.That(rows.Select(r => r.Key), Is.EqualTo(new[] { "expectations.bpf.o:priv_and_unpriv", "expectations.bpf.o:priv_and_unpriv@unpriv" }));
        var unpriv = rows[1];
        Assert.That((unpriv.EffectiveVerdict, unpriv.Messages.Single(), unpriv.RetvalTag), Is.EqualTo((ExpectedVerdict.Success, "unpriv message", "INT_MIN")));
        Assert.That(rows[0].RetvalTag, Is.EqualTo("42"));
    }

    [Test]
    public void Reads_arch_not_msg_xlated_and_btf_path()
    {
        var p = Program("arch_limited");

        Assert.That(p.Arches, Is.EqualTo(new[] { "X86_64", "ARM64" }));
        Assert.That(p.RunsOn("x86_64"), Is.True);
        Assert.That(p.RunsOn("riscv64"), Is.False);
        Assert.That(p.NotMessages, Is.EqualTo(new[] { "must not appear" }));
        Assert.That(p.Xlated, Is.EqualTo(new[] { "r0 = 0" }));
        Assert.That(p.BtfPath, Is.EqualTo("btf__core_reloc.bpf.o"));
    }

    [Test]
    public void A_message_without_a_verdict_tag_expects_success_like_test_loader()
    {
        var p = Program("message_without_verdict");

        Assert.That(p.Verdict, Is.EqualTo(ExpectedVerdict.Unspecified));
        Assert.That(p.EffectiveVerdict, Is.EqualTo(ExpectedVerdict.Success));
        Assert.That(p.Messages, Is.EqualTo(new[] { "only a message" }));
        Assert.That(p.LogLevel, Is.EqualTo(1));
    }

    [Test]
    public void Reads_auxiliary_programs()
    {
        Assert.That(Program("auxiliary_prog").Auxiliary, Is.True);
    }

    [Test]
    public void Reads_a_big_endian_object_the_same_as_a_little_endian_one()
    {
        var little = Programs("expectations.bpf.o");
        var big = Programs("expectations.bpfeb.o");

        Assert.That(big.Select(Describe), Is.EqualTo(little.Select(Describe)));
    }

    [Test]
    public void Reads_the_kernel_trees_own_verifier_selftests()
    {
        var programs = Programs(Path.Combine("tree", "verifier_and.bpf.o")).Where(p => !p.Unprivileged).ToArray();

        Assert.That(programs.Select(p => p.Program), Is.EqualTo(new[]
            { "invalid_and_of_negative_number", "invalid_range_check", "known_subreg_with_unknown_reg" }));
        var first = programs[0];
        Assert.That(first.Section, Is.EqualTo("socket"));
        Assert.That(first.Description, Is.EqualTo("invalid and of negative number"));
        Assert.That(first.Verdict, Is.EqualTo(ExpectedVerdict.Failure));
        Assert.That(first.UnprivVerdict, Is.EqualTo(ExpectedVerdict.Failure));
        Assert.That(first.Messages, Is.EqualTo(new[] { "R0 max value is outside of the allowed memory range" }));
        Assert.That(first.ProgFlagsSet, Is.EqualTo(0x2u));
        Assert.That(programs[2].UnprivMessages, Is.EqualTo(new[] { "R1 !read_ok" }));
    }

    [Test]
    public void Reads_programs_across_several_sections_of_a_tree_selftest()
    {
        var programs = Programs(Path.Combine("tree", "verifier_helper_restricted.bpf.o"));

        Assert.That(programs.Select(p => p.Section).Distinct(), Is.EqualTo(new[] { "kprobe", "tracepoint", "perf_event", "raw_tracepoint" }));
        Assert.That(programs, Has.Count.EqualTo(12));
        Assert.That(programs.All(p => p.HasExpectations && p.Problems.Count == 0), Is.True);
    }

    [TestCase(new byte[] { 1, 2, 3 }, "not an ELF file")]
    [TestCase(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "is not ELF64")]
    public void Refuses_a_file_that_is_not_an_ELF64_object(byte[] data, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => BtfExpectationReader.Parse(data, "x.bpf.o", "selftests/x.bpf.o"));

        Assert.That(e!.Message, Does.StartWith("selftests/x.bpf.o: not a readable BPF object"));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void Refuses_a_truncated_object_naming_what_is_cut_off()
    {
        var data = File.ReadAllBytes(Fixture.Path("btf", "expectations.bpf.o"))[..2000];

        var e = Assert.Throws<BadInputException>(() => BtfExpectationReader.Parse(data, "x.bpf.o"));

        Assert.That(e!.Message, Does.Contain("extends past the end of the file"));
    }

    [Test]
    public void Refuses_an_object_without_BTF_and_says_to_compile_with_g()
    {
        var data = File.ReadAllBytes(Fixture.Path("btf", "expectations.bpf.o"));
        var text = System.Text.Encoding.Latin1.GetString(data);
        // llvm shares suffixes in the name table: ".BTF" is the tail of ".rel.BTF", so rename both.
        var at = text.IndexOf(".rel.BTF\0", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0));
        data[at + 5] = (byte)'X';

        var e = Assert.Throws<BadInputException>(() => BtfExpectationReader.Parse(data, "x.bpf.o"));

        Assert.That(e!.Message, Is.EqualTo("x.bpf.o: has no .BTF section, so it carries no expectations. Compile with -g (clang-19 -target bpf -g -O2)."));
    }

    [Test]
    public void Reports_malformed_tags_as_problems_of_the_program()
    {
        var p = BtfExpectationReader.FromTags("o.bpf.o", "p", "tc",
            ["comment:test_log_level=two", "comment:test_prog_flags=BPF_F_NOPE", "comment:test_arch=SPARC", "comment:test_expect_msg=nocounter"]);

        Assert.That(p.Problems, Is.EqualTo(new[]
        {
            "tag 'comment:test_log_level=two': log level 'two' is not a number",
            "tag 'comment:test_prog_flags=BPF_F_NOPE': 'BPF_F_NOPE' is neither a BPF_F_* flag test_loader knows nor a number",
            "tag 'comment:test_arch=SPARC': bad arch 'SPARC' (test_loader knows X86_64, ARM64, RISCV64)",
            "tag 'comment:test_expect_msg=nocounter' lacks the '<counter>=' part (write it as comment:test_expect_msg=<N>=<text>, as bpf_misc.h's macros do)",
        }));
    }

    private static string Describe(ProgramExpectation p) =>
        $"{p.Section}|{p.Program}|{p.Verdict}|{string.Join(";", p.Messages)}|{p.LogLevel}|{p.ProgFlagsSet}|{p.HasExpectations}";
}
