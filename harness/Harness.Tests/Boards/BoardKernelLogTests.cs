using Harness.Boards;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Boards;

/// <summary>Splats in a board's kernel log, on a captured log of a baseline kernel (Fixtures/dmesg) and the real overlay.</summary>
public class BoardKernelLogTests
{
    private static readonly string[] Log = File.ReadAllLines(Checkout.Fixture("dmesg", "x86_64-baseline-after-load.log"));

    private static ExpectationOverlay Overlay() =>
        ExpectationOverlayReader.Read(Path.Combine(Checkout.Layout.SelftestsDirectory, "expectations.yaml"), Checkout.Arches.Names);

    [Test]
    public void A_splat_the_overlay_knows_for_the_baseline_kernel_is_a_note()
    {
        var (error, notes) = BoardKernelLog.Splats(Log, Overlay(), "x86_64", KernelRole.Baseline, "rock-1");

        Assert.That(error, Is.Null);
        Assert.That(notes, Has.Count.EqualTo(1).And.Some.StartsWith("known kernel splat \"verifier bug. No program starts at insn\""));
    }

    [Test]
    public void The_same_splat_on_the_patched_kernel_is_an_error_naming_the_board_and_the_warning()
    {
        var (error, _) = BoardKernelLog.Splats(Log, Overlay(), "x86_64", KernelRole.Patched, "rock-1");

        Assert.That(error, Does.StartWith("kernel splat on rock-1 during loading that no program explains: ").And.Contain("WARNING: CPU: 0 PID: 78 at kernel/bpf/verifier.c:20630"));
    }

    [Test]
    public void A_log_without_failure_markers_has_no_splat()
    {
        var (error, notes) = BoardKernelLog.Splats(Log.Take(1).ToArray(), Overlay(), "x86_64", KernelRole.Patched, "rock-1");

        Assert.That((error, notes.Count), Is.EqualTo(((string?)null, 0)));
    }

    [Test]
    public void Takes_the_lines_after_the_last_one_read_before_loading()
    {
        var before = new[] { "[ 1.0] boot", "[ 2.0] ready" };
        var after = new[] { "[ 1.0] boot", "[ 2.0] ready", "[ 3.0] WARNING: x", "[ 4.0] done" };

        Assert.That(BoardKernelLog.Since(before, after), Is.EqualTo(new[] { "[ 3.0] WARNING: x", "[ 4.0] done" }));
    }

    [Test]
    public void Takes_the_whole_log_when_the_ring_buffer_wrapped_past_the_last_line_read() =>
        Assert.That(BoardKernelLog.Since(["[ 2.0] gone"], ["[ 9.0] a", "[ 9.1] b"]), Is.EqualTo(new[] { "[ 9.0] a", "[ 9.1] b" }));
}
