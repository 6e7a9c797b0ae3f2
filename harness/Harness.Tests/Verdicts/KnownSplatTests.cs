using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

/// <summary>The overlay's known kernel splats: matched by text and limited to arches and kernels.</summary>
public class KnownSplatTests
{
    private const string Overlay = """
        splats:
          - match: "verifier bug. No program starts at insn"
            reason: "unverified kfunc callback"
            kernels: [baseline]
        """;

    [Test]
    public void A_known_splat_matches_its_text_on_the_kernels_it_names_only()
    {
        var overlay = ExpectationOverlayReader.Parse("expectations.yaml", Overlay, ["x86_64", "arm64"]);
        const string console = "[ 3.25] ------------[ cut here ]------------\n[ 3.25] verifier bug. No program starts at insn 7\n[ 3.25] WARNING: CPU: 0 PID: 76 at kernel/bpf/verifier.c:20630 bpf_check";

        Assert.Multiple(() =>
        {
            Assert.That(overlay.FindSplat(console, "x86_64", KernelRole.Baseline)?.Reason, Is.EqualTo("unverified kfunc callback"));
            Assert.That(overlay.FindSplat(console, "x86_64", KernelRole.Patched), Is.Null);
            Assert.That(overlay.FindSplat("[ 1.0] BUG: kernel NULL pointer dereference", "arm64", KernelRole.Baseline), Is.Null);
        });
    }

    [TestCase("splats:\n  - reason: r\n", "expectations.yaml:2:5: 'splats[0]' is missing the required key 'match'. Add it.")]
    [TestCase("splats:\n  - match: x\n    reason: r\n    kernels: [old]\n", "expectations.yaml:4:15: 'splats[0].kernels[0]' is 'old'. Use patched or baseline.")]
    [TestCase("splats:\n  - match: x\n    reason: r\n    colour: red\n", "expectations.yaml:4:5: unknown key 'splats[0].colour'. Allowed here: match, reason, arches, kernels.")]
    public void Refuses_a_bad_splat_entry_naming_file_line_column_and_fix(string yaml, string message)
    {
        var error = Assert.Throws<Harness.Errors.BadInputException>(() => ExpectationOverlayReader.Parse("expectations.yaml", yaml, ["x86_64"]));

        Assert.That(error!.Message, Is.EqualTo(message));
    }
}
