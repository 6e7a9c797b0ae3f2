namespace Harness.Config;

/// <summary>
/// Everything that differs between target architectures, read from configs/arch/NAME.yaml.
/// Code never asks "is this arm64?"; it reads these fields. Adding riscv64 is a new file.
/// </summary>
public sealed record ArchConfig
{
    public required string Name { get; init; }
    public required string SourceFile { get; init; }

    /// <summary>ARCH= for the kernel's make.</summary>
    public required string KernelArch { get; init; }

    /// <summary>CROSS_COMPILE= prefix, empty when building natively.</summary>
    public required string CrossCompile { get; init; }

    /// <summary>make target producing the boot image (bzImage, Image).</summary>
    public required string ImageTarget { get; init; }

    /// <summary>Where the image lands, relative to the build (O=) directory.</summary>
    public required string ImagePath { get; init; }

    /// <summary>Kconfig fragments (file names under configs/kconfig/) added for this arch only.</summary>
    public required IReadOnlyList<string> KconfigFragments { get; init; }

    /// <summary>Debian's name for the arch, for guest packages (amd64, arm64).</summary>
    public required string DebianArch { get; init; }

    /// <summary>The GNU triplet of libraries and the static loader's compiler prefix.</summary>
    public required string GnuTriplet { get; init; }

    /// <summary>__TARGET_ARCH_xxx for BPF programs that use bpf_tracing.h.</summary>
    public required string BpfTargetArch { get; init; }

    public required QemuConfig Qemu { get; init; }
}

/// <summary>How to start this arch in QEMU.</summary>
public sealed record QemuConfig
{
    public required string Binary { get; init; }

    /// <summary>The Debian package that provides <see cref="Binary"/>, for the "not installed" message.</summary>
    public required string Package { get; init; }
    public required string Machine { get; init; }
    public required string Cpu { get; init; }

    /// <summary>CPU model to use when KVM works (TCG uses <see cref="Cpu"/>).</summary>
    public required string KvmCpu { get; init; }

    /// <summary>Accelerators to try in order (kvm is probed first and skipped if it does not work).</summary>
    public required IReadOnlyList<string> Accelerators { get; init; }
    public required string Memory { get; init; }
    public required int Cpus { get; init; }

    /// <summary>The kernel's console device (ttyS0, ttyAMA0).</summary>
    public required string Console { get; init; }

    /// <summary>QEMU -device for the NIC (virtio-net-pci, virtio-net-device).</summary>
    public required string NetDevice { get; init; }
    public required IReadOnlyList<string> ExtraArguments { get; init; }

    /// <summary>Kernel parameters this arch's guests always get, after the harness's own (x86's no_timer_check).</summary>
    public IReadOnlyList<string> KernelArguments { get; init; } = [];
}
