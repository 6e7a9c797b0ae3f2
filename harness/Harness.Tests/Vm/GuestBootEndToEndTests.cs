using System.Security.Cryptography;
using Harness.Config;
using Harness.Errors;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

/// <summary>Real boots of the real kernel and image per arch, one guest shared by the tests of a fixture.</summary>
[Category("EndToEnd")]
[TestFixture("x86_64")]
[TestFixture("arm64")]
[NonParallelizable]
public class GuestBootEndToEndTests(string archName)
{
    private readonly ArchConfig _arch = Checkout.Arch(archName);
    private QemuVm _vm = null!;

    [OneTimeSetUp]
    public async Task Boot()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var image = await RealGuests.ImageAsync(_arch, limit.Token);
        _vm = await QemuVm.StartAsync(new VmRequest(_arch, RealGuests.Kernel(_arch), image, TimeSpan.FromSeconds(120)), RealGuests.Runner, limit.Token);
        TestContext.Progress.WriteLine($"{archName}: {_vm.Phases}");
        TestContext.Progress.WriteLine($"{archName}: > {_vm.CommandLine}");
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        if (_vm is null) return;
        var port = _vm.SshPort;
        var log = _vm.CommandLine;
        await _vm.DisposeAsync();
        Assert.That(ProcessTable.Containing($"hostfwd=tcp:127.0.0.1:{port}-:22"), Is.Empty, "QEMU is gone after teardown");
    }

    [TestCase("uname -r", "6.12")]
    [TestCase("ls /sys/kernel/btf/vmlinux", "/sys/kernel/btf/vmlinux")]
    [TestCase("mount | grep bpf", "on /sys/fs/bpf type bpf")]
    [CancelAfter(60_000)]
    public async Task Runs_a_command_over_ssh(string command, string expected, CancellationToken cancellationToken)
    {
        var result = await _vm.Session.RunAsync(command, TimeSpan.FromSeconds(30), cancellationToken);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain(expected));
    }

    [Test, CancelAfter(60_000)]
    public async Task Returns_exit_code_and_stderr_of_a_failing_command(CancellationToken cancellationToken)
    {
        var result = await _vm.Session.RunAsync("echo oops >&2; exit 7", TimeSpan.FromSeconds(30), cancellationToken);

        Assert.That((result.ExitCode, result.Stdout, result.Stderr), Is.EqualTo((7, "", "oops\n")));
    }

    [Test, CancelAfter(60_000)]
    public async Task Stops_a_command_past_its_timeout(CancellationToken cancellationToken)
    {
        var error = await Assert.ThrowsAsync<InfrastructureException>(() => _vm.Session.RunAsync("sleep 30", TimeSpan.FromSeconds(1), cancellationToken));

        Assert.That(error!.Message, Does.Contain("did not finish within 1 s"));
        var after = await _vm.Session.RunAsync("echo still here", TimeSpan.FromSeconds(30), cancellationToken);
        Assert.That(after.Stdout, Is.EqualTo("still here\n"));
    }

    [Test, CancelAfter(120_000)]
    public async Task Uploads_and_downloads_a_file_unchanged(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("harness-sftp-test-");
        try
        {
            var local = Path.Combine(dir.FullName, "up.bin");
            var bytes = RandomNumberGenerator.GetBytes(1 << 20);
            await File.WriteAllBytesAsync(local, bytes, cancellationToken);

            await _vm.Session.UploadAsync(local, "/tmp/up.bin", cancellationToken);
            var sum = await _vm.Session.RunAsync("sha256sum /tmp/up.bin", TimeSpan.FromSeconds(30), cancellationToken);
            await _vm.Session.DownloadAsync("/tmp/up.bin", Path.Combine(dir.FullName, "down.bin"), cancellationToken);

            Assert.That(sum.Stdout.Split(' ')[0], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Assert.That(await File.ReadAllBytesAsync(Path.Combine(dir.FullName, "down.bin"), cancellationToken), Is.EqualTo(bytes));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Refuses_a_guest_whose_host_key_is_not_the_pinned_one(CancellationToken cancellationToken)
    {
        var wrongPin = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDdtzuClrKPGIhDIFVRbmi8UEyr1dgGn30CiC06PJ0R1";
        var endpoint = _vm.Endpoint with { HostPublicKey = wrongPin };

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            GuestSession.ConnectAsync(endpoint, DateTimeOffset.UtcNow.AddSeconds(30), cancellationToken));

        Assert.That(error!.Message, Does.Contain("does not match the pinned key; refusing to connect"));
    }
}
