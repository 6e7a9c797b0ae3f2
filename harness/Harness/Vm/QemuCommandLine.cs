using Harness.Config;
using Harness.Processes;

namespace Harness.Vm;

/// <summary>What to boot and how to reach it; the arch-specific part comes from <see cref="QemuConfig"/>.</summary>
/// <param name="Kernel">bzImage / Image.</param>
/// <param name="Initrd">The guest initramfs; null for the KVM probe (which only needs the kernel to start).</param>
/// <param name="Accelerator">kvm or tcg.</param>
/// <param name="SshPort">Host port forwarded from 127.0.0.1 to the guest's :22; null for no network.</param>
/// <param name="ConsoleLog">QEMU writes the serial console here as well as to its stdout.</param>
public sealed record QemuLaunch(string Kernel, string? Initrd, string Accelerator, int? SshPort, string ConsoleLog)
{
    /// <summary>Kernel parameters added after the harness's own.</summary>
    public IReadOnlyList<string> ExtraKernelArguments { get; init; } = [];
}

/// <summary>
/// Builds the QEMU command line (pure). No default devices (-nodefaults), no display; the serial console is a
/// stdio chardev that QEMU also logs to a file; user networking forwards one port on 127.0.0.1 only;
/// panic=-1 plus -no-reboot make a panicking kernel end QEMU at once instead of hanging.
/// </summary>
public static class QemuCommandLine
{
    public static ProcessSpec Build(QemuConfig qemu, QemuLaunch launch)
    {
        var args = new List<string>
        {
            "-M", qemu.Machine,
            "-accel", launch.Accelerator,
            "-cpu", launch.Accelerator == "kvm" ? qemu.KvmCpu : qemu.Cpu,
            "-m", qemu.Memory,
            "-smp", qemu.Cpus.ToString(),
            "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
            "-kernel", launch.Kernel,
        };
        if (launch.Initrd is not null) args.AddRange(["-initrd", launch.Initrd]);
        args.AddRange(["-append", KernelCommandLine(qemu, launch)]);
        args.AddRange([
            "-chardev", $"stdio,id=console,signal=off,logfile={launch.ConsoleLog}",
            "-serial", "chardev:console",
        ]);
        if (launch.SshPort is { } port)
            args.AddRange([
                "-netdev", $"user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:22",
                "-device", $"{qemu.NetDevice},netdev=net0",
            ]);
        args.AddRange(qemu.ExtraArguments);
        return new ProcessSpec(qemu.Binary, args);
    }

    /// <summary>
    /// console= for this arch's UART; panic=-1 reboots (so -no-reboot exits) on panic; printk.time=1 gives the
    /// console timestamps the boot phases use, whatever CONFIG_PRINTK_TIME says; rdinit=/init runs our init. Then the
    /// arch's own (kernel-args) and the launch's, which may end with "--" and init's arguments.
    /// </summary>
    public static string KernelCommandLine(QemuConfig qemu, QemuLaunch launch) =>
        string.Join(' ', new[] { $"console={qemu.Console}", "panic=-1", "printk.time=1", "rdinit=/init" }
            .Concat(qemu.KernelArguments).Concat(launch.ExtraKernelArguments));
}
