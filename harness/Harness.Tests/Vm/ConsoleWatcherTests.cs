using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

/// <summary>The console watcher on captured consoles (Fixtures/consoles/README.md says where each came from).</summary>
public class ConsoleWatcherTests
{
    private static (List<ConsoleEvent> Events, ConsoleWatcher Watcher) Watch(string fixture)
    {
        var watcher = new ConsoleWatcher();
        var events = File.ReadLines(Checkout.Fixture("consoles", fixture)).Select(watcher.Feed).OfType<ConsoleEvent>().ToList();
        return (events, watcher);
    }

    [TestCase("x86_64-boot-ok.log")]
    [TestCase("arm64-boot-ok.log")]
    public void Sees_kernel_start_init_and_ready_in_a_good_boot_and_no_failure(string fixture)
    {
        var (events, watcher) = Watch(fixture);

        Assert.That(events.Select(e => e.Signal).Distinct(),
            Is.EqualTo(new[] { ConsoleSignal.KernelStarted, ConsoleSignal.InitStarted, ConsoleSignal.GuestReady }));
        Assert.That(events.Single(e => e.Signal == ConsoleSignal.InitStarted).KernelTime, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(watcher.Failures, Is.Empty);
    }

    [TestCase("x86_64-panic-no-init.log", "Kernel panic - not syncing: ")]
    [TestCase("arm64-panic-no-init.log", "Kernel panic - not syncing: ")]
    [TestCase("x86_64-oops-sample.log", "BUG: kernel NULL pointer dereference, address: 0000000000000000")]
    [TestCase("arm64-oops-sample.log", "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000")]
    public void Reports_the_first_failure_line_of_a_broken_kernel(string fixture, string expected)
    {
        var (events, _) = Watch(fixture);

        var first = events.First(e => e.Signal == ConsoleSignal.KernelFailure);
        Assert.That(first.Line, Does.Contain(expected));
        Assert.That(events.Any(e => e.Signal == ConsoleSignal.GuestReady), Is.False);
    }

    [Test]
    public void Keeps_the_last_lines_for_the_error_message()
    {
        var watcher = new ConsoleWatcher(tailLines: 3);

        foreach (var line in new[] { "a", "b", "c", "d\r" }) watcher.Feed(line);

        Assert.That(watcher.Tail(), Is.EqualTo(new[] { "b", "c", "d" }));
    }

    [TestCase("[    1.234567] Run /init as init process", 1.234567)]
    [TestCase("[12345.000001] x", 12345.000001)]
    [TestCase("harness-guest: HARNESS-GUEST-READY", null)]
    public void Reads_the_printk_timestamp(string line, double? seconds)
    {
        Assert.That(ConsoleWatcher.KernelTimestamp(line)?.TotalSeconds, Is.EqualTo(seconds).Within(1e-6));
    }

    [Test]
    public void Tells_qemu_messages_from_kernel_lines()
    {
        var e = new ConsoleWatcher().Feed("qemu-system-aarch64: -netdev user,id=net0,hostfwd=tcp:127.0.0.1:1-:22: Could not set up host forwarding rule 'tcp:127.0.0.1:1-:22'");

        Assert.That(e?.Signal, Is.EqualTo(ConsoleSignal.QemuMessage));
    }
}
