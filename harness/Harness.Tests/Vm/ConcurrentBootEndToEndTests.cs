using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

/// <summary>Two guests at once (two CI jobs on one machine): distinct ports, each reaches its own guest.</summary>
[Category("EndToEnd")]
public class ConcurrentBootEndToEndTests
{
    [Test, CancelAfter(300_000)]
    public async Task Boots_two_guests_at_once_on_different_ports(CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");
        var image = await RealGuests.ImageAsync(arch, cancellationToken);
        var request = new VmRequest(arch, RealGuests.Kernel(arch), image, TimeSpan.FromSeconds(120));

        var both = await Task.WhenAll(
            QemuVm.StartAsync(request, RealGuests.Runner, cancellationToken),
            QemuVm.StartAsync(request, RealGuests.Runner, cancellationToken));
        await using var first = both[0];
        await using var second = both[1];
        await first.Session.RunAsync("echo first > /tmp/who", TimeSpan.FromSeconds(30), cancellationToken);
        var seen = await second.Session.RunAsync("cat /tmp/who 2>/dev/null || echo nobody", TimeSpan.FromSeconds(30), cancellationToken);

        Assert.That(first.SshPort, Is.Not.EqualTo(second.SshPort));
        Assert.That(seen.Stdout, Is.EqualTo("nobody\n"), "each session reaches its own guest");
    }

    [Test, CancelAfter(300_000)]
    public async Task Reuses_a_built_image_until_an_input_changes(CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");

        var first = await RealGuests.ImageAsync(arch, cancellationToken);
        var written = File.GetLastWriteTimeUtc(first.Initramfs);
        var again = await RealGuests.ImageAsync(arch, cancellationToken);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(File.GetLastWriteTimeUtc(again.Initramfs), Is.EqualTo(written), "not rebuilt");
    }
}
