using Harness.Config;
using Harness.Images;

namespace Harness.Vm;

/// <summary>One guest to boot: the arch, the kernel image, the initramfs (with its keys) and the limits.</summary>
public sealed record VmRequest(ArchConfig Arch, string Kernel, GuestImage Image, TimeSpan BootTimeout)
{
    /// <summary>Where QEMU writes the serial console; default: the VM's temp directory (removed at teardown).</summary>
    public string? ConsoleLog { get; init; }

    /// <summary>Kernel parameters added after the harness's own (console=, panic=-1, printk.time=1, rdinit=/init).</summary>
    public IReadOnlyList<string> ExtraKernelArguments { get; init; } = [];

    /// <summary>Every console line as it arrives (for a live view).</summary>
    public Action<string>? OnConsoleLine { get; init; }

    /// <summary>How long teardown waits after each step (poweroff, then SIGINT) before the next, harsher one.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);
}
