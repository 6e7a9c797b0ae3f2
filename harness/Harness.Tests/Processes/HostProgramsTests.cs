using Harness.Errors;
using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Processes;

/// <summary>What each command needs comes from the arch data: a new arch file brings its compiler, its QEMU and QEMU's package.</summary>
public class HostProgramsTests
{
    private static readonly Harness.Config.ArchConfig Riscv = TestContexts.FakeArch("riscv64") with { CrossCompile = "riscv64-linux-gnu-" };

    [Test]
    public void A_new_arch_names_its_compiler_and_QEMU_with_their_Debian_packages_from_its_file_and_Debian_naming()
    {
        var error = Assert.Throws<InfrastructureException>(() =>
            HostPrograms.Check(HostPrograms.Guest(Riscv, kernelFrom: null).Concat(HostPrograms.Selftests(Riscv)), [Riscv], isInstalled: p => !p.Contains("riscv64")))!;

        Assert.That(error.Message, Does.StartWith("qemu-system-riscv64, riscv64-linux-gnu-gcc not found on PATH; nothing was started."));
        Assert.That(error.Message, Does.Contain("qemu-system-riscv64: Install it with: sudo apt-get install qemu-system-misc"));
        Assert.That(error.Message, Does.Contain("riscv64-linux-gnu-gcc: Install it with: sudo apt-get install gcc-riscv64-linux-gnu"));
    }

    [Test]
    public void A_guest_from_a_given_kernel_needs_no_kernel_toolchain_but_one_built_for_it_does()
    {
        using var temp = new TempDirectory();
        var run = TestContexts.Config(temp, Riscv);

        var given = HostPrograms.Guest(Riscv, kernelFrom: null);
        var built = HostPrograms.Guest(Riscv, kernelFrom: run);

        Assert.That(given, Does.Contain("qemu-system-riscv64").And.Contain("dropbearkey").And.Not.Contain("riscv64-linux-gnu-gcc").And.Not.Contain("pahole"));
        Assert.That(built, Does.Contain("qemu-system-riscv64").And.Contain("riscv64-linux-gnu-gcc").And.Contain("pahole").And.Contain("dpkg-query"));
    }

    [Test]
    public void A_kernel_build_needs_no_QEMU()
    {
        using var temp = new TempDirectory();
        var run = TestContexts.Config(temp, Riscv);

        Assert.That(HostPrograms.Kernels(run), Does.Contain("riscv64-linux-gnu-gcc").And.Contain("make").And.Contain("git").And.Not.Contain("qemu-system-riscv64"));
    }
}
