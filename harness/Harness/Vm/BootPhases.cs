namespace Harness.Vm;

/// <summary>
/// How long a boot took, phase by phase. Wall-clock offsets are from the moment QEMU was started; the kernel
/// offset is the console's own printk timestamp (time since the kernel started, excluding QEMU and firmware).
/// A phase that was never reached is null. Goes into the run's JSON.
/// </summary>
/// <param name="Accelerator">kvm or tcg.</param>
/// <param name="QemuStarted">When QEMU was started (UTC).</param>
/// <param name="KernelStarted">QEMU start to the kernel's time 0 (firmware and decompression before it): the earliest
/// console line's arrival minus its printk timestamp ("Linux version" itself shows up late, when the UART is up).</param>
/// <param name="InitStarted">QEMU start to "Run /init as init process".</param>
/// <param name="GuestReady">QEMU start to the init's ready marker (dropbear listening).</param>
/// <param name="SshReady">QEMU start to an authenticated SSH session.</param>
/// <param name="KernelTimeAtInit">The kernel's timestamp on the "Run /init" line.</param>
public sealed record BootPhases(
    string Accelerator,
    DateTimeOffset QemuStarted,
    TimeSpan? KernelStarted,
    TimeSpan? InitStarted,
    TimeSpan? GuestReady,
    TimeSpan? SshReady,
    TimeSpan? KernelTimeAtInit)
{
    public override string ToString() =>
        $"{Accelerator}: kernel {Format(KernelStarted)}, /init {Format(InitStarted)} (kernel clock {Format(KernelTimeAtInit)}), " +
        $"guest ready {Format(GuestReady)}, SSH ready {Format(SshReady)}";

    private static string Format(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:F2} s" : "-";
}
