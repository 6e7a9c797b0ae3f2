using Harness.Errors;
using Harness.Selection;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Selection;

/// <summary>What a -t/-a/-b/-d pattern names: test_progs' glob_match and "test/subtest" split, on object.bpf.o:program rows.</summary>
public class NamePatternTests
{
    private static ProgramExpectation Row(string obj, string program, bool unpriv = false, string? description = null) =>
        new() { Object = obj, Program = program, Section = "tc", Unprivileged = unpriv, Description = description };

    [TestCase("abc", "abc", true)]
    [TestCase("abc", "ab", false)]
    [TestCase("abc", "*", true)]
    [TestCase("abc", "a*", true)]
    [TestCase("abc", "*c", true)]
    [TestCase("abc", "*b*", true)]
    [TestCase("abc", "a*d", false)]
    [TestCase("aXbXc", "a*b*c", true)]
    [TestCase("abc", "a**c", true)]
    [TestCase("", "*", true)]
    [TestCase("a?c", "a?c", true)]
    [TestCase("abc", "a?c", false)]
    public void Glob_matches_as_test_progs_glob_match(string text, string pattern, bool expected) =>
        Assert.That(Glob.Match(text, pattern), Is.EqualTo(expected));

    [TestCase("mem", false, "async_mem.bpf.o", "read_first", true, TestName = "A -t substring matches the object's stem")]
    [TestCase("async_mem", true, "async_mem.bpf.o", "read_first", true, TestName = "A -a glob matches the whole stem")]
    [TestCase("async_mem.bpf.o", true, "async_mem.bpf.o", "read_first", true, TestName = "A -a glob matches the object's file name")]
    [TestCase("mem", true, "async_mem.bpf.o", "read_first", false, TestName = "A -a glob without a star must match all of a name")]
    [TestCase("read_first", true, "async_mem.bpf.o", "read_first", true, TestName = "A bare pattern also matches a program name")]
    [TestCase("async_mem/read_*", true, "async_mem.bpf.o", "read_first", true, TestName = "OBJECT/PROGRAM matches both parts")]
    [TestCase("async_map/read_*", true, "async_mem.bpf.o", "read_first", false, TestName = "OBJECT/PROGRAM needs the object to match")]
    [TestCase("async_mem.bpf.o:read_first", true, "async_mem.bpf.o", "read_first", true, TestName = "The harness's key OBJECT.bpf.o:PROGRAM is a pattern")]
    [TestCase("read_first", true, "read_first.bpf.o", "other", true, TestName = "A bare name matching the stem takes the whole object")]
    [TestCase("mem/first", false, "async_mem.bpf.o", "read_first", true, TestName = "A -t OBJECT/PROGRAM is a substring on each side")]
    public void A_pattern_names_rows(string text, bool glob, string obj, string program, bool expected) =>
        Assert.That(NamePattern.Parse(text, glob, "-x").Matches(Row(obj, program)), Is.EqualTo(expected));

    [Test]
    public void The_unpriv_suffix_names_only_the_unprivileged_row()
    {
        var pattern = NamePattern.Parse("p@unpriv", glob: true, "-d");
        var bare = NamePattern.Parse("p", glob: true, "-d");
        Assert.Multiple(() =>
        {
            Assert.That(pattern.Matches(Row("o.bpf.o", "p")), Is.False);
            Assert.That(pattern.Matches(Row("o.bpf.o", "p", unpriv: true)), Is.True);
            Assert.That(bare.Matches(Row("o.bpf.o", "p")), Is.True);
            Assert.That(bare.Matches(Row("o.bpf.o", "p", unpriv: true)), Is.True);
        });
    }

    [Test]
    public void A_pattern_with_a_blank_is_refused_since_no_name_has_one_but_a_description()
    {
        var e = Assert.Throws<BadInputException>(() => NamePattern.Parse("verifier_and/invalid and", glob: true, "-d"));
        Assert.That(e!.Message, Does.StartWith("-d: 'verifier_and/invalid and' is not a name pattern."));
    }

    [Test]
    public void A_subtest_glob_matches_the_description_and_its_unpriv_name()
    {
        var pattern = NamePattern.Parse("verifier_and/invalid*@unpriv", glob: true, "-d");
        Assert.Multiple(() =>
        {
            Assert.That(pattern.Matches(Row("verifier_and.bpf.o", "invalid_and_of_negative_number", description: "invalid and of negative number")), Is.False);
            Assert.That(pattern.Matches(Row("verifier_and.bpf.o", "x", unpriv: true, description: "invalid and of negative number")), Is.True,
                "test_progs' unpriv subtest is 'DESCRIPTION @unpriv'");
            Assert.That(NamePattern.Parse("verifier_and/invalid*", glob: true, "-d")
                .Matches(Row("verifier_and.bpf.o", "x", description: "invalid and of negative number")), Is.True);
        });
    }

    [TestCase("/prog", "-t: '/prog' is not a name pattern.")]
    [TestCase("obj/", "-t: 'obj/' is not a name pattern.")]
    [TestCase("a/b/c", "-t: 'a/b/c' is not a name pattern.")]
    [TestCase(":prog", "-t: ':prog' is not a name pattern.")]
    public void A_malformed_pattern_is_bad_input_with_the_fix(string text, string message)
    {
        var e = Assert.Throws<BadInputException>(() => NamePattern.Parse(text, glob: false, "-t"));
        Assert.That(e!.Message, Does.StartWith(message).And.Contain("Write OBJECT, PROGRAM, OBJECT/PROGRAM"));
    }
}
