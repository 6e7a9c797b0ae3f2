using Harness.Config;
using Harness.Errors;
using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

/// <summary>A real kernel that panics at boot: the error comes at once, and nothing is left running.</summary>
[Category("EndToEnd")]
[Category("Faults")]
public class FailingBootEndToEndTests
{
    [TestCase("x86_64"), TestCase("arm64"), CancelAfter(300_000)]
    public async Task Tears_down_a_panicking_boot_leaving_no_qemu_port_or_temp_dir(string archName, CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch(archName);
        var image = await RealGuests.ImageAsync(arch, cancellationToken);
        var kernel = RealGuests.Kernel(arch);
        using var logs = new TempDirectory();
        var consoleLog = Path.Combine(logs.Path, "console.log");
        var tempDirsBefore = HarnessTempDirectories();
        var request = new VmRequest(arch, kernel, image, TimeSpan.FromSeconds(120))
        {
            ConsoleLog = consoleLog,
            ExtraKernelArguments = ["rdinit=/does-not-exist"],
        };

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => QemuVm.StartAsync(request, RealGuests.Runner, cancellationToken));

        Assert.That(error!.Message, Does.Contain("the kernel failed while waiting for the guest's ready marker: "));
        Assert.That(error.Message, Does.Contain("Kernel panic - not syncing"));
        Assert.That(ProcessTable.Containing(consoleLog), Is.Empty, "no QEMU process survives");
        Assert.That(HarnessTempDirectories(), Is.EquivalentTo(tempDirsBefore), "no VM temp directory survives");
        Assert.That(File.ReadAllText(consoleLog), Does.Contain("Kernel panic"), "the console log is kept where the caller asked");
    }

    private static string[] HarnessTempDirectories() =>
        Directory.GetDirectories(Path.GetTempPath(), "harness-vm-*");
}
