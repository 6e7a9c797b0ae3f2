using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

public class QemuCommandLineTests
{
    private static readonly QemuLaunch Launch = new("/k/bzImage", "/i/initramfs.cpio.gz", "tcg", 34567, "/logs/console.log");

    [TestCase("x86_64", "qemu-system-x86_64 -M pc -accel tcg -cpu max -m 512M -smp 1 -nodefaults -no-user-config -display none -no-reboot " +
        "-kernel /k/bzImage -initrd /i/initramfs.cpio.gz -append 'console=ttyS0 panic=-1 printk.time=1 rdinit=/init no_timer_check' " +
        "-chardev stdio,id=console,signal=off,logfile=/logs/console.log -serial chardev:console " +
        "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:34567-:22 -device virtio-net-pci,netdev=net0")]
    [TestCase("arm64", "qemu-system-aarch64 -M virt -accel tcg -cpu max -m 512M -smp 1 -nodefaults -no-user-config -display none -no-reboot " +
        "-kernel /k/bzImage -initrd /i/initramfs.cpio.gz -append 'console=ttyAMA0 panic=-1 printk.time=1 rdinit=/init' " +
        "-chardev stdio,id=console,signal=off,logfile=/logs/console.log -serial chardev:console " +
        "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:34567-:22 -device virtio-net-pci,netdev=net0")]
    public void Builds_the_tcg_command_line_from_the_arch_file(string arch, string expected)
    {
        var spec = QemuCommandLine.Build(Checkout.Arch(arch).Qemu, Launch);

        Assert.That(spec.CommandLine, Is.EqualTo(expected));
    }

    [TestCase("x86_64")]
    [TestCase("arm64")]
    public void Uses_the_kvm_cpu_model_only_with_kvm(string arch)
    {
        var qemu = Checkout.Arch(arch).Qemu;

        var args = QemuCommandLine.Build(qemu, Launch with { Accelerator = "kvm" }).Arguments;

        Assert.That(args.SkipWhile(a => a != "-cpu").Skip(1).First(), Is.EqualTo(qemu.KvmCpu));
        Assert.That(args.SkipWhile(a => a != "-accel").Skip(1).First(), Is.EqualTo("kvm"));
    }

    [Test]
    public void Forwards_the_ssh_port_on_127_0_0_1_only()
    {
        var args = QemuCommandLine.Build(Checkout.Arch("x86_64").Qemu, Launch).Arguments;

        var netdev = args.SkipWhile(a => a != "-netdev").Skip(1).First();
        Assert.That(netdev, Does.Contain("hostfwd=tcp:127.0.0.1:34567-:22"));
        Assert.That(netdev.Split("hostfwd=").Length, Is.EqualTo(2), "exactly one forwarding rule");
    }

    [Test]
    public void Leaves_out_network_and_initrd_for_the_kvm_probe()
    {
        var args = QemuCommandLine.Build(Checkout.Arch("arm64").Qemu, Launch with { Initrd = null, SshPort = null }).Arguments;

        Assert.That(args, Does.Not.Contain("-netdev").And.Not.Contain("-initrd").And.Not.Contain("-device"));
    }

    [Test]
    public void Appends_extra_kernel_arguments_after_the_harness_ones()
    {
        var line = QemuCommandLine.KernelCommandLine(Checkout.Arch("x86_64").Qemu, Launch with { ExtraKernelArguments = ["rdinit=/bogus"] });

        Assert.That(line, Is.EqualTo("console=ttyS0 panic=-1 printk.time=1 rdinit=/init no_timer_check rdinit=/bogus"));
    }

    [TestCase("x86_64", "console=ttyS0 panic=-1 printk.time=1 rdinit=/init no_timer_check")]
    [TestCase("arm64", "console=ttyAMA0 panic=-1 printk.time=1 rdinit=/init")]
    public void Gives_each_arch_the_kernel_arguments_of_its_file(string arch, string expected)
    {
        var line = QemuCommandLine.KernelCommandLine(Checkout.Arch(arch).Qemu, Launch);

        Assert.That(line, Is.EqualTo(expected));
    }
}
