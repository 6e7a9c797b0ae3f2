using Harness.Errors;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

public class ExpectationOverlayReaderTests
{
    private static readonly string[] Arches = ["arm64", "x86_64"];

    private static ExpectationOverlay Parse(string yaml) => ExpectationOverlayReader.Parse("expectations.yaml", yaml, Arches);

    [Test]
    public void Reads_the_projects_own_overlay_file()
    {
        var file = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "selftests", "expectations.yaml");

        var overlay = ExpectationOverlayReader.Read(Path.GetFullPath(file), Arches);

        Assert.That(overlay.Entries.All(e => e.Action.Reason.Length > 0), Is.True);
    }

    [Test]
    public void Reads_deviations_skips_and_overrides_with_their_filters_and_location()
    {
        var overlay = Parse("""
            programs:
              async_ret.bpf.o:async_cb_returns_nonzero:
                - known-deviation:
                    reason: "RFC marks async callbacks in_callback_fn: non-zero return accepted"
                    actual: accept
                  kernels: [patched]
              sleepy:
                - skip: {reason: "no sleepable kfunc on arm64 yet"}
                  arches: [arm64]
                - expect: {verdict: reject, messages: ["R1 invalid mem access"], reason: "x86 differs"}
                  arches: [x86_64]
                  kernels: [baseline]
            """);

        var e = overlay.Entries;
        Assert.That(e, Has.Count.EqualTo(3));
        Assert.That(e[0].Action, Is.EqualTo(new KnownDeviation("RFC marks async callbacks in_callback_fn: non-zero return accepted", LoadVerdict.Accept, null)));
        Assert.That(e[0].Kernels, Is.EqualTo(new[] { KernelRole.Patched }));
        Assert.That(e[0].Location, Is.EqualTo("expectations.yaml:3:7"));
        Assert.That(e[1].Action, Is.EqualTo(new SkipProgram("no sleepable kfunc on arm64 yet")));
        Assert.That(e[1].Arches, Is.EqualTo(new[] { "arm64" }));
        var o = (ExpectationOverride)e[2].Action;
        Assert.That((o.Verdict, o.Messages!.Single()), Is.EqualTo((ExpectedVerdict.Failure, "R1 invalid mem access")));
    }

    [Test]
    public void Finds_the_entry_for_a_program_preferring_object_qualified_keys_and_honouring_filters()
    {
        var overlay = Parse("""
            programs:
              p:
                - skip: {reason: bare}
              a.bpf.o:p:
                - skip: {reason: qualified}
                  kernels: [baseline]
            """);

        Assert.That(overlay.Find("a.bpf.o", "p", "x86_64", KernelRole.Baseline)!.Action.Reason, Is.EqualTo("qualified"));
        Assert.That(overlay.Find("a.bpf.o", "p", "x86_64", KernelRole.Patched)!.Action.Reason, Is.EqualTo("bare"));
        Assert.That(overlay.Find("a.bpf.o", "q", "x86_64", KernelRole.Patched), Is.Null);
    }

    [TestCase("programs:\n  p:\n    - skip: {reason: x}\n      arches: [sparc]\n", "expectations.yaml:4:16: 'programs.p[0].arches[0]' is 'sparc', not a known arch. Available: arm64, x86_64.")]
    [TestCase("programs:\n  p:\n    - skip: {reason: x}\n      kernels: [stable]\n", "expectations.yaml:4:17: 'programs.p[0].kernels[0]' is 'stable'. Use patched or baseline.")]
    [TestCase("programs:\n  p:\n    - known-deviation: {reason: x, actual: crash}\n", "expectations.yaml:3:44: 'programs.p[0].known-deviation.actual' is 'crash'. Use accept, reject or oops (what the kernel does instead of the expectation; an oops program is loaded in a guest of its own).")]
    [TestCase("programs:\n  p:\n    - known-deviation: {actual: accept}\n", "expectations.yaml:3:24: 'programs.p[0].known-deviation' is missing the required key 'reason'. Add it.")]
    [TestCase("programs:\n  p:\n    - skip: {reason: \" \"}\n", "expectations.yaml:3:22: 'programs.p[0].skip.reason' is empty. Say why, for the reviewer reading the report.")]
    [TestCase("programs:\n  p:\n    - skip: {reason: x}\n      known-deviation: {reason: y, actual: accept}\n", "expectations.yaml:3:7: 'programs.p[0]' must have exactly one of known-deviation, skip, expect (found known-deviation, skip).")]
    [TestCase("programs:\n  p:\n    - arches: [x86_64]\n", "expectations.yaml:3:7: 'programs.p[0]' must have exactly one of known-deviation, skip, expect (found none).")]
    [TestCase("programs:\n  p:\n    - skip: {reason: x, why: y}\n", "expectations.yaml:3:25: unknown key 'programs.p[0].skip.why'. Allowed here: reason.")]
    [TestCase("programs:\n  p:\n    skip: {reason: x}\n", "expectations.yaml:3:5: 'programs.p' must be a list (found a mapping). Write it as [a, b] (or [] for none).")]
    [TestCase("programs:\n  p:\n    - skip: {reason: x}\n  p:\n    - skip: {reason: y}\n", "expectations.yaml:4:3: YAML syntax error: Duplicate key p. Fix the YAML at that position.")]
    [TestCase("program:\n  p: []\n", "expectations.yaml:1:1: unknown key 'program'. Allowed here: programs, splats.")]
    [TestCase("programs:\n  p:\n    - expect: {verdict: fail, reason: x}\n", "expectations.yaml:3:25: 'programs.p[0].expect.verdict' is 'fail'. Use accept or reject.")]
    public void Refuses_a_bad_entry_naming_file_line_column_and_fix(string yaml, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => Parse(yaml));

        Assert.That(e!.Message, Is.EqualTo(expected));
    }

    [Test]
    public void Refuses_an_entry_that_names_no_program()
    {
        var overlay = Parse("programs:\n  a.bpf.o:gone:\n    - skip: {reason: x}\n");
        ProgramExpectation[] programs = [new() { Object = "a.bpf.o", Program = "here", Section = "tc" }];

        var e = Assert.Throws<BadInputException>(() => overlay.EnsureEveryKeyNamesAProgram(programs));

        Assert.That(e!.Message, Does.StartWith("expectations.yaml:3:7: 'a.bpf.o:gone' names no program of the selftest objects."));
    }
}
